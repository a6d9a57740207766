import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { goalDeadline } from '../plan/smart.ts'
import { logSourcesOf, spendChannelsOf, type GoalMetric } from '../plan/schema.ts'
import { DAY_MS, iso } from '../plan/time.ts'
import type { CampaignRecord } from '../store/campaigns.ts'
import type { ChannelPerformance } from './alert-rules.ts'
import type { LogKpis } from './log-kpis.ts'
import type { LogReadCache } from './log-read-cache.ts'
import { logReads } from './log-reads.ts'
import { goalProgress, type GoalProgress } from './pacing.ts'
import type { SpendSource, SpendSummary } from './spend.ts'

/**
 * Monitoring at a moment: the KPIs from the log since the campaign started, spend and what
 * follows from it (ROI, ROAS, CAC), each goal against its pace, and each channel of the mix with
 * its spend, planned budget and last-touch conversions (CPA, ROAS).
 */
export interface ChannelRow extends ChannelPerformance {
  plannedMinor: number | null
  paused: boolean
  roas: number | null
  roi: number | null
  cpaMinor: number | null
}

export interface Snapshot {
  window: { from: string; to: string; now: string }
  /** The share of the campaign's time gone, 0–1. */
  elapsed: number
  currency: string
  kpis: LogKpis & { spendMinor: number | null; roi: number | null; roas: number | null; cacMinor: number | null }
  spend: { totalMinor: number; byChannel: Record<string, number>; dates: { from: string; to: string } } | null
  goals: GoalProgress[]
  channels: ChannelRow[]
  unattributed: { conversions: number; revenueMinor: number }
  attribution: { model: 'last-touch'; lookbackDays: number }
}

export interface SnapshotDeps {
  db: Kysely<Schema>
  spend: SpendSource
  /** Keeps log answers while the log is unchanged; without it every call reads the log. */
  logCache?: LogReadCache | null
}

/** A metric's value from the log KPIs and spend (null when it needs spend that is not recorded). */
export function metricValue(metric: GoalMetric, kpis: Partial<LogKpis>, spendMinor: number | null): number | null {
  switch (metric) {
    case 'reach':
      return kpis.reach ?? null
    case 'traffic':
      return kpis.traffic?.views ?? null
    case 'leads':
      return kpis.leads ?? null
    case 'conversions':
      return kpis.conversions ?? null
    case 'revenue':
      return kpis.revenueMinor ?? null
    case 'new_customers':
      return kpis.newCustomers ?? null
    case 'roi':
      return spendMinor && kpis.revenueMinor !== undefined ? (kpis.revenueMinor - spendMinor) / spendMinor : null
    case 'cac':
      return spendMinor !== null && kpis.newCustomers ? spendMinor / kpis.newCustomers : null
  }
}

/**
 * @example
 * const snapshot = await monitorCampaign({ db, spend: measurementSpend(database) }, campaign, Date.now())
 * snapshot.goals.filter((g) => g.status === 'behind')
 */
export async function monitorCampaign(deps: SnapshotDeps, campaign: CampaignRecord, now: number): Promise<Snapshot> {
  const { plan } = campaign
  const settings = plan.monitoring
  const to = Math.max(campaign.startsAt, Math.min(now, campaign.endsAt))
  const base = { workspaceId: campaign.workspaceId, currency: campaign.currency, leadEvents: settings.kpiEvents.leads, conversionEvents: settings.kpiEvents.conversions }
  const log = await logReads(deps.db, campaign.workspaceId, deps.logCache)
  const kpis = await log.kpis({ ...base, from: campaign.startsAt, to })
  const spend = to > campaign.startsAt ? await deps.spend.spend({ workspaceId: campaign.workspaceId, from: campaign.startsAt, to, timezone: campaign.timezone, currency: campaign.currency }) : null

  const goals: GoalProgress[] = []
  for (const goal of plan.insight.goals) {
    const deadline = goalDeadline(goal, campaign)
    const until = Math.max(campaign.startsAt, Math.min(now, deadline))
    let actual: number | null = null
    if (goal.metric) {
      const entry = goal.channel ? plan.strategy.channelMix.find((m) => m.channel === goal.channel) : undefined
      const sources = goal.channel ? (entry ? logSourcesOf(entry) : [goal.channel]) : undefined
      const sameWindow = until === to && !sources
      const goalKpis = sameWindow ? kpis : await log.metric({ ...base, from: campaign.startsAt, to: until, ...(sources ? { sources } : {}) }, goal.metric)
      const goalSpend = goal.metric === 'roi' || goal.metric === 'cac' ? (until === to ? spend : await deps.spend.spend({ workspaceId: campaign.workspaceId, from: campaign.startsAt, to: until, timezone: campaign.timezone, currency: campaign.currency })) : null
      actual = metricValue(goal.metric, goalKpis, goalSpend?.totalMinor ?? null)
    }
    goals.push(goalProgress(goal, actual, { startsAt: campaign.startsAt, deadline, now, tolerance: settings.pacingTolerance }))
  }

  const sourceToChannel = new Map<string, string>()
  for (const entry of plan.strategy.channelMix) for (const source of logSourcesOf(entry)) if (!sourceToChannel.has(source)) sourceToChannel.set(source, entry.channel)
  const credits = await log.credits({
    workspaceId: campaign.workspaceId,
    from: campaign.startsAt,
    to,
    currency: campaign.currency,
    conversionEvents: settings.kpiEvents.conversions,
    sourceToChannel,
    lookbackMs: settings.attributionWindowDays * DAY_MS,
  })
  const lines = new Map((plan.strategy.budget?.lines ?? []).map((l) => [l.channel, l.amountMinor]))
  const channels: ChannelRow[] = plan.strategy.channelMix.map((entry) => {
    const credit = credits.byChannel.get(entry.channel) ?? { conversions: 0, revenueMinor: 0 }
    const spent = spend ? spendChannelsOf(entry).reduce((s, c) => s + (spend.byChannel.get(c) ?? 0), 0) : null
    const spendMinor = spent === null ? null : spent
    return {
      channel: entry.channel,
      spendMinor,
      plannedMinor: lines.get(entry.channel) ?? null,
      paused: entry.paused,
      conversions: credit.conversions,
      revenueMinor: credit.revenueMinor,
      roas: spendMinor ? credit.revenueMinor / spendMinor : null,
      roi: spendMinor ? (credit.revenueMinor - spendMinor) / spendMinor : null,
      cpaMinor: spendMinor && credit.conversions > 0 ? Math.round(spendMinor / credit.conversions) : null,
    }
  })

  const spendMinor = spend?.totalMinor ?? null
  return {
    window: { from: iso(campaign.startsAt), to: iso(to), now: iso(now) },
    elapsed: Math.round(Math.min(1, Math.max(0, (now - campaign.startsAt) / (campaign.endsAt - campaign.startsAt))) * 10_000) / 10_000,
    currency: campaign.currency,
    kpis: {
      ...kpis,
      spendMinor,
      roi: metricValue('roi', kpis, spendMinor),
      roas: spendMinor ? kpis.revenueMinor / spendMinor : null,
      cacMinor: (() => {
        const cac = metricValue('cac', kpis, spendMinor)
        return cac === null ? null : Math.round(cac)
      })(),
    },
    spend: spend ? summarise(spend) : null,
    goals,
    channels,
    unattributed: credits.unattributed,
    attribution: { model: 'last-touch', lookbackDays: settings.attributionWindowDays },
  }
}

function summarise(spend: SpendSummary) {
  return { totalMinor: spend.totalMinor, byChannel: Object.fromEntries(spend.byChannel), dates: spend.dates }
}

/**
 * The same metric in the period of equal length just before the campaign: the history the SMART
 * check holds a target against.
 */
export async function previousPeriodMetric(deps: SnapshotDeps, campaign: CampaignRecord, metric: GoalMetric, sources?: readonly string[]): Promise<{ value: number; from: number; to: number } | null> {
  const length = campaign.endsAt - campaign.startsAt
  const from = campaign.startsAt - length
  const to = campaign.startsAt
  const settings = campaign.plan.monitoring
  const log = await logReads(deps.db, campaign.workspaceId, deps.logCache)
  const kpis = await log.metric(
    { workspaceId: campaign.workspaceId, from, to, currency: campaign.currency, leadEvents: settings.kpiEvents.leads, conversionEvents: settings.kpiEvents.conversions, ...(sources ? { sources } : {}) },
    metric,
  )
  const needsSpend = metric === 'roi' || metric === 'cac'
  const spend = needsSpend ? await deps.spend.spend({ workspaceId: campaign.workspaceId, from, to, timezone: campaign.timezone, currency: campaign.currency }) : null
  const value = metricValue(metric, kpis, spend?.totalMinor ?? null)
  return value === null ? null : { value, from, to }
}

/** Each channel's spend and last-touch revenue in the previous period, for the budget forecast. */
export async function previousPeriodChannels(deps: SnapshotDeps, campaign: CampaignRecord): Promise<Array<{ channel: string; costMinor: number; revenueMinor: number }> | null> {
  const length = campaign.endsAt - campaign.startsAt
  const from = campaign.startsAt - length
  const to = campaign.startsAt
  const spend = await deps.spend.spend({ workspaceId: campaign.workspaceId, from, to, timezone: campaign.timezone, currency: campaign.currency })
  if (!spend) return null
  const mix = campaign.plan.strategy.channelMix
  const sourceToChannel = new Map<string, string>()
  for (const entry of mix) for (const source of logSourcesOf(entry)) if (!sourceToChannel.has(source)) sourceToChannel.set(source, entry.channel)
  const log = await logReads(deps.db, campaign.workspaceId, deps.logCache)
  const credits = await log.credits({
    workspaceId: campaign.workspaceId,
    from,
    to,
    currency: campaign.currency,
    conversionEvents: campaign.plan.monitoring.kpiEvents.conversions,
    sourceToChannel,
    lookbackMs: campaign.plan.monitoring.attributionWindowDays * DAY_MS,
  })
  return mix.map((entry) => ({
    channel: entry.channel,
    costMinor: spendChannelsOf(entry).reduce((s, c) => s + (spend.byChannel.get(c) ?? 0), 0),
    revenueMinor: credits.byChannel.get(entry.channel)?.revenueMinor ?? 0,
  }))
}
