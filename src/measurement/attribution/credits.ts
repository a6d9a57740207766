import type { PathSet } from './path-set.ts'

/**
 * What one model credits to each channel: arrays indexed by channel id (see
 * {@link PathSet.channels}). Every model splits each path's conversions and value completely, so
 * the arrays sum to the path set's totals.
 */
export interface ChannelCredits {
  readonly channels: readonly string[]
  readonly conversions: Float64Array
  readonly value: Float64Array
}

/** Credit of one channel in plain-object form, as printed and served. */
export interface ChannelCredit {
  conversions: number
  value: number
}

/** Totals of a path set: what every model's credits add up to. */
export interface PathTotals {
  conversions: number
  value: number
  nulls: number
  /** Number of path rows (not journeys). */
  paths: number
}

/** Zeroed credits for every channel of `paths`. */
export function emptyCredits(paths: PathSet): ChannelCredits {
  const n = paths.channels.length
  return { channels: paths.channels, conversions: new Float64Array(n), value: new Float64Array(n) }
}

/**
 * Sums a path set's outcomes.
 *
 * @example
 * pathTotals(paths) // → { conversions: 19785, value: 74802.97…, nulls: 68602, paths: 10000 }
 */
export function pathTotals(paths: PathSet): PathTotals {
  let conversions = 0
  let value = 0
  let nulls = 0
  for (let i = 0; i < paths.size; i++) {
    conversions += paths.conversions[i]!
    value += paths.values[i]!
    nulls += paths.nulls[i]!
  }
  return { conversions, value, nulls, paths: paths.size }
}

/**
 * Credits as `{ channel: { conversions, value } }`, channels in name order so outputs of
 * different runs line up.
 *
 * @example
 * creditRecord(firstTouch(paths)).email // → { conversions: 12, value: 480 }
 */
export function creditRecord(credits: ChannelCredits): Record<string, ChannelCredit> {
  const record: Record<string, ChannelCredit> = {}
  for (const id of channelOrder(credits.channels)) {
    record[credits.channels[id]!] = { conversions: credits.conversions[id]!, value: credits.value[id]! }
  }
  return record
}

/** Channel ids sorted by channel name. */
export function channelOrder(channels: readonly string[]): number[] {
  return channels.map((_, id) => id).sort((a, b) => compareNames(channels[a]!, channels[b]!))
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
