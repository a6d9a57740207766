import type { Kysely } from 'kysely'
import { readJson, writeJson, type Schema } from '../platform/index.ts'
import type { Channel } from './channel.ts'
import type { MessageCategory } from './contact.ts'
import type { RenderedContent } from './provider.ts'

/**
 * The outbox: one row per (workspace, idempotency key), written before any provider is called.
 *
 *   pending ──(lease taken, committed)──▶ sending ──▶ sent
 *      │                                   ▲  │    └──▶ failed (retryable or not)
 *      │                        (hand-over │  └──(lease lapsed: the process died mid-call)──▶ resent
 *      │                         committed)│      when the provider deduplicates, else unknown
 *      └──(lease taken, committed)──▶ connecting ──(lease lapsed)──▶ sent again
 *   blocked: consent or a missing address stopped it; never sent.
 *
 * The separate commit of `sending` is what makes a crash recoverable: a row still `pending` was
 * certainly never handed to a provider and is sent; a row left `sending` may have been. A
 * `handover` provider (SMTP) works in `connecting` until its point of no return and commits
 * `sending` only then, so a row left `connecting` was never taken by the server and is sent again.
 */
export type MessageStatus = 'pending' | 'connecting' | 'sending' | 'sent' | 'failed' | 'blocked' | 'unknown'

export interface OutboxRow {
  id: string
  workspaceId: string
  idempotencyKey: string
  profileId: string | null
  channel: Channel
  category: MessageCategory
  providerId: string | null
  providerKind: string | null
  templateId: string | null
  journeyId: string | null
  nodeId: string | null
  broadcastId: string | null
  campaign: string | null
  recipient: string | null
  content: RenderedContent | null
  links: string[]
  status: MessageStatus
  retryable: boolean
  reasonCode: string | null
  reason: string | null
  attempts: number
  providerMessageId: string | null
  leaseUntil: number | null
  lastAttemptAt: number | null
  sentAt: number | null
  deliveredAt: number | null
  createdAt: number
  updatedAt: number
}

export type NewOutboxRow = Pick<
  OutboxRow,
  'id' | 'workspaceId' | 'idempotencyKey' | 'profileId' | 'channel' | 'category' | 'providerId' | 'providerKind' | 'templateId' | 'journeyId' | 'nodeId' | 'broadcastId' | 'campaign' | 'recipient' | 'content' | 'links' | 'status' | 'retryable' | 'reasonCode' | 'reason'
>

/** Inserts the row unless one with the same key exists; true when this call inserted it. */
export async function insertOutboxRow(db: Kysely<Schema>, row: NewOutboxRow, now: number): Promise<boolean> {
  const inserted = await db
    .insertInto('channel_messages')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      idempotency_key: row.idempotencyKey,
      profile_id: row.profileId,
      channel: row.channel,
      category: row.category,
      provider_id: row.providerId,
      provider_kind: row.providerKind,
      template_id: row.templateId,
      journey_id: row.journeyId,
      node_id: row.nodeId,
      broadcast_id: row.broadcastId,
      campaign: row.campaign,
      recipient: row.recipient,
      content: row.content ? writeJson(row.content) : null,
      links: writeJson(row.links),
      status: row.status,
      retryable: row.retryable ? 1 : 0,
      reason_code: row.reasonCode,
      reason: row.reason,
      attempts: 0,
      provider_message_id: null,
      lease_until: null,
      last_attempt_at: null,
      sent_at: null,
      delivered_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'idempotency_key']).doNothing())
    .returning('id')
    .execute()
  return inserted.length > 0
}

export async function findByKey(db: Kysely<Schema>, workspaceId: string, idempotencyKey: string): Promise<OutboxRow | null> {
  const row = await db.selectFrom('channel_messages').selectAll().where('workspace_id', '=', workspaceId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst()
  return row ? fromRow(row) : null
}

/** By message id alone: tracking links carry only the id, and the row says whose it is. */
export async function findMessage(db: Kysely<Schema>, id: string): Promise<OutboxRow | null> {
  const row = await db.selectFrom('channel_messages').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? fromRow(row) : null
}

/** By the provider's id for the message, within one provider when given (ids are only unique per provider). */
export async function findByProviderMessageId(db: Kysely<Schema>, workspaceId: string, providerMessageId: string, providerId?: string): Promise<OutboxRow | null> {
  let query = db.selectFrom('channel_messages').selectAll().where('workspace_id', '=', workspaceId).where('provider_message_id', '=', providerMessageId)
  if (providerId) query = query.where('provider_id', '=', providerId)
  const row = await query.executeTakeFirst()
  return row ? fromRow(row) : null
}

/**
 * Takes the row for one provider call: `pending`, retryable `failed`, or `connecting` / `sending`
 * whose lease lapsed become `sending` (or `connecting`, for a provider that hands over later) with
 * a fresh lease. A compare-and-set, so of two processes racing for one key exactly one gets it.
 * Committed before the provider is called.
 */
export async function beginAttempt(db: Kysely<Schema>, row: OutboxRow, now: number, leaseMs: number, status: 'sending' | 'connecting' = 'sending'): Promise<boolean> {
  const result = await db
    .updateTable('channel_messages')
    .set({ status, attempts: row.attempts + 1, lease_until: now + leaseMs, last_attempt_at: now, updated_at: now })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where('attempts', '=', row.attempts)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'failed'), eb('retryable', '=', 1)]),
        eb.and([eb('status', 'in', ['sending', 'connecting']), eb('lease_until', '<', now)]),
      ]),
    )
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * A `handover` provider's point of no return: `connecting` becomes `sending`, committed, before
 * the receiver can take the message. Only for the attempt that took the row (`attempts` is the
 * count after `beginAttempt`); false when another process has taken it over since.
 */
export async function markHandedOver(db: Kysely<Schema>, id: string, attempts: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('channel_messages')
    .set({ status: 'sending', updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'connecting')
    .where('attempts', '=', attempts)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function updateOutcome(
  db: Kysely<Schema>,
  id: string,
  change: { status: MessageStatus; retryable?: boolean; reasonCode?: string | null; reason?: string | null; providerMessageId?: string | null; sentAt?: number | null },
  now: number,
): Promise<void> {
  const set: Partial<Schema['channel_messages']> = { status: change.status, lease_until: null, updated_at: now }
  if (change.retryable !== undefined) set.retryable = change.retryable ? 1 : 0
  if (change.reasonCode !== undefined) set.reason_code = change.reasonCode
  if (change.reason !== undefined) set.reason = change.reason
  if (change.providerMessageId !== undefined) set.provider_message_id = change.providerMessageId
  if (change.sentAt !== undefined) set.sent_at = change.sentAt
  await db.updateTable('channel_messages').set(set).where('id', '=', id).execute()
}

/** Properties every event about a message carries: which message, where it came from. */
export function attributionOf(row: OutboxRow): Record<string, unknown> {
  const out: Record<string, unknown> = { messageId: row.id, channel: row.channel }
  if (row.journeyId) out.journeyId = row.journeyId
  if (row.nodeId) out.nodeId = row.nodeId
  if (row.broadcastId) out.broadcastId = row.broadcastId
  if (row.templateId) out.templateId = row.templateId
  if (row.campaign) out.campaign = row.campaign
  return out
}

export function fromRow(row: Schema['channel_messages']): OutboxRow {
  const num = (v: number | null) => (v === null ? null : Number(v))
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    idempotencyKey: row.idempotency_key,
    profileId: row.profile_id,
    channel: row.channel as Channel,
    category: row.category as MessageCategory,
    providerId: row.provider_id,
    providerKind: row.provider_kind,
    templateId: row.template_id,
    journeyId: row.journey_id,
    nodeId: row.node_id,
    broadcastId: row.broadcast_id,
    campaign: row.campaign,
    recipient: row.recipient,
    content: row.content === null ? null : readJson<RenderedContent | null>(row.content, null),
    links: readJson<string[]>(row.links, []),
    status: row.status as MessageStatus,
    retryable: Number(row.retryable) === 1,
    reasonCode: row.reason_code,
    reason: row.reason,
    attempts: Number(row.attempts),
    providerMessageId: row.provider_message_id,
    leaseUntil: num(row.lease_until),
    lastAttemptAt: num(row.last_attempt_at),
    sentAt: num(row.sent_at),
    deliveredAt: num(row.delivered_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}
