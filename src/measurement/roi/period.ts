/**
 * Report periods. People think in days of their own time zone, spend exports are by day, and the
 * log is in UTC milliseconds: a period is both an instant range [from, to) and the inclusive range
 * of local dates it covers.
 */
export interface Period {
  from: number
  to: number
  /** First and last local date in the period (YYYY-MM-DD), for daily spend. */
  fromDate: string
  toDate: string
  timeZone: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * `from` and `to` as dates (`2025-03-01`: that whole day in `timeZone`, `to` included) or ISO
 * instants with an offset (`2025-03-01T00:00:00+08:00`; `to` excluded).
 *
 * @example resolvePeriod('2025-03-01', '2025-03-31', 'Asia/Shanghai')
 * // { ok: true, period: { from: Date.parse('2025-02-28T16:00Z'), to: Date.parse('2025-03-31T16:00Z'), fromDate: '2025-03-01', toDate: '2025-03-31', … } }
 */
export function resolvePeriod(from: string, to: string, timeZone: string): { ok: true; period: Period } | { ok: false; message: string } {
  const start = instantOf(from, timeZone, false)
  const end = instantOf(to, timeZone, true)
  if (start === null) return { ok: false, message: `from '${from}' is not a date (YYYY-MM-DD) or an ISO time with an offset` }
  if (end === null) return { ok: false, message: `to '${to}' is not a date (YYYY-MM-DD) or an ISO time with an offset` }
  if (end <= start) return { ok: false, message: `the period is empty: to (${to}) must come after from (${from})` }
  if (end - start > 3 * 366 * 86_400_000) return { ok: false, message: 'a period can be at most three years long' }
  return { ok: true, period: { from: start, to: end, fromDate: localDate(start, timeZone), toDate: localDate(end - 1, timeZone), timeZone } }
}

function instantOf(text: string, timeZone: string, isEnd: boolean): number | null {
  if (DATE.test(text)) {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number]
    const check = new Date(Date.UTC(y, m - 1, d))
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null
    return zonedDayStart(y, m, d + (isEnd ? 1 : 0), timeZone)
  }
  if (!/[T ]\d{2}:\d{2}/.test(text) || !/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return null
  const at = Date.parse(text)
  return Number.isFinite(at) ? at : null
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formatters.set(timeZone, f)
  }
  return f
}

function wallClock(at: number, timeZone: string): { y: number; m: number; d: number; asUtc: number } {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
  return { y: parts.year!, m: parts.month!, d: parts.day!, asUtc }
}

/**
 * The instant a local day starts in a time zone (the day may be given overflowing, e.g. March 32).
 *
 * @example zonedDayStart(2025, 3, 1, 'Asia/Shanghai') // Date.parse('2025-02-28T16:00:00Z')
 */
export function zonedDayStart(year: number, month: number, day: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day)
  let guess = naive
  for (let i = 0; i < 3; i++) {
    const offset = wallClock(guess, timeZone).asUtc - Math.floor(guess / 1000) * 1000
    const next = naive - offset
    if (next === guess) break
    guess = next
  }
  return guess
}

/**
 * The local date of an instant, YYYY-MM-DD.
 *
 * @example localDate(Date.parse('2025-02-28T16:00:00Z'), 'Asia/Shanghai') // '2025-03-01'
 */
export function localDate(at: number, timeZone: string): string {
  const { y, m, d } = wallClock(at, timeZone)
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}
