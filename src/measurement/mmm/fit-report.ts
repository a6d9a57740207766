/**
 * What a fit tells a marketer: how well the model explains the past (train) and predicts
 * periods it never saw (hold-out), and per channel the contribution, its share, ROI, marginal
 * ROI and response curve.
 *
 * - contribution: Σ_t β·hill(adstock(x)_t) over every period, i.e. the outcome the model
 *   attributes to the channel compared with not spending on it at all.
 * - ROI = contribution / spend over the same periods (revenue per unit spent when the outcome
 *   is revenue; conversions per unit spent when it is conversions).
 * - marginal ROI = the response curve's slope at the channel's mean spend per period: the
 *   outcome the next unit of steady spend would add. Below 1 (for revenue) the last unit lost
 *   money even if the average ROI is high.
 */
import { z } from 'zod'
import { AdstockSpec } from './adstock.ts'
import type { CandidateFit } from './candidate-fit.ts'
import { FitMetrics } from './fit-metrics.ts'
import type { MmmModel } from './model.ts'
import type { PreparedData } from './prepared-data.ts'
import { ResponsePoint, channelResponseCurve, sampleResponseCurve } from './response-curve.ts'

const Segment = z.object({ from: z.string(), to: z.string(), periods: z.number().int() })

export const ChannelReport = z.object({
  channel: z.string(),
  modelled: z.boolean(),
  spend: z.number(),
  meanSpend: z.number(),
  contribution: z.number(),
  /** Share of all media contributions. */
  share: z.number(),
  /** Share of the total actual outcome. */
  shareOfOutcome: z.number(),
  roi: z.number().nullable(),
  marginalRoi: z.number().nullable(),
  coefficient: z.number(),
  hyperparameters: z.object({
    adstock: AdstockSpec,
    alpha: z.number(),
    gamma: z.number(),
    halfSaturation: z.number(),
    carryoverMultiplier: z.number(),
  }),
  responseCurve: z.array(ResponsePoint),
})
export type ChannelReport = z.infer<typeof ChannelReport>

export const FitReport = z.object({
  outcome: z.string(),
  periods: z.number().int(),
  cadenceDays: z.number(),
  adstock: z.enum(['geometric', 'weibull_cdf', 'weibull_pdf']),
  mediaInput: z.enum(['spend', 'impressions']),
  split: z.object({ train: Segment, validation: Segment, holdout: Segment }),
  search: z.object({
    seed: z.number().int(),
    evaluations: z.number().int(),
    generations: z.number().int(),
    /**
     * The search criterion of the chosen candidate: NRMSE over the training periods, with the
     * model fitted on the periods before the validation block and predicting that block.
     */
    selectionNrmse: z.number(),
    /** The same candidate's NRMSE on the validation block alone (out of sample). */
    validationNrmse: z.number(),
    lambda: z.number(),
  }),
  metrics: z.object({ train: FitMetrics, holdout: FitMetrics }),
  channels: z.array(ChannelReport),
  baseline: z.object({
    /** The fitted intercept (outcome per period with no media and all terms at zero). */
    intercept: z.number(),
    /** intercept × periods, comparable with the contributions. */
    interceptContribution: z.number(),
    terms: z.array(
      z.object({
        name: z.string(),
        group: z.enum(['trend', 'seasonality', 'control']),
        coefficient: z.number(),
        contribution: z.number(),
      }),
    ),
  }),
  notes: z.array(z.string()),
})
export type FitReport = z.infer<typeof FitReport>

export interface ReportInputs {
  data: PreparedData
  fit: CandidateFit
  model: MmmModel
  adstock: FitReport['adstock']
  search: FitReport['search']
  metrics: FitReport['metrics']
  responseCurvePoints: number
}

/**
 * @example
 * const report = buildFitReport({ data, fit, model, adstock: 'geometric', search, metrics, responseCurvePoints: 41 })
 */
export function buildFitReport(inputs: ReportInputs): FitReport {
  const { data, fit, model } = inputs
  const fixedCount = data.fixed.length
  let totalOutcome = 0
  for (const y of data.y) totalOutcome += y

  const contributions = data.media.map((_, c) => {
    const beta = fit.ridge.coefficients[fixedCount + c] as number
    let total = 0
    for (const v of fit.saturated[c] as Float64Array) total += beta * v
    return total
  })
  const mediaTotal = contributions.reduce((a, b) => a + b, 0)

  const channels = data.media.map((m, c): ChannelReport => {
    const channel = model.channels[c]
    if (!channel) throw new Error(`model has no channel ${c}`)
    let spend = 0
    let maxSpend = 0
    for (const s of m.spend) {
      spend += s
      if (s > maxSpend) maxSpend = s
    }
    const contribution = contributions[c] as number
    const curve = channelResponseCurve(channel)
    const marginal = curve.marginal(channel.meanSpend)
    return {
      channel: m.name,
      modelled: m.modelled,
      spend,
      meanSpend: channel.meanSpend,
      contribution,
      share: mediaTotal > 0 ? contribution / mediaTotal : 0,
      shareOfOutcome: totalOutcome !== 0 ? contribution / totalOutcome : 0,
      roi: spend > 0 ? contribution / spend : null,
      marginalRoi: channel.meanSpend > 0 && Number.isFinite(marginal) ? marginal : null,
      coefficient: channel.coefficient,
      hyperparameters: {
        adstock: channel.adstock,
        alpha: channel.alpha,
        gamma: channel.gamma,
        halfSaturation: channel.halfSaturation,
        carryoverMultiplier: channel.carryoverMultiplier,
      },
      responseCurve: sampleResponseCurve(
        curve,
        Math.max(2 * channel.meanSpend, maxSpend),
        inputs.responseCurvePoints,
      ),
    }
  })

  const terms = data.fixed.map((f, j) => {
    const coefficient = fit.ridge.coefficients[j] as number
    let contribution = 0
    for (const v of f.values) contribution += coefficient * v
    return { name: f.name, group: f.group, coefficient, contribution }
  })

  const segment = (from: number, to: number): z.infer<typeof Segment> => ({
    from: data.dates[from] as string,
    to: data.dates[to - 1] as string,
    periods: to - from,
  })
  return {
    outcome: data.outcomeName,
    periods: data.n,
    cadenceDays: data.cadenceDays,
    adstock: inputs.adstock,
    mediaInput: model.mediaInput,
    split: {
      train: segment(0, data.holdoutStart),
      validation: segment(data.validationStart, data.holdoutStart),
      holdout: segment(data.holdoutStart, data.n),
    },
    search: inputs.search,
    metrics: inputs.metrics,
    channels,
    baseline: { intercept: fit.ridge.intercept, interceptContribution: fit.ridge.intercept * data.n, terms },
    notes: data.notes,
  }
}
