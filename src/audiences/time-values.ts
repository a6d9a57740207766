import { z } from 'zod'

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const

/** Ten years: a longer window is almost certainly a typo (`3650d` is the most one may ask for). */
const MAX_DURATION_MS = 3650 * UNIT_MS.d

/**
 * A relative window such as `30d`: a whole number then `m` (minutes), `h` (hours), `d` (days) or
 * `w` (weeks). Kept as the string the person wrote, so a definition reads back as it was saved.
 *
 * @example Duration.parse('30d') // '30d'; durationMs('30d') === 2_592_000_000
 */
export const Duration = z
  .string({ error: 'expected a duration such as "30d" (m, h, d or w)' })
  .regex(/^[1-9][0-9]{0,6}[mhdw]$/, { error: 'expected a duration such as "30d": a whole number then m (minutes), h (hours), d (days) or w (weeks)' })
  .refine((value) => durationMs(value) <= MAX_DURATION_MS, { error: 'a window may be at most 3650d (ten years)' })
export type Duration = z.infer<typeof Duration>

export function durationMs(duration: string): number {
  const unit = duration[duration.length - 1] as keyof typeof UNIT_MS
  return Number(duration.slice(0, -1)) * UNIT_MS[unit]
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * An ISO 8601 date (`2026-11-11`) or date-time (`2026-11-11T20:00:00+08:00`). A time without an
 * offset is UTC — the same reading the database gives stored date strings, so a definition and
 * the data it tests agree.
 */
export const IsoDate = z
  .string({ error: 'expected an ISO 8601 date such as "2026-11-11" or "2026-11-11T20:00:00+08:00"' })
  .refine((value) => isoDateMs(value) !== null, { error: 'expected an ISO 8601 date such as "2026-11-11" or "2026-11-11T20:00:00+08:00"' })
export type IsoDate = z.infer<typeof IsoDate>

/** Epoch milliseconds of an ISO date, or null when it is not one (or names no real day). */
export function isoDateMs(value: string): number | null {
  const match = ISO_DATE.exec(value)
  if (!match) return null
  let text = value.replace(' ', 'T')
  // `Date.parse` reads a date-time without offset as local time; ours are UTC.
  if (text.includes('T') && match[1] === undefined) text += 'Z'
  const ms = Date.parse(text)
  if (!Number.isFinite(ms)) return null
  // Reject days that do not exist (2026-02-30), which Date.parse would roll into March.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number]
  const day = new Date(Date.UTC(y, m - 1, d))
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return null
  return ms
}

export const DAY_MS = UNIT_MS.d
