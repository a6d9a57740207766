/**
 * Fits the regression for one set of hyper-parameters: transforms each channel (adstock over the
 * whole series so carry-over flows into later periods, then Hill with K taken from the training
 * periods' range as Robyn does), fits the constrained ridge on the requested rows and predicts
 * every period.
 */
import { applyAdstock } from './adstock.ts'
import { fitConstrainedRidge, type RidgeFit } from './constrained-ridge.ts'
import type { Candidate } from './hyperparameter-space.ts'
import type { PreparedData } from './prepared-data.ts'
import { robynHalfSaturation, saturateSeries } from './saturation.ts'

export interface CandidateFit {
  candidate: Candidate
  /** Per channel, the transformed series β multiplies (all zeros for channels left out). */
  saturated: Float64Array[]
  halfSaturation: number[]
  /** Coefficients of the fixed columns, then of the media, as in {@link PreparedData}. */
  ridge: RidgeFit
  predicted: Float64Array
}

/**
 * @example
 * const fit = fitCandidate(data, candidate, { from: 0, to: data.validationStart })
 */
export function fitCandidate(
  data: PreparedData,
  candidate: Candidate,
  rows: { from: number; to: number },
): CandidateFit {
  const saturated: Float64Array[] = []
  const halfSaturation: number[] = []
  data.media.forEach((m, c) => {
    const hp = candidate.channels[c]
    if (!hp) throw new Error(`candidate has no hyper-parameters for channel '${m.name}'`)
    if (!m.modelled) {
      saturated.push(new Float64Array(data.n))
      halfSaturation.push(0)
      return
    }
    const adstocked = applyAdstock(m.input, hp.adstock, data.adstockWindow)
    const k = robynHalfSaturation(adstocked.subarray(0, data.holdoutStart), hp.gamma)
    saturated.push(saturateSeries(adstocked, hp.alpha, k))
    halfSaturation.push(k)
  })
  const columns = [...data.fixed.map((f) => f.values), ...saturated]
  const nonNegative = [...data.fixed.map(() => false), ...data.media.map(() => true)]
  const ridge = fitConstrainedRidge({ columns, y: data.y, rows, lambda: candidate.lambda, nonNegative })
  const predicted = new Float64Array(data.n).fill(ridge.intercept)
  columns.forEach((col, j) => {
    const beta = ridge.coefficients[j] as number
    if (beta === 0) return
    for (let t = 0; t < data.n; t++) predicted[t] = (predicted[t] as number) + beta * (col[t] as number)
  })
  return { candidate, saturated, halfSaturation, ridge, predicted }
}
