/**
 * Simulation days are calendar days in Asia/Shanghai (UTC+8, no daylight saving since 1991), the
 * time zone Chinese ad platforms report in. People in other zones act at their own local hours on
 * the same calendar date.
 */

export const DAY_MS = 86_400_000
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

/** Midnight Asia/Shanghai of the Shanghai calendar date that contains `instantMs`. */
export function shanghaiMidnightOf(instantMs: number): number {
  return Math.floor((instantMs + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS
}

/**
 * Parses `YYYY-MM-DD` as midnight Asia/Shanghai of that date. Throws with a message a person can
 * act on when the text is not a real date.
 *
 * @example parseShanghaiDate('2025-03-01') // Date.UTC(2025, 1, 28, 16)
 */
export function parseShanghaiDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) throw new Error(`start must be a date written YYYY-MM-DD (got "${text}")`)
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const utc = Date.UTC(year, month - 1, day)
  const check = new Date(utc)
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new Error(`start must be a real calendar date (got "${text}")`)
  }
  return utc - SHANGHAI_OFFSET_MS
}

/** The Shanghai calendar date of an instant, `YYYY-MM-DD`. */
export function shanghaiDateKey(instantMs: number): string {
  return new Date(instantMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday, in Shanghai. */
export function shanghaiWeekday(instantMs: number): number {
  return new Date(instantMs + SHANGHAI_OFFSET_MS).getUTCDay()
}

/**
 * UTC offsets of IANA zones, from the platform's time-zone database through `Intl`, cached per
 * zone and calendar date because formatting is slow and offsets change at most twice a year.
 */
export class ZoneOffsets {
  readonly #formatters = new Map<string, Intl.DateTimeFormat>()
  readonly #cache = new Map<string, number>()

  /** Minutes east of UTC in `zone` at `instantMs` (Shanghai: 480). */
  minutesAt(zone: string, instantMs: number): number {
    const key = `${zone}|${Math.floor(instantMs / DAY_MS)}`
    const cached = this.#cache.get(key)
    if (cached !== undefined) return cached
    let formatter = this.#formatters.get(zone)
    if (!formatter) {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      this.#formatters.set(zone, formatter)
    }
    const name = formatter.formatToParts(new Date(instantMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT'
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name)
    const minutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0
    this.#cache.set(key, minutes)
    return minutes
  }

  /**
   * The instant at `secondOfDay` local time in `zone`, on the calendar date that starts at
   * `dayStartShanghaiMs` in Shanghai. Fractions of a second become milliseconds.
   */
  localToUtc(zone: string, dayStartShanghaiMs: number, secondOfDay: number): number {
    const civilMidnightUtc = dayStartShanghaiMs + SHANGHAI_OFFSET_MS
    const offset = this.minutesAt(zone, civilMidnightUtc + 12 * 3_600_000)
    return Math.round(civilMidnightUtc + secondOfDay * 1000 - offset * 60_000)
  }
}
