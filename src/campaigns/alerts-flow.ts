import { alertCandidates, type SuggestedAction } from './monitoring/alert-rules.ts'
import { monitorCampaign, type Snapshot } from './monitoring/snapshot.ts'
import type { SectionDeps } from './plan-sections.ts'
import type { Strategy } from './plan/schema.ts'
import { readAlert, recordDecision, syncAlerts, type AlertView } from './store/alerts.ts'
import { applyPlanSection, lockCampaign, type CampaignRecord } from './store/campaigns.ts'
import { conflict, notFound, ok, type Outcome } from './store/outcome.ts'

/**
 * Monitoring's alerts: evaluated from a snapshot (on request, and hourly for running campaigns),
 * then decided by a person. Confirming applies the chosen action to the plan — a paused channel,
 * money moved between budget lines (the total stays the same, so the budget still adds up) — in
 * the same transaction that records the decision, with the alert named as the reason in the audit.
 */
export async function evaluateAlerts(deps: SectionDeps, campaign: CampaignRecord, now: number): Promise<{ snapshot: Snapshot; open: AlertView[] }> {
  const snapshot = await monitorCampaign({ db: deps.database.db, spend: deps.spend, logCache: deps.logCache }, campaign, now)
  const candidates = alertCandidates({ plan: campaign.plan, progress: snapshot.goals, channels: snapshot.channels, elapsed: snapshot.elapsed, currency: campaign.currency })
  const open = await syncAlerts(deps.database.db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, candidates, now })
  return { snapshot, open }
}

/** The strategy after an action, or why the action no longer applies. */
export function strategyAfter(strategy: Strategy, action: SuggestedAction): Outcome<Strategy> {
  if (action.kind === 'pause-channel') {
    if (!strategy.channelMix.some((m) => m.channel === action.channel)) return conflict(`channel ${action.channel} is no longer in the channel mix`)
    return ok({ ...strategy, channelMix: strategy.channelMix.map((m) => (m.channel === action.channel ? { ...m, paused: true } : m)) })
  }
  const budget = strategy.budget
  const from = budget?.lines.find((l) => l.channel === action.from)
  if (!budget || !from) return conflict(`there is no budget line for ${action.from} to move money from`)
  if (from.amountMinor < action.amountMinor!) return conflict(`only ${from.amountMinor} is left on ${action.from}'s line; the action would move ${action.amountMinor}`)
  if (!strategy.channelMix.some((m) => m.channel === action.to)) return conflict(`channel ${action.to} is no longer in the channel mix`)
  const lines = budget.lines.map((l) => (l.channel === action.from ? { ...l, amountMinor: l.amountMinor - action.amountMinor! } : l.channel === action.to ? { ...l, amountMinor: l.amountMinor + action.amountMinor! } : l))
  if (!lines.some((l) => l.channel === action.to)) lines.push({ channel: action.to!, amountMinor: action.amountMinor! })
  return ok({ ...strategy, budget: { ...budget, lines } })
}

/**
 * @example
 * await decideAlert(deps, { campaign, alertId, decision: 'confirm', actionId: 'pause-baidu_search', note: '品牌词已够', actor, now })
 */
export async function decideAlert(
  deps: SectionDeps,
  input: { campaign: CampaignRecord; alertId: string; decision: 'confirm' | 'dismiss'; actionId?: string; note?: string | null; actor: string; now: number },
): Promise<Outcome<{ alert: AlertView; campaign: CampaignRecord }>> {
  const { campaign } = input
  const alert = await readAlert(deps.database.db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, alertId: input.alertId })
  if (!alert) return notFound(`no alert ${input.alertId} on campaign ${campaign.id}`)
  if (alert.status !== 'open') return conflict(`alert ${alert.id} is already ${alert.status}${alert.decidedBy ? ` (by ${alert.decidedBy} at ${alert.decidedAt})` : ''}`)
  let action: SuggestedAction | null = null
  if (input.decision === 'confirm') {
    if (!input.actionId) return conflict(`say which action to confirm: ${alert.actions.map((a) => a.id).join(', ') || 'this alert suggests none; dismiss it instead'}`)
    action = alert.actions.find((a) => a.id === input.actionId) ?? null
    if (!action) return notFound(`alert ${alert.id} suggests no action "${input.actionId}"; it suggests ${alert.actions.map((a) => a.id).join(', ') || 'none'}`)
  }
  const outcome = await deps.database.db.transaction().execute(async (trx): Promise<Outcome<CampaignRecord>> => {
    const current = await lockCampaign(trx, deps.database.dialect, campaign.workspaceId, campaign.id)
    if (!current) return notFound(`no campaign ${campaign.id}`)
    let updated = current
    if (action) {
      const next = strategyAfter(current.plan.strategy, action)
      if (!next.ok) return next
      updated = (await applyPlanSection(trx, deps.database.dialect, {
        workspaceId: campaign.workspaceId,
        campaignId: campaign.id,
        section: 'strategy',
        value: next.value,
        actor: input.actor,
        now: input.now,
        reason: `alert ${alert.id} confirmed: ${action.description}`,
      }))!
    }
    const recorded = await recordDecision(trx, {
      workspaceId: campaign.workspaceId,
      alertId: alert.id,
      status: input.decision === 'confirm' ? 'confirmed' : 'dismissed',
      action,
      note: input.note?.trim() || null,
      actor: input.actor,
      now: input.now,
    })
    if (!recorded) throw new AlertTaken(alert.id)
    return ok(updated)
  }).catch((error) => {
    if (error instanceof AlertTaken) return conflict(`alert ${alert.id} was decided by someone else a moment ago`)
    throw error
  })
  if (!outcome.ok) return outcome
  return ok({ alert: (await readAlert(deps.database.db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, alertId: alert.id }))!, campaign: outcome.value })
}

/** Thrown inside the transaction to roll the plan change back when another decision won. */
class AlertTaken extends Error {
  constructor(id: string) {
    super(`alert ${id} already decided`)
  }
}
