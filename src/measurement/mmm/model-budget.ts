/**
 * Budget questions asked of a fitted model, per period (per week for weekly data) at steady
 * state: "how should this budget be split?" ({@link optimiseBudget}) and "what would this split
 * deliver?" ({@link evaluateAllocation}). Both compare with the current allocation, the mean
 * spend per period over the modelled history.
 */
import { z } from 'zod'
import { allocateBudget, type AllocatedChannel } from './budget-allocator.ts'
import { ChannelBoundSpec, DEFAULT_MAX_RATIO, DEFAULT_MIN_RATIO, resolveSpendBounds } from './budget-bounds.ts'
import type { MmmModel } from './model.ts'
import { channelResponseCurve } from './response-curve.ts'

export const BudgetRequest = z.object({
  /** Total spend per period to allocate; defaults to the current total (a pure reallocation). */
  budget: z.number().finite().min(0).optional(),
  bounds: z.array(ChannelBoundSpec).default([]),
  defaultMinRatio: z.number().min(0).default(DEFAULT_MIN_RATIO),
  defaultMaxRatio: z.number().min(0).default(DEFAULT_MAX_RATIO),
})
export type BudgetRequest = z.input<typeof BudgetRequest>

const nullableNumber = (x: number): number | null => (Number.isFinite(x) ? x : null)

export interface PlannedChannel {
  channel: string
  currentSpend: number
  recommendedSpend: number
  change: number
  lower: number
  upper: number
  atBound: AllocatedChannel['atBound']
  currentResponse: number
  recommendedResponse: number
  currentMarginal: number | null
  recommendedMarginal: number | null
  currentRoi: number | null
  recommendedRoi: number | null
}

export type BudgetPlan =
  | {
      kind: 'planned'
      outcome: string
      budget: number
      currentBudget: number
      channels: PlannedChannel[]
      currentResponse: number
      recommendedResponse: number
      /** recommendedResponse − currentResponse, outcome per period. */
      uplift: number
      upliftRelativeToMedia: number | null
      /** Uplift over the mean predicted outcome per period. */
      upliftRelativeToOutcome: number | null
      marginalReturnAtOptimum: number | null
      method: 'lagrangian-bisection' | 'grid-dynamic-programming'
    }
  | { kind: 'InfeasibleBudget'; budget: number; minimum: number; maximum: number; message: string }

/**
 * @example
 * const plan = optimiseBudget(model, { budget: 60_000, bounds: [{ channel: 'tv_S', maxRatio: 1.5 }] })
 * if (plan.kind === 'planned') console.log(plan.uplift, plan.channels)
 */
export function optimiseBudget(model: MmmModel, requestInput: BudgetRequest = {}): BudgetPlan {
  const request = BudgetRequest.parse(requestInput)
  const current = Object.fromEntries(model.channels.map((c) => [c.name, c.meanSpend]))
  const resolved = resolveSpendBounds(request.bounds, current, {
    minRatio: request.defaultMinRatio,
    maxRatio: request.defaultMaxRatio,
  })
  const curves = model.channels.map(channelResponseCurve)
  const currentBudget = model.channels.reduce((s, c) => s + c.meanSpend, 0)
  const budget = request.budget ?? currentBudget
  const allocation = allocateBudget({
    curves,
    bounds: model.channels.map((c) => resolved[c.name] as { lower: number; upper: number }),
    budget,
  })
  if (allocation.kind !== 'allocated') return allocation

  const channels = allocation.channels.map((a, i): PlannedChannel => {
    const curve = curves[i]
    const spend = model.channels[i]?.meanSpend ?? 0
    if (!curve) throw new Error(`no curve for channel ${a.channel}`)
    const currentResponse = curve.response(spend)
    return {
      channel: a.channel,
      currentSpend: spend,
      recommendedSpend: a.spend,
      change: a.spend - spend,
      lower: a.lower,
      upper: a.upper,
      atBound: a.atBound,
      currentResponse,
      recommendedResponse: a.response,
      currentMarginal: nullableNumber(curve.marginal(spend)),
      recommendedMarginal: nullableNumber(a.marginal),
      currentRoi: spend > 0 ? currentResponse / spend : null,
      recommendedRoi: a.spend > 0 ? a.response / a.spend : null,
    }
  })
  const currentResponse = channels.reduce((s, c) => s + c.currentResponse, 0)
  const uplift = allocation.totalResponse - currentResponse
  return {
    kind: 'planned',
    outcome: model.outcomeName,
    budget,
    currentBudget,
    channels,
    currentResponse,
    recommendedResponse: allocation.totalResponse,
    uplift,
    upliftRelativeToMedia: currentResponse > 0 ? uplift / currentResponse : null,
    upliftRelativeToOutcome: model.meanPredictedOutcome !== 0 ? uplift / model.meanPredictedOutcome : null,
    marginalReturnAtOptimum: nullableNumber(allocation.lagrangeMultiplier),
    method: allocation.method,
  }
}

export interface ScenarioChannel {
  channel: string
  spend: number
  response: number
  marginal: number | null
  roi: number | null
  currentSpend: number
  currentResponse: number
}

export interface ScenarioResult {
  outcome: string
  channels: ScenarioChannel[]
  totalSpend: number
  totalResponse: number
  currentSpend: number
  currentResponse: number
  /** totalResponse − currentResponse, outcome per period. */
  change: number
  changeRelativeToOutcome: number | null
}

/**
 * "What if": the steady-state outcome per period of a given spend per period. Channels not named
 * keep their current spend.
 *
 * @example
 * evaluateAllocation(model, { tv_S: 20_000, search_S: 8_000 }).change
 */
export function evaluateAllocation(model: MmmModel, allocation: Readonly<Record<string, number>>): ScenarioResult {
  const names = new Set(model.channels.map((c) => c.name))
  for (const [channel, spend] of Object.entries(allocation)) {
    if (!names.has(channel)) throw new Error(`unknown channel '${channel}'; channels: ${[...names].join(', ')}`)
    if (!Number.isFinite(spend) || spend < 0) throw new Error(`spend for '${channel}' must be ≥ 0, got ${spend}`)
  }
  const channels = model.channels.map((c): ScenarioChannel => {
    const curve = channelResponseCurve(c)
    const spend = allocation[c.name] ?? c.meanSpend
    const response = curve.response(spend)
    return {
      channel: c.name,
      spend,
      response,
      marginal: nullableNumber(curve.marginal(spend)),
      roi: spend > 0 ? response / spend : null,
      currentSpend: c.meanSpend,
      currentResponse: curve.response(c.meanSpend),
    }
  })
  const total = (pick: (c: ScenarioChannel) => number): number => channels.reduce((s, c) => s + pick(c), 0)
  const change = total((c) => c.response) - total((c) => c.currentResponse)
  return {
    outcome: model.outcomeName,
    channels,
    totalSpend: total((c) => c.spend),
    totalResponse: total((c) => c.response),
    currentSpend: total((c) => c.currentSpend),
    currentResponse: total((c) => c.currentResponse),
    change,
    changeRelativeToOutcome: model.meanPredictedOutcome !== 0 ? change / model.meanPredictedOutcome : null,
  }
}
