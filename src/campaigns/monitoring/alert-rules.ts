import { formatMoney } from '../plan/money.ts'
import { MONEY_METRICS, type CampaignPlan } from '../plan/schema.ts'
import type { GoalProgress } from './pacing.ts'

/**
 * When monitoring raises an alert, and what it suggests. Two rules:
 *
 * 1. **goal-behind-pace** — a cumulative goal more than `pacingTolerance` behind its straight-line
 *    pace, once `minElapsedForAlerts` of the time has passed.
 * 2. **channel-cpa-high** — a channel's cost per conversion (spend ÷ last-touch conversions, or
 *    spend with none) above its threshold (`cpaThresholdMinor` on the channel, else the plan's).
 *
 * Suggestions are moves a person confirms, never taken automatically: **pause** a channel, or
 * **shift budget** from the least to the most efficient channel — 20% of the worse channel's
 * line for a goal behind pace, 50% for a channel over its CPA threshold, in whole currency units.
 * Efficiency is cost per conversion; where no spend is recorded the planned spend to date (the
 * channel's line × elapsed) stands in for it, and the suggestion says so.
 */
export interface SuggestedAction {
  id: string
  kind: 'pause-channel' | 'shift-budget'
  description: string
  channel?: string
  from?: string
  to?: string
  amountMinor?: number
}

export interface AlertCandidate {
  kind: 'goal-behind-pace' | 'channel-cpa-high'
  /** What the alert is about: a goal id or a channel; one open alert per kind and subject. */
  subject: string
  message: string
  data: Record<string, unknown>
  actions: SuggestedAction[]
}

export interface ChannelPerformance {
  channel: string
  spendMinor: number | null
  conversions: number
  revenueMinor: number
}

export const SHIFT_SHARE_BEHIND = 0.2
export const SHIFT_SHARE_CPA = 0.5

/**
 * @example
 * alertCandidates({ plan, progress, channels, elapsed: 0.5, currency: 'CNY' })
 * // [{ kind: 'channel-cpa-high', subject: 'baidu_search', actions: [{ kind: 'pause-channel', … }, { kind: 'shift-budget', … }] }]
 */
export function alertCandidates(input: { plan: CampaignPlan; progress: readonly GoalProgress[]; channels: readonly ChannelPerformance[]; elapsed: number; currency: string }): AlertCandidate[] {
  const { plan, currency } = input
  const money = (n: number) => formatMoney(n, currency)
  const settings = plan.monitoring
  if (input.elapsed < settings.minElapsedForAlerts || input.elapsed >= 1) return []
  const mix = plan.strategy.channelMix.filter((m) => !m.paused)
  const lines = new Map((plan.strategy.budget?.lines ?? []).map((l) => [l.channel, l.amountMinor]))

  // Cost per conversion by channel: actual spend where recorded, else planned spend to date.
  const cost = (c: ChannelPerformance) => c.spendMinor ?? (lines.get(c.channel) ?? 0) * input.elapsed
  const efficiency = input.channels
    .filter((c) => mix.some((m) => m.channel === c.channel) && cost(c) > 0)
    .map((c) => ({ channel: c.channel, cpa: c.conversions > 0 ? cost(c) / c.conversions : Infinity, actual: c.spendMinor !== null }))
    .sort((a, b) => a.cpa - b.cpa)
  const best = efficiency[0]
  const shift = (from: string, share: number): SuggestedAction | null => {
    if (!best || best.channel === from) return null
    const line = lines.get(from) ?? 0
    const amount = Math.floor((line * share) / 100) * 100
    if (amount <= 0) return null
    const basis = efficiency.find((e) => e.channel === from)?.actual ? 'spend' : 'planned spend to date'
    return {
      id: `shift-${from}-${best.channel}`,
      kind: 'shift-budget',
      description: `move ${money(amount)} of ${from}'s budget to ${best.channel}, which converts at the lowest cost (${basis} per conversion ${best.cpa === Infinity ? 'n/a' : money(Math.round(best.cpa))})`,
      from,
      to: best.channel,
      amountMinor: amount,
    }
  }

  const out: AlertCandidate[] = []
  for (const goal of input.progress) {
    if (goal.status !== 'behind' || goal.metric === 'roi' || goal.metric === 'cac') continue
    const worst = efficiency.length >= 2 ? efficiency[efficiency.length - 1]! : null
    const action = worst ? shift(worst.channel, SHIFT_SHARE_BEHIND) : null
    const show = (n: number | null) => (n !== null && goal.metric && MONEY_METRICS.has(goal.metric) ? money(Math.round(n)) : fmt(n))
    out.push({
      kind: 'goal-behind-pace',
      subject: goal.goalId,
      message: `goal "${goal.goalId}" (${goal.statement}) is behind pace: ${show(goal.actual)} of the ${show(goal.expectedByNow)} expected by now (${Math.round((goal.pace ?? 0) * 100)}% of pace, ${Math.round(input.elapsed * 100)}% of the time gone); on this pace it ends at ${show(goal.projected)} of ${show(goal.target)}`,
      data: { goalId: goal.goalId, metric: goal.metric, actual: goal.actual, expectedByNow: goal.expectedByNow, pace: goal.pace, projected: goal.projected, target: goal.target },
      actions: action ? [action] : [],
    })
  }
  for (const entry of mix) {
    const threshold = entry.cpaThresholdMinor ?? settings.cpaThresholdMinor
    const perf = input.channels.find((c) => c.channel === entry.channel)
    if (threshold === undefined || !perf || perf.spendMinor === null || perf.spendMinor <= 0) continue
    const cpa = perf.conversions > 0 ? perf.spendMinor / perf.conversions : Infinity
    if (cpa <= threshold) continue
    const actions: SuggestedAction[] = [{ id: `pause-${entry.channel}`, kind: 'pause-channel', description: `pause ${entry.channel} for the rest of the campaign`, channel: entry.channel }]
    const move = shift(entry.channel, SHIFT_SHARE_CPA)
    if (move) actions.push(move)
    out.push({
      kind: 'channel-cpa-high',
      subject: entry.channel,
      message:
        cpa === Infinity
          ? `${entry.channel} has spent ${money(perf.spendMinor)} with no conversion credited to it; the threshold is ${money(threshold)} per conversion`
          : `${entry.channel} costs ${money(Math.round(cpa))} per conversion (${money(perf.spendMinor)} for ${perf.conversions}), above the ${money(threshold)} threshold`,
      data: { channel: entry.channel, spendMinor: perf.spendMinor, conversions: perf.conversions, cpaMinor: cpa === Infinity ? null : Math.round(cpa), thresholdMinor: threshold },
      actions,
    })
  }
  return out
}

const fmt = (n: number | null) => (n === null ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: 2 }))
