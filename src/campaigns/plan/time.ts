/**
 * Instants for plans: stored as epoch milliseconds (UTC). People write dates (`2026-03-01`) or
 * local times (`2026-03-01T09:30`) in the campaign's time zone, or instants with an offset
 * (`2026-03-01T01:30:00Z`, `…+08:00`). A date alone starts at local midnight; as an end it means
 * the end of that day (the next local midnight), so a one-day task is 1 March to 1 March.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/

export const DAY_MS = 86_400_000

/** Whether `timeZone` is an IANA zone this runtime knows (Asia/Shanghai, Europe/London …). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

/** The zone's offset from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffset(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs))
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value)
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return wall - Math.floor(utcMs / 1000) * 1000
}

/** The instant a wall-clock time in a zone names (two passes settle a daylight-saving change). */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second)
  let utc = wall - zoneOffset(wall, timeZone)
  utc = wall - zoneOffset(utc, timeZone)
  return utc
}

/**
 * @example
 * parseInstant('2026-03-01', 'Asia/Shanghai', 'start') // Date.UTC(2026, 1, 28, 16) — local midnight
 * parseInstant('2026-03-01', 'Asia/Shanghai', 'end')   // Date.UTC(2026, 2, 1, 16) — the end of 1 March
 * parseInstant('2026-03-01T09:30', 'Asia/Shanghai', 'start') // Date.UTC(2026, 2, 1, 1, 30)
 */
export function parseInstant(value: string, timeZone: string, edge: 'start' | 'end'): number | null {
  const text = value.trim()
  const date = DATE.exec(text)
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])]
    if (!validDate(y, m, d)) return null
    const start = zonedTime(y, m, d, 0, 0, 0, timeZone)
    if (edge === 'start') return start
    const next = new Date(Date.UTC(y, m - 1, d + 1))
    return zonedTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, 0, timeZone)
  }
  const local = LOCAL.exec(text)
  if (local) {
    const [y, m, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(local[i] ?? 0)) as [number, number, number, number, number, number]
    if (!validDate(y, m, d) || h > 23 || mi > 59 || s > 59) return null
    return zonedTime(y, m, d, h, mi, s, timeZone)
  }
  if (WITH_OFFSET.test(text)) {
    const ms = Date.parse(text)
    return Number.isNaN(ms) ? null : ms
  }
  return null
}

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(utcMs: number, timeZone: string): string {
  const shifted = new Date(utcMs + zoneOffset(utcMs, timeZone))
  return shifted.toISOString().slice(0, 10)
}

export const iso = (ms: number): string => new Date(ms).toISOString()

/** Days, to two decimals (for people; computations stay in ms). */
export const days = (ms: number): number => Math.round((ms / DAY_MS) * 100) / 100
