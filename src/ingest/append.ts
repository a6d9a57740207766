import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { insertRows, lockIngest, virtualPartition, type DialectName, type Schema } from '../platform/index.ts'

/**
 * An event Chorus itself writes to the log about a known profile: `Audience Entered`, `Message
 * Sent`, `Message Clicked`, `Journey Goal Reached`… These skip identity resolution (the profile is
 * known) but land in the same log as customer events, so measurement reads both.
 */
export interface SystemEvent {
  profileId: string
  event: string
  properties: Record<string, unknown>
  timestamp: number
  /** Stable id: appending the same event twice stores it once. */
  messageId?: string
  channel?: string | null
  /** Where it came from, e.g. `audiences`, `journeys`, `channels`. */
  source: string
}

/**
 * Appends system events inside the caller's transaction (so they commit with the state change that
 * caused them — a processor's cursor, a send's outbox row). Takes the ingest lock on PostgreSQL to
 * keep `seq` in commit order. Returns the messageIds actually stored (duplicates are skipped).
 *
 * @example await appendSystemEvents(trx, 'sqlite', workspaceId, [{ profileId, event: 'Audience Entered', properties: { audienceId }, timestamp: now, source: 'audiences' }], now)
 */
export async function appendSystemEvents(trx: Kysely<Schema>, dialect: DialectName, workspaceId: string, events: SystemEvent[], now: number): Promise<string[]> {
  if (events.length === 0) return []
  await lockIngest(trx, dialect)
  const withIds = events.map((e) => ({ ...e, messageId: e.messageId ?? randomUUID() }))
  const fresh = await insertRows<{ message_id: string }>(
    trx,
    dialect,
    'seen_messages',
    ['workspace_id', 'message_id', 'seen_at'],
    [...new Map(withIds.map((e) => [e.messageId, e])).keys()].map((id) => [workspaceId, id, now]),
    { ignoreConflicts: true, returning: ['message_id'] },
  )
  const stored = new Set(fresh.map((r) => r.message_id))
  const rows: unknown[][] = []
  for (const e of withIds) {
    if (!stored.has(e.messageId)) continue
    stored.delete(e.messageId)
    const payload = {
      type: 'track',
      event: e.event,
      messageId: e.messageId,
      properties: e.properties,
      timestamp: new Date(e.timestamp).toISOString(),
      receivedAt: new Date(now).toISOString(),
      context: { library: { name: `chorus/${e.source}` } },
    }
    rows.push([workspaceId, e.messageId, 'track', e.event, e.profileId, virtualPartition(e.profileId), null, null, e.channel ?? null, e.timestamp, now, null, null, null, JSON.stringify(payload)])
  }
  await insertRows(
    trx,
    dialect,
    'events',
    ['workspace_id', 'message_id', 'type', 'event', 'profile_id', 'part', 'user_id', 'anonymous_id', 'channel', 'timestamp', 'received_at', 'source_id', 'order_minor', 'order_currency', 'payload'],
    rows,
  )
  return fresh.map((r) => r.message_id)
}
