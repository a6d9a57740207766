/**
 * Adstock: how spend in one period keeps working in the periods after it (carry-over).
 *
 * The three shapes and their parameters follow Meta's Robyn (`R/R/transformation.R`,
 * `adstock_geometric` and `adstock_weibull`, MIT licence) so that hyper-parameters read the same
 * as in Robyn's documentation:
 *
 * - geometric: `a[t] = x[t] + θ·a[t-1]`, a fixed decay rate θ ∈ [0, 1).
 * - Weibull CDF: the weight of lag `l` (1-based) is `∏_{j<l} (1 − F(j))` where F is the Weibull
 *   CDF with the given shape and a scale of `round(quantile(1..L, scale))`, i.e. the scale is a
 *   fraction of the window length L. Weight 1 at lag 1, so the peak is always immediate.
 * - Weibull PDF: the Weibull density at lags 1..L, min–max normalised to [0, 1]; with shape > 1
 *   the peak comes after the spend (a lagged effect).
 *
 * Robyn's window L is the length of the series; {@link applyAdstock} uses the same default and
 * lets a caller shorten it (lags at or beyond L then weigh nothing).
 */
import { z } from 'zod'

export const GeometricAdstock = z.object({
  type: z.literal('geometric'),
  /** Share of the adstocked value carried into the next period. */
  theta: z.number().min(0).lt(1),
})
export type GeometricAdstock = z.infer<typeof GeometricAdstock>

export const WeibullAdstock = z.object({
  type: z.enum(['weibull_cdf', 'weibull_pdf']),
  /** Weibull shape k; 0 turns the adstock off, as in Robyn. */
  shape: z.number().min(0),
  /** Weibull scale as a fraction of the window length (Robyn recommends 0–0.1). */
  scale: z.number().min(0).max(1),
})
export type WeibullAdstock = z.infer<typeof WeibullAdstock>

export const AdstockSpec = z.union([GeometricAdstock, WeibullAdstock])
export type AdstockSpec = z.infer<typeof AdstockSpec>

export type AdstockType = AdstockSpec['type']

/**
 * The weight each lag receives (index 0 = the period of the spend itself), over `windowLength`
 * lags.
 *
 * @example
 * adstockWeights({ type: 'geometric', theta: 0.5 }, 4) // [1, 0.5, 0.25, 0.125]
 */
export function adstockWeights(spec: AdstockSpec, windowLength: number): Float64Array {
  if (!Number.isInteger(windowLength) || windowLength < 1) {
    throw new Error(`adstock window length must be a positive integer, got ${windowLength}`)
  }
  const weights = new Float64Array(windowLength)
  if (spec.type === 'geometric') {
    let w = 1
    for (let l = 0; l < windowLength; l++) {
      weights[l] = w
      w *= spec.theta
    }
    return weights
  }
  if (spec.shape === 0 || spec.scale === 0) {
    // Robyn returns the series unchanged: all weight on the immediate period.
    weights[0] = 1
    return weights
  }
  const scale = roundHalfEven(1 + spec.scale * (windowLength - 1))
  if (spec.type === 'weibull_cdf') {
    let cumulative = 1
    weights[0] = 1
    for (let l = 1; l < windowLength; l++) {
      // 1 − pweibull(l) is the survival function exp(−(l/scale)^shape).
      cumulative *= Math.exp(-Math.pow(l / scale, spec.shape))
      weights[l] = cumulative
    }
    return weights
  }
  let min = Infinity
  let max = -Infinity
  for (let l = 0; l < windowLength; l++) {
    const d = weibullDensity(l + 1, spec.shape, scale)
    weights[l] = d
    if (d < min) min = d
    if (d > max) max = d
  }
  if (!(max > min)) {
    weights.fill(0)
    weights[0] = 1
    return weights
  }
  for (let l = 0; l < windowLength; l++) weights[l] = ((weights[l] as number) - min) / (max - min)
  return weights
}

/**
 * The adstocked series. Starts from nothing carried over before the first period, as Robyn does.
 *
 * @example
 * applyAdstock([100, 100, 100, 100, 100], { type: 'geometric', theta: 0.5 })
 * // [100, 150, 175, 187.5, 193.75]
 */
export function applyAdstock(
  series: ArrayLike<number>,
  spec: AdstockSpec,
  windowLength: number = series.length,
): Float64Array {
  const n = series.length
  const out = new Float64Array(n)
  if (n === 0) return out
  if (spec.type === 'geometric' && windowLength >= n) {
    // The recursion equals the convolution with θ^lag when no lag is cut off.
    let carried = 0
    for (let t = 0; t < n; t++) {
      carried = (series[t] as number) + spec.theta * carried
      out[t] = carried
    }
    return out
  }
  const weights = adstockWeights(spec, windowLength)
  // Weights below 1e-12 of the largest change no sum measurably but cost O(n) each; skipping
  // them keeps Weibull adstock over long daily series affordable inside the search.
  let largest = 0
  for (const w of weights) if (w > largest) largest = w
  let lags = Math.min(windowLength, n)
  while (lags > 1 && (weights[lags - 1] as number) <= 1e-12 * largest) lags--
  for (let t = 0; t < n; t++) {
    let sum = 0
    const maxLag = Math.min(lags - 1, t)
    for (let l = 0; l <= maxLag; l++) sum += (weights[l] as number) * (series[t - l] as number)
    out[t] = sum
  }
  return out
}

/**
 * How much a constant spend per period is multiplied by once carry-over has built up: the sum of
 * the weights. A steady spend `s` per period becomes an adstocked level `s × multiplier`, which
 * is what response curves and the budget optimiser evaluate.
 *
 * @example
 * carryoverMultiplier({ type: 'geometric', theta: 0.5 }, 52) // ≈ 2
 */
export function carryoverMultiplier(spec: AdstockSpec, windowLength: number): number {
  const weights = adstockWeights(spec, windowLength)
  let sum = 0
  for (const w of weights) sum += w
  return sum
}

function weibullDensity(x: number, shape: number, scale: number): number {
  const z = x / scale
  return (shape / scale) * Math.pow(z, shape - 1) * Math.exp(-Math.pow(z, shape))
}

/** R's `round()` rounds halves to even (IEC 60559); Robyn's scale index depends on it. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x)
  const diff = x - floor
  if (diff > 0.5) return floor + 1
  if (diff < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}
