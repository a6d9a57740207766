import { z } from 'zod'

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const

/** A year: journeys wait seconds to weeks; a longer delay is almost certainly a typo. */
export const MAX_DELAY_MS = 52 * UNIT_MS.w

const PATTERN = /^(-?)([1-9][0-9]{0,6})([smhdw])$/

/**
 * A length of time such as `90s`, `15m`, `1h`, `3d` or `2w`: a whole number then s (seconds),
 * m (minutes), h (hours), d (days) or w (weeks) — the same spelling audience windows use.
 *
 * @example Duration.parse('1h'); durationMs('1h') === 3_600_000
 */
export const Duration = z
  .string({ error: 'expected a duration such as "1h": a whole number then s, m, h, d or w' })
  .regex(/^[1-9][0-9]{0,6}[smhdw]$/, { error: 'expected a duration such as "1h": a whole number then s (seconds), m (minutes), h (hours), d (days) or w (weeks)' })
  .refine((value) => !PATTERN.test(value) || durationMs(value) <= MAX_DELAY_MS, { error: 'a duration may be at most 52w (a year)' })
export type Duration = z.infer<typeof Duration>

/** An offset that may be negative, e.g. `-1d` (the day before a date trait). */
export const SignedDuration = z
  .string({ error: 'expected an offset such as "-1d" or "2h"' })
  .regex(/^-?[1-9][0-9]{0,6}[smhdw]$/, { error: 'expected an offset such as "-1d" or "2h": an optional minus, a whole number, then s, m, h, d or w' })
  .refine((value) => !PATTERN.test(value) || Math.abs(durationMs(value)) <= MAX_DELAY_MS, { error: 'an offset may be at most 52w (a year)' })
export type SignedDuration = z.infer<typeof SignedDuration>

/** Milliseconds of a duration or signed offset. */
export function durationMs(duration: string): number {
  const match = PATTERN.exec(duration)
  if (!match) throw new Error(`Not a duration: ${JSON.stringify(duration)}`)
  const sign = match[1] === '-' ? -1 : 1
  return sign * Number(match[2]) * UNIT_MS[match[3] as keyof typeof UNIT_MS]
}
