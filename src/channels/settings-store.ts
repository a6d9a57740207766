import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { readJson, writeJson, type Schema } from '../platform/index.ts'
import { Channel } from './channel.ts'

/**
 * Channel settings per workspace. `publicUrl` is where people's clicks, opens and unsubscribes
 * reach Chorus (tracked links are built on it); `requireOptIn` lists channels that send only to
 * people whose consent is `subscribed`; `inboxVerification` makes apps prove, with an HMAC of the
 * identifier, that they speak for the person whose inbox they read.
 */
export const ChannelSettings = z.object({
  publicUrl: z.url().describe('Base URL people reach Chorus at, e.g. https://chorus.example.com; tracked links, the open pixel and unsubscribe pages are built on it'),
  requireOptIn: z.array(Channel).describe('Channels that send only to people whose consent is subscribed'),
  inboxVerification: z.boolean().describe('Inbox reads and marks need X-Chorus-User-Hash = hex HMAC-SHA256(inbox key, "<type>:<value>")'),
})
export type ChannelSettings = z.infer<typeof ChannelSettings>

/** Where tracked links point when a workspace has not said: the address `chorus serve` listens on. */
export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:8080'

export interface WorkspaceChannelSettings extends ChannelSettings {
  /** The HMAC key for every token Chorus hands out for this workspace. */
  secret: Buffer
}

/**
 * The workspace's settings, creating them (with a fresh 256-bit secret) on first use. Creation
 * races are settled by the primary key: whoever inserts first, everyone reads the same secret.
 *
 * @example const { secret, publicUrl } = await channelSettings(db, workspaceId, now)
 */
export async function channelSettings(db: Kysely<Schema>, workspaceId: string, now: number): Promise<WorkspaceChannelSettings> {
  let row = await db.selectFrom('channel_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst()
  if (!row) {
    await db
      .insertInto('channel_settings')
      .values({ workspace_id: workspaceId, token_secret: randomBytes(32).toString('base64url'), public_url: null, require_opt_in: writeJson([]), inbox_verification: 1, updated_at: now })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .execute()
    row = await db.selectFrom('channel_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()
  }
  return {
    secret: Buffer.from(row.token_secret, 'base64url'),
    publicUrl: (row.public_url ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, ''),
    requireOptIn: readJson<Channel[]>(row.require_opt_in, []),
    inboxVerification: Number(row.inbox_verification) === 1,
  }
}

/** Reads the secret of a workspace that already has settings (tokens exist only after a send). */
export async function workspaceSecret(db: Kysely<Schema>, workspaceId: string): Promise<Buffer | null> {
  const row = await db.selectFrom('channel_settings').select('token_secret').where('workspace_id', '=', workspaceId).executeTakeFirst()
  return row ? Buffer.from(row.token_secret, 'base64url') : null
}

/**
 * Changes the given settings and returns them all.
 *
 * @example await updateChannelSettings(db, workspaceId, { publicUrl: 'https://chorus.example.com', requireOptIn: ['sms'] }, now)
 */
export async function updateChannelSettings(db: Kysely<Schema>, workspaceId: string, change: Partial<ChannelSettings>, now: number): Promise<WorkspaceChannelSettings> {
  await channelSettings(db, workspaceId, now)
  const set: Partial<Schema['channel_settings']> = { updated_at: now }
  if (change.publicUrl !== undefined) set.public_url = change.publicUrl.replace(/\/+$/, '')
  if (change.requireOptIn !== undefined) set.require_opt_in = writeJson([...new Set(change.requireOptIn)])
  if (change.inboxVerification !== undefined) set.inbox_verification = change.inboxVerification ? 1 : 0
  await db.updateTable('channel_settings').set(set).where('workspace_id', '=', workspaceId).execute()
  return channelSettings(db, workspaceId, now)
}
