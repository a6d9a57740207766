/**
 * Options of {@link fitMmm} and the hyper-parameter search space.
 *
 * Default bounds follow Robyn's guidance (`R/R/transformation.R` and its demo): θ up to 0.9
 * (TV 0.3–0.8, print/OOH 0.1–0.4, digital 0–0.3), Weibull shape 0.0001–2 (CDF) or 0.0001–10 (PDF)
 * with scale 0–0.1, Hill α 0.5–3 and γ 0.3–1.
 */
import { z } from 'zod'
import type { AdstockType } from './adstock.ts'

const Range = z
  .tuple([z.number().finite(), z.number().finite()])
  .refine(([lo, hi]) => lo <= hi, 'a range is [low, high] with low ≤ high')
export type Range = [number, number]

export const ChannelSearchBounds = z.object({
  theta: Range.optional(),
  shape: Range.optional(),
  scale: Range.optional(),
  alpha: Range.optional(),
  gamma: Range.optional(),
})
export type ChannelSearchBounds = z.infer<typeof ChannelSearchBounds>

export const MmmFitOptions = z.object({
  adstock: z.enum(['geometric', 'weibull_cdf', 'weibull_pdf']).default('geometric'),
  /** Lags the adstock can reach; defaults to the number of periods, as in Robyn. */
  adstockWindow: z.number().int().positive().optional(),
  /** Model each channel's spend, or its impressions (every channel then needs impressions). */
  mediaInput: z.enum(['spend', 'impressions']).default('spend'),
  /** The last periods, never seen by the fit or the search, on which hold-out figures are measured. */
  holdoutFraction: z.number().min(0.05).max(0.4).default(0.15),
  /** The periods just before the hold-out on which the search compares candidates. */
  validationFraction: z.number().min(0.05).max(0.4).default(0.15),
  /** Candidate hyper-parameter sets evaluated by the search. */
  iterations: z.number().int().min(1).max(200_000).default(2000),
  seed: z.number().int().default(1),
  trend: z.boolean().default(true),
  yearlyHarmonics: z.number().int().min(0).max(10).default(2),
  /** Day-of-week harmonics, used for daily data only. */
  weeklyHarmonics: z.number().int().min(0).max(3).default(3),
  /** Per channel name (or `*` for all) search bounds replacing the defaults. */
  bounds: z.record(z.string(), ChannelSearchBounds).default({}),
  /** Ridge penalty range on the standardised scale, searched on a log scale. */
  lambda: Range.default([1e-4, 1]),
  responseCurvePoints: z.number().int().min(2).max(1000).default(41),
  /** Robyn's rule of thumb: ten observations per explanatory variable. */
  minPeriodsPerVariable: z.number().min(1).default(10),
})
export type MmmFitOptions = z.infer<typeof MmmFitOptions>
export type MmmFitOptionsInput = z.input<typeof MmmFitOptions>

/** The full set of bounds a channel is searched over, after defaults and overrides. */
export interface ResolvedBounds {
  theta: Range
  shape: Range
  scale: Range
  alpha: Range
  gamma: Range
}

/**
 * @example
 * resolveChannelBounds('tv', 'geometric', {}).theta // [0, 0.9]
 */
export function resolveChannelBounds(
  channel: string,
  adstock: AdstockType,
  overrides: Record<string, ChannelSearchBounds>,
): ResolvedBounds {
  const defaults: ResolvedBounds = {
    theta: [0, 0.9],
    shape: adstock === 'weibull_pdf' ? [0.0001, 10] : [0.0001, 2],
    scale: [0, 0.1],
    alpha: [0.5, 3],
    gamma: [0.3, 1],
  }
  const merged = { ...defaults, ...stripUndefined(overrides['*']), ...stripUndefined(overrides[channel]) }
  const problems: string[] = []
  if (merged.theta[0] < 0 || merged.theta[1] >= 1) problems.push('theta must lie in [0, 1)')
  if (merged.shape[0] < 0) problems.push('shape must be ≥ 0')
  if (merged.scale[0] < 0 || merged.scale[1] > 1) problems.push('scale must lie in [0, 1]')
  if (merged.alpha[0] <= 0) problems.push('alpha must be > 0')
  if (merged.gamma[0] < 0 || merged.gamma[1] > 1) problems.push('gamma must lie in [0, 1]')
  if (problems.length > 0) throw new Error(`search bounds for '${channel}': ${problems.join('; ')}`)
  return merged
}

function stripUndefined(bounds: ChannelSearchBounds | undefined): Partial<ResolvedBounds> {
  const out: Partial<ResolvedBounds> = {}
  if (!bounds) return out
  for (const key of ['theta', 'shape', 'scale', 'alpha', 'gamma'] as const) {
    const value = bounds[key]
    if (value) out[key] = value
  }
  return out
}
