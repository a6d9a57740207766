import { recommendFromAttribution, type AttributionRecommendation } from '../../measurement/mmm/index.ts'
import { formatMoney } from './money.ts'
import type { Budget, ChannelMixEntry } from './schema.ts'

/**
 * What the planned budget is expected to return, channel by channel, and where the history
 * suggests moving money. With history (the previous period of equal length: each channel's
 * spend from the spend table and its last-touch revenue from the log) a channel's revenue at
 * spend x is read off the curve measurement's ROAS reallocation uses,
 *
 *   revenue(x) = R · (x / C)^e,  e = 0.5   (recommendFromAttribution's "square-root rule")
 *
 * and `recommendFromAttribution` proposes a split of the same money within 0.7×–1.3× of history
 * scaled to the plan (each channel's point moved along its own curve to the planned total).
 * A channel without history uses the plan's `assumedRoas` (revenue = x · ROAS, stated as an
 * assumption); with neither it has no forecast. The test budget is never forecast: a test is for
 * learning what is not known. Every assumption made is listed in `assumptions`.
 */

export const FORECAST_ELASTICITY = 0.5

export interface ChannelHistory {
  channel: string
  costMinor: number
  revenueMinor: number
}

export interface ChannelForecast {
  channel: string
  plannedMinor: number
  basis: 'history' | 'assumed-roas' | 'none'
  forecastRevenueMinor: number | null
  forecastRoas: number | null
  history: ChannelHistory | null
  recommendedMinor: number | null
}

export interface BudgetForecast {
  method: 'attribution-history' | 'stated-assumptions' | 'history-and-assumptions' | 'none'
  currency: string
  channels: ChannelForecast[]
  test: { amountMinor: number; channels: string[]; hypothesis: string } | null
  plannedMinor: number
  forecastRevenueMinor: number
  /** Channels counted in forecastRevenueMinor; the others have no basis for a forecast. */
  forecastCovers: string[]
  forecastRoas: number | null
  recommendation: AttributionRecommendation | null
  recommendationNote: string | null
  assumptions: string[]
}

/**
 * @example
 * forecastBudget({ budget, mix, currency: 'CNY', history: [{ channel: 'douyin', costMinor: 1_000_000, revenueMinor: 2_400_000 }] })
 *   .channels[0].forecastRevenueMinor // revenue at the planned spend on the square-root curve
 */
export function forecastBudget(input: { budget: Budget; mix: readonly ChannelMixEntry[]; currency: string; history: readonly ChannelHistory[] | null }): BudgetForecast {
  const { budget, currency } = input
  const money = (n: number) => formatMoney(Math.round(n), currency)
  const history = new Map((input.history ?? []).filter((h) => h.costMinor > 0).map((h) => [h.channel, h]))
  const assumptions: string[] = []
  const channels = budget.lines.map((line): ChannelForecast => {
    const past = history.get(line.channel) ?? null
    const entry = input.mix.find((m) => m.channel === line.channel)
    if (past) {
      const revenue = line.amountMinor > 0 ? past.revenueMinor * Math.pow(line.amountMinor / past.costMinor, FORECAST_ELASTICITY) : 0
      return { channel: line.channel, plannedMinor: line.amountMinor, basis: 'history', forecastRevenueMinor: Math.round(revenue), forecastRoas: line.amountMinor > 0 ? revenue / line.amountMinor : null, history: past, recommendedMinor: null }
    }
    if (entry?.assumedRoas !== undefined) {
      assumptions.push(`${line.channel}: no spend history; assumed ROAS ${entry.assumedRoas} from the plan, so ${money(line.amountMinor)} returns ${money(line.amountMinor * entry.assumedRoas)}`)
      return { channel: line.channel, plannedMinor: line.amountMinor, basis: 'assumed-roas', forecastRevenueMinor: Math.round(line.amountMinor * entry.assumedRoas), forecastRoas: entry.assumedRoas, history: null, recommendedMinor: null }
    }
    assumptions.push(`${line.channel}: no spend history and no assumed ROAS; not forecast`)
    return { channel: line.channel, plannedMinor: line.amountMinor, basis: 'none', forecastRevenueMinor: null, forecastRoas: null, history: null, recommendedMinor: null }
  })
  const withHistory = channels.filter((c) => c.basis === 'history')
  if (withHistory.length > 0) {
    assumptions.unshift(
      `history: each channel's spend and last-touch revenue in the previous period of equal length`,
      `revenue grows with the square root of spend (elasticity ${FORECAST_ELASTICITY}), an assumed diminishing return, not a measured one`,
      'last-touch revenue is attributed, not incremental: it over-credits channels that close sales and under-credits those that build demand',
    )
  }

  let recommendation: AttributionRecommendation | null = null
  let recommendationNote: string | null = null
  if (withHistory.length >= 2) {
    const amount = withHistory.reduce((s, c) => s + c.plannedMinor, 0)
    // The reallocation keeps each channel near its anchor spend; anchor it at the planned scale on
    // the same curve (spend C·k earns R·k^e), so a plan bigger than last period is still feasible.
    const k = amount / withHistory.reduce((s, c) => s + c.history!.costMinor, 0)
    try {
      recommendation = recommendFromAttribution({
        channels: withHistory.map((c) => ({ channel: c.channel, cost: c.history!.costMinor * k, attributedRevenue: c.history!.revenueMinor * Math.pow(k, FORECAST_ELASTICITY) })),
        budget: amount,
        elasticity: FORECAST_ELASTICITY,
      })
      for (const rec of recommendation.channels) {
        const channel = channels.find((c) => c.channel === rec.channel)
        if (channel) channel.recommendedMinor = Math.round(rec.recommendedSpend)
      }
    } catch (error) {
      recommendationNote = `no reallocation proposed: ${(error as Error).message}`
    }
  } else {
    recommendationNote = withHistory.length === 1 ? 'one channel has history: nothing to reallocate between' : 'no channel has spend history: no reallocation proposed'
  }

  const covered = channels.filter((c) => c.forecastRevenueMinor !== null)
  const forecastRevenueMinor = covered.reduce((s, c) => s + c.forecastRevenueMinor!, 0)
  const coveredSpend = covered.reduce((s, c) => s + c.plannedMinor, 0)
  const anyAssumed = channels.some((c) => c.basis === 'assumed-roas')
  return {
    method: withHistory.length > 0 ? (anyAssumed ? 'history-and-assumptions' : 'attribution-history') : anyAssumed ? 'stated-assumptions' : 'none',
    currency,
    channels,
    test: budget.test ? { ...budget.test } : null,
    plannedMinor: budget.lines.reduce((s, l) => s + l.amountMinor, 0),
    forecastRevenueMinor,
    forecastCovers: covered.map((c) => c.channel),
    forecastRoas: coveredSpend > 0 ? forecastRevenueMinor / coveredSpend : null,
    recommendation,
    recommendationNote,
    assumptions: budget.test ? [...assumptions, `test budget ${money(budget.test.amountMinor)} on ${budget.test.channels.join(', ')}: not forecast, its point is to measure (${budget.test.hypothesis})`] : assumptions,
  }
}
