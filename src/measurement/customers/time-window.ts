import { z } from 'zod'
import { InvalidMeasurementInput } from './input-error.ts'

/** Times are UTC; weeks start on Monday (ISO 8601). */
export const DAY_MS = 86_400_000
export const WEEK_MS = 7 * DAY_MS

export const Duration = z.object({
  amount: z.number().positive().max(100_000),
  unit: z.enum(['minute', 'hour', 'day', 'week']),
})
export type Duration = z.infer<typeof Duration>

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: DAY_MS, week: WEEK_MS } as const

export function durationMs(d: Duration): number {
  return d.amount * UNIT_MS[d.unit]
}

/** An instant as the API accepts it: `2026-03-01` (UTC midnight) or an ISO 8601 date-time with offset. */
export const Instant = z.string().min(1).describe('ISO 8601 date (UTC midnight) or date-time with offset, e.g. 2026-03-01 or 2026-03-01T08:00:00+08:00')

/**
 * @example parseInstant('2026-03-01', 'from') // Date.UTC(2026, 2, 1)
 */
export function parseInstant(value: string, field: string): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)
  const ms = dateOnly ? Date.parse(`${value}T00:00:00Z`) : withOffset ? Date.parse(value) : Number.NaN
  if (!Number.isFinite(ms)) throw new InvalidMeasurementInput(`${field} must be an ISO 8601 date (2026-03-01) or date-time with an offset (2026-03-01T08:00:00+08:00); got ${JSON.stringify(value)}`)
  return ms
}

/** Parses a `from`/`to` pair and checks that it is a non-empty range. */
export function parseRange(from: string, to: string): { from: number; to: number } {
  const range = { from: parseInstant(from, 'from'), to: parseInstant(to, 'to') }
  if (range.to <= range.from) throw new InvalidMeasurementInput(`to (${to}) must be after from (${from})`)
  return range
}

export type CalendarUnit = 'day' | 'week' | 'month'

/**
 * The calendar period an instant falls in, as a running index: days and ISO weeks since the
 * epoch, months since January 1970. Differences of indexes count calendar periods.
 */
export function periodIndex(ms: number, unit: CalendarUnit): number {
  if (unit === 'day') return Math.floor(ms / DAY_MS)
  // 1970-01-01 was a Thursday; shifting by 3 days makes weeks start on Monday.
  if (unit === 'week') return Math.floor((ms + 3 * DAY_MS) / WEEK_MS)
  const d = new Date(ms)
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth()
}

/** The first instant of a period index. */
export function periodStart(index: number, unit: CalendarUnit): number {
  if (unit === 'day') return index * DAY_MS
  if (unit === 'week') return index * WEEK_MS - 3 * DAY_MS
  return Date.UTC(1970 + Math.floor(index / 12), ((index % 12) + 12) % 12, 1)
}

/** A period's label: `2026-03-02` for days and weeks (the Monday), `2026-03` for months. */
export function periodLabel(index: number, unit: CalendarUnit): string {
  const iso = new Date(periodStart(index, unit)).toISOString()
  return unit === 'month' ? iso.slice(0, 7) : iso.slice(0, 10)
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString()
}
