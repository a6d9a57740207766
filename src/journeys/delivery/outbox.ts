import type { Kysely } from 'kysely'
import { insertRows, type DialectName, type Schema } from '../../platform/index.ts'
import type { Category } from '../definition/schema.ts'
import type { SendAttribution } from '../ports.ts'

/** Columns of an outbox row (`journey_sends`), in the order `outboxRow` gives them. */
export const OUTBOX_COLUMNS = ['key', 'workspace_id', 'kind', 'journey_id', 'version', 'node_id', 'run_id', 'broadcast_id', 'profile_id', 'category', 'channel', 'state', 'reason', 'due_at', 'attempts', 'decided_at', 'sent_at', 'provider_id', 'created_at', 'updated_at'] as const

/** A message's outbox row: `queued` (guard rails still to apply), or `sending` on a channel, let through at `now`. */
export function outboxRow(workspaceId: string, send: { key: string; profileId: string; category: Category; attribution: SendAttribution }, decision: { state: 'queued'; dueAt: number } | { state: 'sending'; channel: string }, now: number): unknown[] {
  const a = send.attribution
  const sending = decision.state === 'sending'
  return [
    send.key, workspaceId, 'message', a.journeyId ?? null, a.version ?? null, a.nodeId ?? null, a.runId ?? null, a.broadcastId ?? null, send.profileId, send.category,
    sending ? decision.channel : null, decision.state, null, sending ? now : decision.dueAt, 0, sending ? now : null, null, null, now, now,
  ]
}

/** Writes outbox rows, leaving any key already there as it is; answers the keys written. */
export async function insertOutboxRows(trx: Kysely<Schema>, dialect: DialectName, rows: readonly unknown[][]): Promise<Set<string>> {
  const written = await insertRows<{ key: string }>(trx, dialect, 'journey_sends', OUTBOX_COLUMNS, rows, { ignoreConflicts: true, returning: ['key'] })
  return new Set(written.map((r) => r.key))
}
