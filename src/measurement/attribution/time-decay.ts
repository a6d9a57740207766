import { emptyCredits, type ChannelCredits } from './credits.ts'
import type { PathSet } from './path-set.ts'

/** Options of {@link timeDecay}. */
export interface TimeDecayOptions {
  /** Days after which a touch's weight halves. Default 7 (Google Analytics' default). */
  halfLifeDays?: number
}

/**
 * Time decay (Google Analytics): each touch weighs `2^(−age / halfLife)`, age in days before the
 * conversion, and a path's conversions and value are split in proportion to the weights.
 *
 * Aggregated paths carry no timestamps; their touches are taken as one day apart counting back
 * from the conversion (see {@link PathSet.ages}), so with the default half-life the last touch of
 * a three-touch path weighs 1, the one before 2^(−1/7), the first 2^(−2/7).
 *
 * @example
 * timeDecay(paths, { halfLifeDays: 7 })
 */
export function timeDecay(paths: PathSet, options: TimeDecayOptions = {}): ChannelCredits {
  const halfLife = options.halfLifeDays ?? 7
  if (!(halfLife > 0 && Number.isFinite(halfLife))) {
    throw new RangeError(`time decay needs a half-life in days > 0 (got ${halfLife})`)
  }
  return paths.ages ? decayByAge(paths, paths.ages, halfLife) : decayByPosition(paths, halfLife)
}

/** Ages from timestamps: weights are computed per touch. */
function decayByAge(paths: PathSet, ages: Float64Array, halfLife: number): ChannelCredits {
  const credits = emptyCredits(paths)
  const { offsets, touches, conversions, values } = paths
  const rate = Math.LN2 / halfLife
  let weights = new Float64Array(64)
  for (let i = 0; i < paths.size; i++) {
    const c = conversions[i]!
    if (c === 0) continue
    const from = offsets[i]!
    const to = offsets[i + 1]!
    if (to - from > weights.length) weights = new Float64Array(2 * (to - from))
    // Weights relative to the youngest touch: the shares are the same and nothing underflows
    // when every touch is months old.
    let youngest = Infinity
    for (let j = from; j < to; j++) youngest = Math.min(youngest, ages[j]!)
    let sum = 0
    for (let j = from; j < to; j++) {
      const w = Math.exp(-(ages[j]! - youngest) * rate)
      weights[j - from] = w
      sum += w
    }
    const conversionUnit = c / sum
    const valueUnit = values[i]! / sum
    for (let j = from; j < to; j++) {
      const w = weights[j - from]!
      credits.conversions[touches[j]!]! += w * conversionUnit
      credits.value[touches[j]!]! += w * valueUnit
    }
  }
  return credits
}

/** One day apart: touch `j` of `n` is `n - 1 - j` days old, so weights depend only on position. */
function decayByPosition(paths: PathSet, halfLife: number): ChannelCredits {
  const credits = emptyCredits(paths)
  const { offsets, touches, conversions, values } = paths
  let longest = 0
  for (let i = 0; i < paths.size; i++) longest = Math.max(longest, offsets[i + 1]! - offsets[i]!)
  // weightByAge[d] = 2^(−d/h); totalByLength[n] = Σ_{d<n} weightByAge[d].
  const weightByAge = new Float64Array(longest)
  const totalByLength = new Float64Array(longest + 1)
  for (let d = 0; d < longest; d++) {
    weightByAge[d] = Math.pow(2, -d / halfLife)
    totalByLength[d + 1] = totalByLength[d]! + weightByAge[d]!
  }
  for (let i = 0; i < paths.size; i++) {
    const c = conversions[i]!
    if (c === 0) continue
    const from = offsets[i]!
    const to = offsets[i + 1]!
    const sum = totalByLength[to - from]!
    const conversionUnit = c / sum
    const valueUnit = values[i]! / sum
    for (let j = from; j < to; j++) {
      const w = weightByAge[to - 1 - j]!
      credits.conversions[touches[j]!]! += w * conversionUnit
      credits.value[touches[j]!]! += w * valueUnit
    }
  }
  return credits
}
