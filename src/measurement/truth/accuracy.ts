/**
 * How close estimates come to known values, channel by channel.
 *
 * - MAPE: mean of |estimate − truth| / |truth| over channels whose truth is not 0 (a channel that
 *   caused nothing has no percentage error; it is counted in `skipped`);
 * - WAPE: Σ|estimate − truth| / Σ|truth|, the error weighted by size;
 * - Spearman's ρ: the rank correlation — does the method order the channels right? (Ties get
 *   their average rank; ρ is the Pearson correlation of the ranks.)
 * - share MAPE: MAPE of each channel's share of the estimates against its share of the truth, so
 *   a method that credits all conversions (attribution) can be judged on how it splits them even
 *   though its totals are far above the incremental ones.
 */
export interface Accuracy {
  channels: number
  mape: number | null
  wape: number | null
  spearman: number | null
  shareMape: number | null
  skipped: number
}

/**
 * @example accuracy([{ estimate: 110, truth: 100 }, { estimate: 45, truth: 50 }]) // mape 0.1, spearman 1
 */
export function accuracy(pairs: readonly { estimate: number; truth: number }[]): Accuracy {
  const usable = pairs.filter((p) => p.truth !== 0)
  const mape = usable.length > 0 ? usable.reduce((s, p) => s + Math.abs(p.estimate - p.truth) / Math.abs(p.truth), 0) / usable.length : null
  const truthSum = pairs.reduce((s, p) => s + Math.abs(p.truth), 0)
  const wape = truthSum > 0 ? pairs.reduce((s, p) => s + Math.abs(p.estimate - p.truth), 0) / truthSum : null
  const estimateTotal = pairs.reduce((s, p) => s + p.estimate, 0)
  const truthTotal = pairs.reduce((s, p) => s + p.truth, 0)
  let shareMape: number | null = null
  if (estimateTotal !== 0 && truthTotal !== 0 && usable.length > 0) {
    shareMape = usable.reduce((s, p) => {
      const share = p.truth / truthTotal
      return s + Math.abs(p.estimate / estimateTotal - share) / Math.abs(share)
    }, 0) / usable.length
  }
  return { channels: pairs.length, mape, wape, spearman: spearman(pairs.map((p) => p.estimate), pairs.map((p) => p.truth)), shareMape, skipped: pairs.length - usable.length }
}

/**
 * Spearman's rank correlation; `null` with fewer than two values or when one side is constant.
 *
 * @example spearman([1, 2, 3], [10, 30, 20]) // 0.5
 */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError('spearman needs two lists of the same length')
  if (x.length < 2) return null
  return pearson(ranks(x), ranks(y))
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  const out = new Array<number>(values.length)
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) out[order[k]![1]] = rank
    i = j + 1
  }
  return out
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length
  const mx = x.reduce((a, b) => a + b, 0) / n
  const my = y.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my)
    sxx += (x[i]! - mx) ** 2
    syy += (y[i]! - my) ** 2
  }
  if (sxx === 0 || syy === 0) return null
  return sxy / Math.sqrt(sxx * syy)
}
