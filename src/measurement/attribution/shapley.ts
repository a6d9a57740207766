import { emptyCredits, type ChannelCredits } from './credits.ts'
import type { PathSet } from './path-set.ts'

/*
 * Shapley attribution after K. Zhao, S. H. Mahboobi, S. R. Bagheri, "Shapley Value Methods for
 * Attribution Modeling in Online Advertising" (2018, arXiv:1804.05327).
 *
 * The game: channels are players, and the worth v(S) of a coalition S is the conversions of the
 * journeys whose set of distinct channels lies inside S, v(S) = Σ_{T ⊆ S} r(T), where r(T) is the
 * conversions of journeys whose channel set is exactly T. For this game the paper shows the
 * Shapley value simplifies to
 *
 *     φ_j = Σ_{T ∋ j} r(T) / |T|
 *
 * — every converting channel set's conversions split equally among its distinct channels — which
 * is linear in the data instead of exponential in the number of channels. Value is split the same
 * way with r(T) the conversion value.
 */

/**
 * The simplified Shapley value: each converting path's conversions and value split equally
 * among its distinct channels (repeats count once).
 *
 * @example
 * // a ×4 conversions, a > b ×6 conversions → a: 4 + 6/2 = 7, b: 6/2 = 3
 * shapley(paths)
 */
export function shapley(paths: PathSet): ChannelCredits {
  const credits = emptyCredits(paths)
  const { offsets, touches, conversions, values } = paths
  const seenOnPath = new Int32Array(paths.channels.length).fill(-1)
  const distinct = new Int32Array(paths.channels.length)
  for (let i = 0; i < paths.size; i++) {
    const c = conversions[i]!
    if (c === 0) continue
    let k = 0
    for (let j = offsets[i]!; j < offsets[i + 1]!; j++) {
      const id = touches[j]!
      if (seenOnPath[id] !== i) {
        seenOnPath[id] = i
        distinct[k++] = id
      }
    }
    const conversionShare = c / k
    const valueShare = values[i]! / k
    for (let m = 0; m < k; m++) {
      credits.conversions[distinct[m]!]! += conversionShare
      credits.value[distinct[m]!]! += valueShare
    }
  }
  return credits
}

/**
 * Ordered Shapley credits: the simplified Shapley value broken down by touch position.
 * `byPosition.conversions[channel][p]` is what the channel earns at touch `p + 1`.
 */
export interface OrderedShapleyCredits extends ChannelCredits {
  readonly byPosition: { readonly conversions: Float64Array[]; readonly value: Float64Array[] }
  /** Length of the longest path: the number of positions. */
  readonly positions: number
}

/**
 * The ordered Shapley value of Zhao et al. (2018, section "ordered Shapley value"): the credit of
 * channel j at touch position i is
 *
 *     φ_j^(i) = Σ_{T ∋ j} (1/|T|) · Σ_{paths P with channel set T} r(P) · [P_i = j] / N_j(P)
 *
 * where N_j(P) is how often j occurs on path P: a channel's equal share of a path is divided
 * evenly over its occurrences, each credited to the position it occurs at. Summed over positions
 * it is the simplified Shapley value, φ_j = Σ_i φ_j^(i), so the per-channel totals equal
 * {@link shapley}'s; the positions show whether a channel earns early or late in journeys.
 *
 * @example
 * // a > b > a with 6 conversions → a: 1.5 at touch 1 and 1.5 at touch 3, b: 3 at touch 2
 * orderedShapley(paths).byPosition.conversions
 */
export function orderedShapley(paths: PathSet): OrderedShapleyCredits {
  const { offsets, touches, conversions, values } = paths
  const channelCount = paths.channels.length
  let positions = 0
  for (let i = 0; i < paths.size; i++) {
    if (conversions[i]! > 0) positions = Math.max(positions, offsets[i + 1]! - offsets[i]!)
  }
  // One flat row of `positions` cells per channel; split into per-channel views at the end.
  const conversionCells = new Float64Array(channelCount * positions)
  const valueCells = new Float64Array(channelCount * positions)
  const seenOnPath = new Int32Array(channelCount).fill(-1)
  const occurrences = new Int32Array(channelCount)
  for (let i = 0; i < paths.size; i++) {
    const c = conversions[i]!
    if (c === 0) continue
    const from = offsets[i]!
    const to = offsets[i + 1]!
    let k = 0
    for (let j = from; j < to; j++) {
      const id = touches[j]!
      if (seenOnPath[id] !== i) {
        seenOnPath[id] = i
        occurrences[id] = 0
        k++
      }
      occurrences[id]!++
    }
    const conversionShare = c / k
    const valueShare = values[i]! / k
    for (let j = from; j < to; j++) {
      const id = touches[j]!
      const perOccurrence = 1 / occurrences[id]!
      const cell = id * positions + (j - from)
      conversionCells[cell]! += conversionShare * perOccurrence
      valueCells[cell]! += valueShare * perOccurrence
    }
  }
  const credits = emptyCredits(paths)
  const byConversions: Float64Array[] = []
  const byValue: Float64Array[] = []
  for (let id = 0; id < channelCount; id++) {
    const conversionRow = conversionCells.subarray(id * positions, (id + 1) * positions)
    const valueRow = valueCells.subarray(id * positions, (id + 1) * positions)
    byConversions.push(conversionRow)
    byValue.push(valueRow)
    credits.conversions[id] = conversionRow.reduce((sum, x) => sum + x, 0)
    credits.value[id] = valueRow.reduce((sum, x) => sum + x, 0)
  }
  return { ...credits, byPosition: { conversions: byConversions, value: byValue }, positions }
}
