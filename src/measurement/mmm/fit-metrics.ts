/**
 * Goodness-of-fit figures reported for the training and hold-out periods.
 *
 * - R² = 1 − SSE / SST, with SST around the mean of the same periods (so a hold-out R² below 0
 *   means the model does worse there than that period's own mean).
 * - NRMSE = RMSE / (max(y) − min(y)), Robyn's normalisation (`R/R/model.R`), comparable across
 *   outcomes of different scale.
 * - MAPE = mean(|y − ŷ| / |y|) over periods with y ≠ 0, as a fraction (0.05 = 5 %).
 */
import { z } from 'zod'

export const FitMetrics = z.object({
  periods: z.number().int(),
  r2: z.number(),
  nrmse: z.number(),
  mape: z.number(),
})
export type FitMetrics = z.infer<typeof FitMetrics>

/**
 * @example
 * fitMetrics([1, 2, 3], [1, 2, 3]) // { periods: 3, r2: 1, nrmse: 0, mape: 0 }
 */
export function fitMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): FitMetrics {
  const n = actual.length
  if (n === 0 || predicted.length !== n) {
    throw new Error(`fit metrics need equal, non-empty series (got ${n} and ${predicted.length})`)
  }
  let mean = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    const y = actual[i] as number
    mean += y
    if (y < min) min = y
    if (y > max) max = y
  }
  mean /= n
  let sse = 0
  let sst = 0
  let ape = 0
  let apeCount = 0
  for (let i = 0; i < n; i++) {
    const y = actual[i] as number
    const e = y - (predicted[i] as number)
    sse += e * e
    sst += (y - mean) * (y - mean)
    if (y !== 0) {
      ape += Math.abs(e / y)
      apeCount++
    }
  }
  const rmse = Math.sqrt(sse / n)
  const range = max - min
  return {
    periods: n,
    r2: sst > 0 ? 1 - sse / sst : sse === 0 ? 1 : 0,
    nrmse: range > 0 ? rmse / range : rmse === 0 ? 0 : Infinity,
    mape: apeCount > 0 ? ape / apeCount : 0,
  }
}
