/**
 * Response curves: spend per period → outcome per period, once carry-over has built up.
 *
 * For a fitted channel, a steady spend s per period reaches the adstocked level
 * s · e · L (e = media units per unit of spend, L = Σ adstock weights), so
 *
 *   response(s) = β · hill(s·e·L; α, K)      marginal(s) = β·e·L · hill'(s·e·L; α, K)
 *
 * The optimiser only needs this interface, so any concave (or S-shaped, see `concaveFrom`)
 * curve can be optimised — including the power curves of the attribution heuristic.
 */
import { z } from 'zod'
import type { ChannelModel } from './model.ts'
import { hill, hillDerivative, hillInflexionPoint } from './saturation.ts'

export interface ResponseCurve {
  channel: string
  /** Outcome per period at a steady spend per period. */
  response(spend: number): number
  /** d response / d spend; may be Infinity at 0 for curves with a vertical start. */
  marginal(spend: number): number
  /**
   * Spend from which the curve is concave (marginal non-increasing); 0 for concave curves,
   * the Hill inflexion for S-shaped ones.
   */
  concaveFrom: number
}

/**
 * @example
 * const curve = channelResponseCurve(model.channels[0]!)
 * curve.response(model.channels[0]!.meanSpend)
 */
export function channelResponseCurve(channel: ChannelModel): ResponseCurve {
  const scale = channel.exposurePerSpend * channel.carryoverMultiplier
  const { alpha, halfSaturation: k, coefficient: beta } = channel
  if (!channel.modelled || beta === 0 || scale === 0) {
    return { channel: channel.name, response: () => 0, marginal: () => 0, concaveFrom: 0 }
  }
  return {
    channel: channel.name,
    response: (s) => beta * hill(s * scale, alpha, k),
    marginal: (s) => beta * scale * hillDerivative(s * scale, alpha, k),
    concaveFrom: hillInflexionPoint(alpha, k) / scale,
  }
}

export const ResponsePoint = z.object({
  spend: z.number(),
  response: z.number(),
  /** Null where the curve is vertical (Hill α < 1 at zero spend). */
  marginal: z.number().nullable(),
  /** response / spend; null at zero spend. */
  roi: z.number().nullable(),
})
export type ResponsePoint = z.infer<typeof ResponsePoint>

/**
 * `points` evenly spaced spends from 0 to `maxSpend`.
 *
 * @example
 * sampleResponseCurve(curve, 1000, 11) // spends 0, 100, …, 1000
 */
export function sampleResponseCurve(curve: ResponseCurve, maxSpend: number, points: number): ResponsePoint[] {
  if (!(maxSpend >= 0) || !Number.isInteger(points) || points < 2) {
    throw new Error(`a response curve needs maxSpend ≥ 0 and at least 2 points (got ${maxSpend}, ${points})`)
  }
  const out: ResponsePoint[] = []
  for (let i = 0; i < points; i++) {
    const spend = (maxSpend * i) / (points - 1)
    const response = curve.response(spend)
    const marginal = curve.marginal(spend)
    out.push({
      spend,
      response,
      marginal: Number.isFinite(marginal) ? marginal : null,
      roi: spend > 0 ? response / spend : null,
    })
  }
  return out
}
