import type { Kysely } from 'kysely'
import { newId, readJson, writeJson, type Schema } from '../../platform/index.ts'
import type { AlertCandidate, SuggestedAction } from '../monitoring/alert-rules.ts'

/**
 * Alerts as stored: one open alert per campaign, kind and subject, refreshed while its condition
 * holds and `resolved` when it no longer does. A person confirms one of its suggested actions or
 * dismisses it; the decision is recorded (who, when, which action, a note). After a decision the
 * same kind and subject stay quiet for SNOOZE_MS, so a dismissed alert does not come straight back.
 */
export const AlertStatus = ['open', 'confirmed', 'dismissed', 'resolved'] as const
export type AlertStatus = (typeof AlertStatus)[number]

export const SNOOZE_MS = 24 * 3600_000

export interface AlertView {
  id: string
  campaignId: string
  kind: string
  subject: string
  status: AlertStatus
  message: string
  data: Record<string, unknown>
  actions: SuggestedAction[]
  raisedAt: string
  decidedAt: string | null
  decidedBy: string | null
  decision: { action: SuggestedAction | null; note: string | null } | null
}

type Db = Kysely<Schema>

function toView(row: Schema['campaign_alerts']): AlertView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    kind: row.kind,
    subject: row.subject,
    status: row.status as AlertStatus,
    message: row.message,
    data: readJson(row.data, {}),
    actions: readJson(row.actions, []),
    raisedAt: new Date(Number(row.raised_at)).toISOString(),
    decidedAt: row.decided_at === null ? null : new Date(Number(row.decided_at)).toISOString(),
    decidedBy: row.decided_by,
    decision: readJson(row.decision, null),
  }
}

/**
 * Brings the stored alerts in line with what the rules found now: new ones raised, open ones
 * refreshed, open ones whose condition cleared resolved. Returns the campaign's open alerts.
 */
export async function syncAlerts(db: Db, input: { workspaceId: string; campaignId: string; candidates: readonly AlertCandidate[]; now: number }): Promise<AlertView[]> {
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('campaign_alerts').selectAll().where('workspace_id', '=', input.workspaceId).where('campaign_id', '=', input.campaignId).execute()
    const key = (kind: string, subject: string) => `${kind}\u0000${subject}`
    const wanted = new Map(input.candidates.map((c) => [key(c.kind, c.subject), c]))
    for (const row of existing) {
      if (row.status === 'open' && !wanted.has(key(row.kind, row.subject))) {
        await trx.updateTable('campaign_alerts').set({ status: 'resolved', decided_at: input.now, decided_by: 'system' }).where('id', '=', row.id).execute()
      }
    }
    for (const candidate of input.candidates) {
      const same = existing.filter((r) => r.kind === candidate.kind && r.subject === candidate.subject)
      const open = same.find((r) => r.status === 'open')
      if (open) {
        await trx
          .updateTable('campaign_alerts')
          .set({ message: candidate.message, data: writeJson(candidate.data), actions: writeJson(candidate.actions) })
          .where('id', '=', open.id)
          .execute()
        continue
      }
      const recentDecision = same.some((r) => (r.status === 'confirmed' || r.status === 'dismissed') && r.decided_at !== null && input.now - Number(r.decided_at) < SNOOZE_MS)
      if (recentDecision) continue
      await trx
        .insertInto('campaign_alerts')
        .values({
          id: newId('alr', input.now),
          workspace_id: input.workspaceId,
          campaign_id: input.campaignId,
          kind: candidate.kind,
          subject: candidate.subject,
          status: 'open',
          message: candidate.message,
          data: writeJson(candidate.data),
          actions: writeJson(candidate.actions),
          raised_at: input.now,
          decided_at: null,
          decided_by: null,
          decision: null,
        })
        .execute()
    }
  })
  return listAlerts(db, { workspaceId: input.workspaceId, campaignId: input.campaignId, status: 'open' })
}

export async function listAlerts(db: Db, input: { workspaceId: string; campaignId: string; status?: string }): Promise<AlertView[]> {
  let query = db.selectFrom('campaign_alerts').selectAll().where('workspace_id', '=', input.workspaceId).where('campaign_id', '=', input.campaignId).orderBy('raised_at', 'desc').orderBy('id', 'desc')
  if (input.status) query = query.where('status', '=', input.status)
  return (await query.execute()).map(toView)
}

export async function readAlert(db: Db, input: { workspaceId: string; campaignId: string; alertId: string }): Promise<AlertView | null> {
  const row = await db
    .selectFrom('campaign_alerts')
    .selectAll()
    .where('workspace_id', '=', input.workspaceId)
    .where('campaign_id', '=', input.campaignId)
    .where('id', '=', input.alertId)
    .executeTakeFirst()
  return row ? toView(row) : null
}

/** Records a decision on an open alert; false if it was no longer open (someone decided first). */
export async function recordDecision(
  db: Db,
  input: { workspaceId: string; alertId: string; status: 'confirmed' | 'dismissed'; action: SuggestedAction | null; note: string | null; actor: string; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('campaign_alerts')
    .set({ status: input.status, decided_at: input.now, decided_by: input.actor, decision: writeJson({ action: input.action, note: input.note }) })
    .where('workspace_id', '=', input.workspaceId)
    .where('id', '=', input.alertId)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
