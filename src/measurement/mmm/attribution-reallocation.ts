/**
 * The simpler method, for when there is too little history for a marketing-mix model: shift
 * budget toward channels with a higher attributed ROAS, assuming diminishing returns.
 *
 * Each channel's attributed revenue R at cost C is taken as one point on a power curve
 *
 *   revenue(x) = R · (x / C)^e,   0 < e < 1   (default e = 0.5, the "square-root rule")
 *
 * so doubling spend multiplies revenue by 2^e, and marginal ROAS at current spend is e × ROAS.
 * The same optimiser as for MMM curves then equalises marginal ROAS within bounds kept close to
 * today's spend (0.7×–1.3× by default) because attributed revenue is not incremental revenue and
 * the elasticity is an assumption, not an estimate. The result says so in `method` and
 * `assumptions`; treat it as a direction to test, not a forecast.
 */
import { z } from 'zod'
import { allocateBudget } from './budget-allocator.ts'
import type { ResponseCurve } from './response-curve.ts'

export const AttributionReallocationInput = z.object({
  channels: z
    .array(
      z.object({
        channel: z.string().min(1),
        cost: z.number().finite().min(0),
        attributedRevenue: z.number().finite().min(0),
      }),
    )
    .min(1),
  /** Total to allocate; defaults to today's total cost. */
  budget: z.number().finite().min(0).optional(),
  /** Revenue elasticity to spend assumed for every channel. */
  elasticity: z.number().gt(0).lt(1).default(0.5),
  minRatio: z.number().min(0).default(0.7),
  maxRatio: z.number().min(0).default(1.3),
})
export type AttributionReallocationInput = z.input<typeof AttributionReallocationInput>

export interface AttributionRecommendation {
  method: 'attribution-roas-heuristic'
  assumptions: string[]
  budget: number
  channels: {
    channel: string
    cost: number
    attributedRevenue: number
    roas: number
    recommendedSpend: number
    change: number
    /** Revenue at the recommended spend under the assumed curve. */
    expectedRevenue: number
  }[]
  /** Channels with no cost cannot be scaled and keep no budget from this method. */
  excluded: { channel: string; reason: string }[]
  currentRevenue: number
  expectedRevenue: number
  expectedUplift: number
}

/**
 * @example
 * recommendFromAttribution({
 *   channels: [
 *     { channel: 'search', cost: 1000, attributedRevenue: 5000 },
 *     { channel: 'display', cost: 1000, attributedRevenue: 1500 },
 *   ],
 * }) // moves budget from display to search, within 0.7×–1.3×
 */
export function recommendFromAttribution(input: AttributionReallocationInput): AttributionRecommendation {
  const request = AttributionReallocationInput.parse(input)
  const usable = request.channels.filter((c) => c.cost > 0)
  const excluded = request.channels
    .filter((c) => c.cost === 0)
    .map((c) => ({ channel: c.channel, reason: 'no cost recorded, so its return cannot be scaled' }))
  if (usable.length === 0) throw new Error('no channel has a cost; ROAS reallocation needs spend to move')
  const e = request.elasticity
  const curves: ResponseCurve[] = usable.map((c) => ({
    channel: c.channel,
    response: (x) => (x > 0 ? c.attributedRevenue * Math.pow(x / c.cost, e) : 0),
    marginal: (x) => (x > 0 ? (e * c.attributedRevenue * Math.pow(x / c.cost, e - 1)) / c.cost : c.attributedRevenue > 0 ? Infinity : 0),
    concaveFrom: 0,
  }))
  const currentBudget = usable.reduce((s, c) => s + c.cost, 0)
  const budget = request.budget ?? currentBudget
  const allocation = allocateBudget({
    curves,
    bounds: usable.map((c) => ({ lower: request.minRatio * c.cost, upper: request.maxRatio * c.cost })),
    budget,
  })
  if (allocation.kind !== 'allocated') {
    throw new Error(`${allocation.message} (bounds are ${request.minRatio}×–${request.maxRatio}× current cost)`)
  }
  const channels = usable.map((c, i) => {
    const a = allocation.channels[i]
    if (!a) throw new Error(`no allocation for '${c.channel}'`)
    return {
      channel: c.channel,
      cost: c.cost,
      attributedRevenue: c.attributedRevenue,
      roas: c.attributedRevenue / c.cost,
      recommendedSpend: a.spend,
      change: a.spend - c.cost,
      expectedRevenue: a.response,
    }
  })
  const currentRevenue = usable.reduce((s, c) => s + c.attributedRevenue, 0)
  return {
    method: 'attribution-roas-heuristic',
    assumptions: [
      'attributed revenue is treated as if it were caused by the spend (attribution is not incrementality)',
      `revenue grows with spend to the power ${e} in every channel (an assumed, not measured, diminishing return)`,
      `each channel stays within ${request.minRatio}×–${request.maxRatio}× of its current cost`,
    ],
    budget,
    channels,
    excluded,
    currentRevenue,
    expectedRevenue: allocation.totalResponse,
    expectedUplift: allocation.totalResponse - currentRevenue,
  }
}
