import type { Kysely } from 'kysely'
import { z } from 'zod'
import { appendSystemEvents } from '../ingest/index.ts'
import type { DialectName, Schema } from '../platform/index.ts'
import type { Channel } from './channel.ts'

/**
 * Consent per person and channel: `subscribed` (opted in), `unsubscribed` (opted out: nothing is
 * sent), `unknown` (never said: sent unless the workspace requires opt-in on that channel). A
 * do-not-contact flag stops every channel. Changes are events in the log (`Unsubscribed`,
 * `Subscribed`), so measurement sees them beside the messages that caused them.
 */
export const ConsentState = z.enum(['subscribed', 'unsubscribed', 'unknown'])
export type ConsentState = z.infer<typeof ConsentState>

/**
 * The events this module writes when a person's consent or do-not-contact flag changes: whatever
 * follows the log and depends on whom a channel may reach listens for these.
 */
export const CONSENT_EVENTS = ['Subscribed', 'Unsubscribed', 'Do Not Contact Set', 'Do Not Contact Cleared'] as const

export interface ConsentRecord {
  state: ConsentState
  updatedAt: number
  source: string
}

export interface DoNotContact {
  reason: string
  source: string
  createdAt: number
}

export interface ConsentChange {
  workspaceId: string
  /** The canonical profile. */
  profileId: string
  channel: Channel
  state: ConsentState
  /** Who said so: `unsubscribe_link`, `one_click`, `api`, `import`… */
  source: string
  now: number
  /** The message whose link the person used, and its attribution. */
  message?: { id: string; journeyId?: string | null; nodeId?: string | null; broadcastId?: string | null; templateId?: string | null; campaign?: string | null }
}

/**
 * Records a consent state inside the caller's transaction and, when it changes to subscribed or
 * unsubscribed, the matching event. Returns whether the state changed.
 *
 * @example await setConsent(trx, 'sqlite', { workspaceId, profileId, channel: 'email', state: 'unsubscribed', source: 'one_click', now, message: { id: messageId } })
 */
export async function setConsent(trx: Kysely<Schema>, dialect: DialectName, change: ConsentChange): Promise<boolean> {
  const current = await trx
    .selectFrom('channel_consents')
    .select('state')
    .where('workspace_id', '=', change.workspaceId)
    .where('profile_id', '=', change.profileId)
    .where('channel', '=', change.channel)
    .executeTakeFirst()
  await trx
    .insertInto('channel_consents')
    .values({ workspace_id: change.workspaceId, profile_id: change.profileId, channel: change.channel, state: change.state, updated_at: change.now, source: change.source })
    .onConflict((oc) => oc.columns(['workspace_id', 'profile_id', 'channel']).doUpdateSet({ state: change.state, updated_at: change.now, source: change.source }))
    .execute()
  const changed = current?.state !== change.state
  if (changed && change.state !== 'unknown') {
    const m = change.message
    const properties: Record<string, unknown> = { channel: change.channel, source: change.source }
    if (m) {
      properties.messageId = m.id
      for (const [key, value] of Object.entries({ journeyId: m.journeyId, nodeId: m.nodeId, broadcastId: m.broadcastId, templateId: m.templateId, campaign: m.campaign })) {
        if (value) properties[key] = value
      }
    }
    await appendSystemEvents(
      trx,
      dialect,
      change.workspaceId,
      [
        {
          profileId: change.profileId,
          event: change.state === 'unsubscribed' ? 'Unsubscribed' : 'Subscribed',
          properties,
          timestamp: change.now,
          channel: change.channel,
          source: 'channels',
          ...(m && change.state === 'unsubscribed' ? { messageId: `${m.id}:unsubscribed` } : {}),
        },
      ],
      change.now,
    )
  }
  return changed
}

/**
 * Marks a person do-not-contact (every channel stops) or clears the mark, inside the caller's
 * transaction. A change is written to the log as `Do Not Contact Set` / `Do Not Contact Cleared`,
 * so whatever follows the log (audiences reading reachability) sees it. Returns whether it changed.
 *
 * @example await setDoNotContact(trx, 'sqlite', { workspaceId, profileId, doNotContact: true, reason: 'complaint', source: 'api', now })
 */
export async function setDoNotContact(
  trx: Kysely<Schema>,
  dialect: DialectName,
  input: { workspaceId: string; profileId: string; doNotContact: boolean; reason?: string; source: string; now: number },
): Promise<boolean> {
  const current = await trx.selectFrom('channel_do_not_contact').select('reason').where('workspace_id', '=', input.workspaceId).where('profile_id', '=', input.profileId).executeTakeFirst()
  const reason = input.reason ?? 'do not contact'
  if (!input.doNotContact) {
    if (!current) return false
    await trx.deleteFrom('channel_do_not_contact').where('workspace_id', '=', input.workspaceId).where('profile_id', '=', input.profileId).execute()
  } else {
    await trx
      .insertInto('channel_do_not_contact')
      .values({ workspace_id: input.workspaceId, profile_id: input.profileId, reason, source: input.source, created_at: input.now })
      .onConflict((oc) => oc.columns(['workspace_id', 'profile_id']).doUpdateSet({ reason, source: input.source }))
      .execute()
    if (current) return false
  }
  await appendSystemEvents(
    trx,
    dialect,
    input.workspaceId,
    [
      {
        profileId: input.profileId,
        event: input.doNotContact ? 'Do Not Contact Set' : 'Do Not Contact Cleared',
        properties: { source: input.source, ...(input.doNotContact ? { reason } : {}) },
        timestamp: input.now,
        source: 'channels',
      },
    ],
    input.now,
  )
  return true
}

/**
 * A person's consents across every profile merged into them: per channel the most recent
 * statement wins (an unsubscribe wins a tie), and a do-not-contact flag on any of them counts.
 *
 * @example const { consents, doNotContact } = await consentOf(db, workspaceId, await profileGroup(db, workspaceId, profileId))
 */
export async function consentOf(db: Kysely<Schema>, workspaceId: string, group: string[]): Promise<{ consents: Map<Channel, ConsentRecord>; doNotContact: DoNotContact | null }> {
  const [rows, flags] = await Promise.all([
    db.selectFrom('channel_consents').selectAll().where('workspace_id', '=', workspaceId).where('profile_id', 'in', group).execute(),
    db.selectFrom('channel_do_not_contact').selectAll().where('workspace_id', '=', workspaceId).where('profile_id', 'in', group).orderBy('created_at').execute(),
  ])
  const consents = new Map<Channel, ConsentRecord>()
  for (const row of rows) {
    const record: ConsentRecord = { state: row.state as ConsentState, updatedAt: Number(row.updated_at), source: row.source }
    const seen = consents.get(row.channel as Channel)
    if (!seen || record.updatedAt > seen.updatedAt || (record.updatedAt === seen.updatedAt && record.state === 'unsubscribed')) consents.set(row.channel as Channel, record)
  }
  const flag = flags[0]
  return { consents, doNotContact: flag ? { reason: flag.reason, source: flag.source, createdAt: Number(flag.created_at) } : null }
}
