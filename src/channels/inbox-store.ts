import type { Kysely } from 'kysely'
import { normaliseIdentifierValue } from '../identity/index.ts'
import { readJson, type Schema } from '../platform/index.ts'
import { canonicalProfileId, profileGroup } from '../profiles/index.ts'
import { findMessage } from './outbox.ts'
import type { ChannelContext } from './send-request.ts'
import { recordOpen } from './tracking/engagement.ts'

export interface InboxItem {
  id: string
  title: string
  body: string
  url: string | null
  data: Record<string, string>
  createdAt: string
  readAt: string | null
}

/** The person an app names by identifier (`user_id` u-1…), merges followed; null when unknown. */
export async function inboxOwner(db: Kysely<Schema>, workspaceId: string, type: string, value: string): Promise<string | null> {
  const normalised = normaliseIdentifierValue(type, value)
  if (normalised === null) return null
  const row = await db.selectFrom('identities').select('profile_id').where('workspace_id', '=', workspaceId).where('value', '=', normalised).where('type', '=', type).executeTakeFirst()
  return row ? canonicalProfileId(db, workspaceId, row.profile_id) : null
}

/**
 * A person's inbox, newest first, across merged profiles, with the unread count.
 *
 * @example const page = await inboxPage(db, workspaceId, profileId, { limit: 20 })
 */
export async function inboxPage(
  db: Kysely<Schema>,
  workspaceId: string,
  profileId: string,
  options: { limit: number; cursor?: string; unreadOnly?: boolean },
): Promise<{ items: InboxItem[]; unread: number; nextCursor: string | null }> {
  const group = await profileGroup(db, workspaceId, profileId)
  let query = db.selectFrom('channel_inbox').selectAll().where('workspace_id', '=', workspaceId).where('profile_id', 'in', group)
  if (options.unreadOnly) query = query.where('read_at', 'is', null)
  const after = decodeCursor(options.cursor)
  if (after) query = query.where((eb) => eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('message_id', '<', after.id)])]))
  const [rows, unread] = await Promise.all([
    query.orderBy('created_at', 'desc').orderBy('message_id', 'desc').limit(options.limit + 1).execute(),
    db
      .selectFrom('channel_inbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', group)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ])
  const page = rows.slice(0, options.limit)
  const last = page[page.length - 1]
  return {
    items: page.map((r) => ({
      id: r.message_id,
      title: r.title,
      body: r.body,
      url: r.url,
      data: readJson(r.data, {}),
      createdAt: new Date(Number(r.created_at)).toISOString(),
      readAt: r.read_at === null ? null : new Date(Number(r.read_at)).toISOString(),
    })),
    unread: Number(unread.n),
    nextCursor: rows.length > options.limit && last ? Buffer.from(`${last.created_at}:${last.message_id}`).toString('base64url') : null,
  }
}

/**
 * Marks messages read (the given ids, or all) and records `Message Opened` for each one read for
 * the first time. Returns how many were newly marked.
 */
export async function markInboxRead(ctx: ChannelContext, workspaceId: string, profileId: string, ids: string[] | 'all'): Promise<number> {
  const db = ctx.database.db
  const group = await profileGroup(db, workspaceId, profileId)
  let query = db.selectFrom('channel_inbox').select('message_id').where('workspace_id', '=', workspaceId).where('profile_id', 'in', group).where('read_at', 'is', null)
  if (ids !== 'all') {
    if (ids.length === 0) return 0
    query = query.where('message_id', 'in', ids)
  }
  const unread = (await query.execute()).map((r) => r.message_id)
  let marked = 0
  for (const id of unread) {
    const result = await db.updateTable('channel_inbox').set({ read_at: ctx.clock.now() }).where('message_id', '=', id).where('read_at', 'is', null).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) continue
    marked++
    const row = await findMessage(db, id)
    if (row?.profileId) await recordOpen(ctx, row, { via: 'inbox' })
  }
  return marked
}

function decodeCursor(cursor: string | undefined): { at: number; id: string } | null {
  if (!cursor) return null
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const at = text.indexOf(':')
  const ms = Number(text.slice(0, at))
  if (at <= 0 || !Number.isSafeInteger(ms)) throw new InvalidInboxCursor()
  return { at: ms, id: text.slice(at + 1) }
}

export class InvalidInboxCursor extends Error {
  constructor() {
    super('The cursor is not one this API returned')
  }
}
