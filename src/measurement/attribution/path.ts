import { z } from 'zod'

/**
 * The two shapes a customer path arrives in. Both feed the same models through a {@link PathSet}:
 *
 * - an **aggregated path** is one row of a path table such as ChannelAttribution's example data
 *   (`path;total_conversions;total_conversion_value;total_null`): the channels in order and how
 *   many journeys that followed exactly this path converted (with their total value) or did not;
 * - a **touch path** comes from the event log: the touches with their timestamps, so time decay
 *   can use real ages. It carries the same three outcome numbers (for one person usually
 *   `conversions` 1 or 0 and `nulls` the opposite).
 *
 * An aggregated path has no timestamps; time decay then treats its touches as one day apart,
 * counting back from the conversion (the last touch is 0 days old, the one before it 1 day, …).
 */

const Count = z.number().finite().nonnegative()

/** The outcome of the journeys that followed one path. */
const Outcome = {
  /** Journeys on this path that converted (may be fractional, e.g. weighted conversions). */
  conversions: Count,
  /** Total value of those conversions (≥ 0; a path with value must have conversions). */
  value: Count,
  /** Journeys on this path that ended without converting. */
  nulls: Count,
}

const valueNeedsConversions = (p: { conversions: number; value: number }) => p.value === 0 || p.conversions > 0
const valueNeedsConversionsMessage = { message: 'a path with conversion value must have conversions > 0' }

/**
 * One row of an aggregated path table.
 *
 * @example
 * const row: AggregatedPath = { path: ['email', 'search', 'direct'], conversions: 3, value: 120, nulls: 17 }
 */
export const AggregatedPath = z
  .object({
    path: z.array(z.string().min(1, 'a channel name must not be empty')).min(1, 'a path needs at least one channel'),
    ...Outcome,
  })
  .refine(valueNeedsConversions, valueNeedsConversionsMessage)
export type AggregatedPath = z.infer<typeof AggregatedPath>

/** One touch of a person's path: the channel and when it happened (epoch milliseconds, UTC). */
export const Touch = z.object({
  channel: z.string().min(1, 'a channel name must not be empty'),
  at: z.number().finite(),
})
export type Touch = z.infer<typeof Touch>

/**
 * A path with timestamps, as built from the event log. Touches are put in time order when the
 * path is added. `convertedAt` (epoch ms) is when the conversion happened; without it the last
 * touch's time is used. Touches after `convertedAt` are refused.
 *
 * @example
 * const journey: TouchPath = {
 *   touches: [{ channel: 'wechat', at: Date.parse('2025-03-01') }, { channel: 'search', at: Date.parse('2025-03-08') }],
 *   convertedAt: Date.parse('2025-03-08T12:00:00Z'),
 *   conversions: 1, value: 399, nulls: 0,
 * }
 */
export const TouchPath = z
  .object({
    touches: z.array(Touch).min(1, 'a path needs at least one touch'),
    convertedAt: z.number().finite().optional(),
    ...Outcome,
  })
  .refine(valueNeedsConversions, valueNeedsConversionsMessage)
export type TouchPath = z.infer<typeof TouchPath>

/** Milliseconds in a day, the unit of time decay's half-life. */
export const DAY_MS = 86_400_000
