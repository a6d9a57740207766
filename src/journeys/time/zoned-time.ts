/**
 * Wall-clock arithmetic in a person's IANA timezone, with `Intl` only (no tz database of our
 * own): delays until a local time, quiet hours and per-calendar-day frequency caps all need
 * "what day and time is it for this person" and "when, in UTC, is 09:00 their time".
 */

export interface LocalParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    })
    formatters.set(timeZone, f)
  }
  return f
}

const knownZones = new Map<string, boolean>()

/** Whether `zone` is an IANA timezone this runtime knows. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false
  let known = knownZones.get(zone)
  if (known === undefined) {
    try {
      formatter(zone)
      known = true
    } catch {
      known = false
    }
    if (knownZones.size > 10_000) knownZones.clear()
    knownZones.set(zone, known)
  }
  return known
}

/** The person's timezone: their `timezone` trait when it is a real zone, else the workspace's. */
export function personTimeZone(traits: Record<string, unknown>, workspaceZone: string): string {
  return isTimeZone(traits.timezone) ? traits.timezone : workspaceZone
}

/** The wall-clock reading of an instant in a zone. */
export function localParts(at: number, timeZone: string): LocalParts {
  const wall = new Date(at + offsetAt(at, timeZone))
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    weekday: ((wall.getUTCDay() + 6) % 7) + 1,
  }
}

/** Reads the wall clock from `Intl` (slow: a formatter call); `offsetAt` caches what it learns. */
function intlParts(at: number, timeZone: string): LocalParts {
  const parts = formatter(timeZone).formatToParts(new Date(at))
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 }
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        out.year = Number(p.value)
        break
      case 'month':
        out.month = Number(p.value)
        break
      case 'day':
        out.day = Number(p.value)
        break
      case 'hour':
        out.hour = Number(p.value)
        break
      case 'minute':
        out.minute = Number(p.value)
        break
      case 'second':
        out.second = Number(p.value)
        break
      case 'weekday':
        out.weekday = WEEKDAY[p.value] ?? 0
        break
    }
  }
  return out
}

/**
 * The instant at which a wall-clock time occurs in a zone. In a daylight-saving gap the time is
 * moved forward by the gap (02:30 that does not exist becomes 03:30); in an overlap the earlier
 * instant is taken.
 *
 * @example zonedTimeToUtc({ year: 2026, month: 11, day: 21, hour: 9, minute: 0 }, 'Asia/Shanghai') // Date.UTC(2026, 10, 21, 1)
 */
export function zonedTimeToUtc(wall: { year: number; month: number; day: number; hour: number; minute: number; second?: number }, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0)
  // The offsets a day before and after bracket any transition near this time.
  const before = asUtc - offsetAt(asUtc - 86_400_000, timeZone)
  const after = asUtc - offsetAt(asUtc + 86_400_000, timeZone)
  const valid = [before, after].filter((t) => offsetAt(t, timeZone) === asUtc - t)
  if (valid.length > 0) return Math.min(...valid)
  // In a gap neither reading exists; the offset before the change moves it forward by the gap.
  return before
}

// Offsets change only at transitions, which every zone makes on a quarter hour: one Intl call
// per zone and quarter hour serves every send, delay and cap decision in it.
const QUARTER_HOUR = 900_000
const offsets = new Map<string, number>()

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function offsetAt(at: number, timeZone: string): number {
  const bucket = Math.floor(at / QUARTER_HOUR)
  const key = `${timeZone}|${bucket}`
  let offset = offsets.get(key)
  if (offset === undefined) {
    const start = bucket * QUARTER_HOUR
    const p = intlParts(start, timeZone)
    offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start
    if (offsets.size > 50_000) offsets.clear()
    offsets.set(key, offset)
  }
  return offset
}

/** `"HH:MM"` as minutes after midnight. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':')
  return Number(h) * 60 + Number(m)
}

/**
 * The first instant at or after `from` when the local time is `time` on one of `weekdays`
 * (ISO numbers, 1 = Monday; all days when empty).
 *
 * @example nextLocalTime(now, 'Asia/Shanghai', '09:00', [1, 2, 3, 4, 5]) // next weekday 09:00 in Shanghai
 */
export function nextLocalTime(from: number, timeZone: string, time: string, weekdays: readonly number[] = []): number {
  const minutes = minutesOf(time)
  const today = localParts(from, timeZone)
  // Calendar arithmetic on a UTC date carrying the local date, so month ends roll over correctly.
  const base = Date.UTC(today.year, today.month - 1, today.day)
  for (let offset = 0; offset <= 8; offset++) {
    const date = new Date(base + offset * 86_400_000)
    const weekday = ((date.getUTCDay() + 6) % 7) + 1
    if (weekdays.length > 0 && !weekdays.includes(weekday)) continue
    const at = zonedTimeToUtc({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone)
    if (at >= from) return at
  }
  throw new Error(`No ${time} on weekdays ${weekdays.join(',')} within 8 days of ${new Date(from).toISOString()} in ${timeZone}`)
}

/** The person's calendar day of an instant, `YYYY-MM-DD`, and the UTC instants it starts and ends. */
export function localDay(at: number, timeZone: string): { key: string; start: number; end: number } {
  const p = localParts(at, timeZone)
  const start = zonedTimeToUtc({ year: p.year, month: p.month, day: p.day, hour: 0, minute: 0 }, timeZone)
  const next = new Date(Date.UTC(p.year, p.month - 1, p.day) + 86_400_000)
  const end = zonedTimeToUtc({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0 }, timeZone)
  return { key: `${p.year}-${pad(p.month)}-${pad(p.day)}`, start, end }
}

/** The person's ISO week (Monday to Sunday) of an instant, and its UTC bounds. */
export function localWeek(at: number, timeZone: string): { key: string; start: number; end: number } {
  const p = localParts(at, timeZone)
  const monday = new Date(Date.UTC(p.year, p.month - 1, p.day) - (p.weekday - 1) * 86_400_000)
  const nextMonday = new Date(monday.getTime() + 7 * 86_400_000)
  const start = zonedTimeToUtc({ year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate(), hour: 0, minute: 0 }, timeZone)
  const end = zonedTimeToUtc({ year: nextMonday.getUTCFullYear(), month: nextMonday.getUTCMonth() + 1, day: nextMonday.getUTCDate(), hour: 0, minute: 0 }, timeZone)
  return { key: `${monday.getUTCFullYear()}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}/w`, start, end }
}

/**
 * Reads a date trait: `YYYY-MM-DD` is that day in the person's zone at `time` (default 00:00);
 * a full ISO date-time or epoch milliseconds is taken as the instant it names.
 */
export function dateTraitInstant(value: unknown, timeZone: string, time = '00:00'): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value !== 'string') return null
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim())
  if (dateOnly) {
    const minutes = minutesOf(time)
    const [y, m, d] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])]
    const check = new Date(Date.UTC(y, m - 1, d))
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null
    return zonedTimeToUtc({ year: y, month: m, day: d, hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone)
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value.trim())) return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
