import { emptyCredits, type ChannelCredits } from './credits.ts'
import type { PathSet } from './path-set.ts'

/**
 * Rule-based attribution: each converting path's conversions and value are split over its
 * touches by a fixed rule (Google Analytics' classic models; ChannelAttribution's
 * `heuristic_models` for first, last and linear). Touches are taken as they come, repeats
 * included: a channel touched twice holds two touches. Paths without conversions carry nothing
 * to split and are skipped.
 */

/**
 * All credit to the first touch.
 *
 * @example
 * firstTouch(paths) // path a > b > c with 3 conversions → a: 3
 */
export function firstTouch(paths: PathSet): ChannelCredits {
  const credits = emptyCredits(paths)
  const { offsets, touches, conversions, values } = paths
  for (let i = 0; i < paths.size; i++) {
    const c = conversions[i]!
    if (c === 0) continue
    const id = touches[offsets[i]!]!
    credits.conversions[id]! += c
    credits.value[id]! += values[i]!
  }
  return credits
}

/**
 * All credit to the last touch before the conversion.
 *
 * @example
 * lastTouch(paths) // path a > b > c with 3 conversions → c: 3
 */
export function lastTouch(paths: PathSet): ChannelCredits {
  const credits = emptyCredits(paths)
  const { offsets, touches, conversions, values } = paths
  for (let i = 0; i < paths.size; i++) {
    const c = conversions[i]!
    if (c === 0) continue
    const id = touches[offsets[i + 1]! - 1]!
    credits.conversions[id]! += c
    credits.value[id]! += values[i]!
  }
  return credits
}

/** Options of {@link lastNonDirect}. */
export interface LastNonDirectOptions {
  /** Channels that count as direct traffic (exact names). Default `['direct']`. */
  directChannels?: readonly string[]
}

/**
 * All credit to the last touch that is not direct traffic (Google Analytics' "last non-direct
 * click"): a visit typed in or bookmarked is taken to follow from the marketing before it. A path
 * of direct touches only credits direct.
 *
 * @example
 * lastNonDirect(paths) // path email > direct → email; path direct > direct → direct
 */
export function lastNonDirect(paths: PathSet, options: LastNonDirectOptions = {}): ChannelCredits {
  const directNames = new Set(options.directChannels ?? ['direct'])
  const isDirect = new Uint8Array(paths.channels.length)
  paths.channels.forEach((name, id) => {
    if (directNames.has(name)) isDirect[id] = 1
  })
  const credits = emptyCredits(paths)
  const { offsets, touches, conversions, values } = paths
  for (let i = 0; i < paths.size; i++) {
    const c = conversions[i]!
    if (c === 0) continue
    const from = offsets[i]!
    let j = offsets[i + 1]! - 1
    while (j > from && isDirect[touches[j]!] === 1) j--
    // Either a non-direct touch, or the first touch of an all-direct path (direct itself).
    const id = isDirect[touches[j]!] === 1 ? touches[offsets[i + 1]! - 1]! : touches[j]!
    credits.conversions[id]! += c
    credits.value[id]! += values[i]!
  }
  return credits
}

/**
 * Every touch an equal share; a channel touched twice gets two shares (ChannelAttribution's
 * `linear_touch`).
 *
 * @example
 * linear(paths) // path a > b > a with 3 conversions → a: 2, b: 1
 */
export function linear(paths: PathSet): ChannelCredits {
  const credits = emptyCredits(paths)
  const { offsets, touches, conversions, values } = paths
  for (let i = 0; i < paths.size; i++) {
    const c = conversions[i]!
    if (c === 0) continue
    const from = offsets[i]!
    const to = offsets[i + 1]!
    const share = 1 / (to - from)
    const conversionShare = c * share
    const valueShare = values[i]! * share
    for (let j = from; j < to; j++) {
      const id = touches[j]!
      credits.conversions[id]! += conversionShare
      credits.value[id]! += valueShare
    }
  }
  return credits
}

/** Options of {@link positionBased}. */
export interface PositionBasedOptions {
  /** Share of the first touch on paths of three touches or more. Default 0.4. */
  firstShare?: number
  /** Share of the last touch on paths of three touches or more. Default 0.4. */
  lastShare?: number
}

/**
 * Position-based ("U-shaped", Google Analytics): 40 % to the first touch, 40 % to the last, the
 * remaining 20 % spread evenly over the touches in between. A single touch takes everything; two
 * touches split in the ratio first : last (50/50 with the default shares).
 *
 * @example
 * positionBased(paths) // a > b > c > d with 10 conversions → a: 4, b: 1, c: 1, d: 4
 */
export function positionBased(paths: PathSet, options: PositionBasedOptions = {}): ChannelCredits {
  const firstShare = options.firstShare ?? 0.4
  const lastShare = options.lastShare ?? 0.4
  if (!(firstShare >= 0 && lastShare >= 0 && firstShare + lastShare <= 1)) {
    throw new RangeError(
      `position-based shares must be ≥ 0 and add up to at most 1 (got first ${firstShare}, last ${lastShare})`,
    )
  }
  const middleShare = 1 - firstShare - lastShare
  const ends = firstShare + lastShare
  const twoFirst = ends > 0 ? firstShare / ends : 0.5
  const credits = emptyCredits(paths)
  const { offsets, touches, conversions, values } = paths
  const give = (id: number, share: number, c: number, v: number) => {
    credits.conversions[id]! += c * share
    credits.value[id]! += v * share
  }
  for (let i = 0; i < paths.size; i++) {
    const c = conversions[i]!
    if (c === 0) continue
    const v = values[i]!
    const from = offsets[i]!
    const to = offsets[i + 1]!
    const n = to - from
    if (n === 1) {
      give(touches[from]!, 1, c, v)
    } else if (n === 2) {
      give(touches[from]!, twoFirst, c, v)
      give(touches[from + 1]!, 1 - twoFirst, c, v)
    } else {
      give(touches[from]!, firstShare, c, v)
      give(touches[to - 1]!, lastShare, c, v)
      const each = middleShare / (n - 2)
      for (let j = from + 1; j < to - 1; j++) give(touches[j]!, each, c, v)
    }
  }
  return credits
}
