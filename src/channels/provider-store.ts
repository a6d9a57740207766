import type { Kysely } from 'kysely'
import { z } from 'zod'
import { newId, readJson, writeJson, type Schema } from '../platform/index.ts'
import type { Channel } from './channel.ts'
import { PROVIDER_CHANNEL, ProviderConfig, maskSecrets, type ProviderKind } from './providers/configs.ts'

export interface StoredProvider {
  id: string
  workspaceId: string
  name: string
  channel: Channel
  config: ProviderConfig
  isDefault: boolean
  createdAt: number
  updatedAt: number
}

/** How the API shows a provider: settings in full, secrets masked. */
export const ProviderView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  channel: z.string(),
  settings: z.record(z.string(), z.unknown()),
  secrets: z.record(z.string(), z.string()).describe('Masked: the last four characters of long values at most'),
  isDefault: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type ProviderView = z.infer<typeof ProviderView>

export function providerView(p: StoredProvider): ProviderView {
  return {
    id: p.id,
    name: p.name,
    kind: p.config.kind,
    channel: p.channel,
    settings: p.config.settings as Record<string, unknown>,
    secrets: maskSecrets(p.config.secrets as Record<string, unknown>),
    isDefault: p.isDefault,
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
  }
}

export type ProviderWrite = { kind: 'Saved'; provider: StoredProvider } | { kind: 'Invalid'; issues: string[] } | { kind: 'NotFound' }

/** Validates a configuration against its kind's schema; the issues name the field to fix. */
export function parseProviderConfig(input: unknown): { kind: 'Valid'; config: ProviderConfig } | { kind: 'Invalid'; issues: string[] } {
  const parsed = ProviderConfig.safeParse(input)
  if (parsed.success) return { kind: 'Valid', config: parsed.data }
  return { kind: 'Invalid', issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`) }
}

/**
 * @example await createProvider(db, { workspaceId, name: 'Aliyun', config: { kind: 'aliyun_sms', settings: {...}, secrets: {...} }, isDefault: true, now })
 */
export async function createProvider(db: Kysely<Schema>, input: { workspaceId: string; name: string; config: unknown; isDefault?: boolean; now: number }): Promise<ProviderWrite> {
  const parsed = parseProviderConfig(input.config)
  if (parsed.kind === 'Invalid') return parsed
  const channel = PROVIDER_CHANNEL[parsed.config.kind]
  const id = newId('prv', input.now)
  await db.transaction().execute(async (trx) => {
    if (input.isDefault) await clearDefault(trx, input.workspaceId, channel)
    await trx
      .insertInto('channel_providers')
      .values({
        id,
        workspace_id: input.workspaceId,
        name: input.name,
        kind: parsed.config.kind,
        channel,
        settings: writeJson(parsed.config.settings),
        secrets: writeJson(parsed.config.secrets),
        is_default: input.isDefault ? 1 : 0,
        created_at: input.now,
        updated_at: input.now,
      })
      .execute()
  })
  return { kind: 'Saved', provider: (await getProvider(db, input.workspaceId, id))! }
}

/** Changes name, settings (merged) or secrets (merged: a secret left out keeps its value). */
export async function updateProvider(
  db: Kysely<Schema>,
  input: { workspaceId: string; id: string; name?: string; settings?: Record<string, unknown>; secrets?: Record<string, unknown>; isDefault?: boolean; now: number },
): Promise<ProviderWrite> {
  const current = await getProvider(db, input.workspaceId, input.id)
  if (!current) return { kind: 'NotFound' }
  const parsed = parseProviderConfig({
    kind: current.config.kind,
    settings: { ...current.config.settings, ...input.settings },
    secrets: { ...current.config.secrets, ...input.secrets },
  })
  if (parsed.kind === 'Invalid') return parsed
  await db.transaction().execute(async (trx) => {
    if (input.isDefault) await clearDefault(trx, input.workspaceId, current.channel)
    await trx
      .updateTable('channel_providers')
      .set({
        name: input.name ?? current.name,
        settings: writeJson(parsed.config.settings),
        secrets: writeJson(parsed.config.secrets),
        is_default: input.isDefault === undefined ? (current.isDefault ? 1 : 0) : input.isDefault ? 1 : 0,
        updated_at: input.now,
      })
      .where('workspace_id', '=', input.workspaceId)
      .where('id', '=', input.id)
      .execute()
    // New credentials may belong to another app: a cached token would be the old app's.
    await trx.deleteFrom('channel_provider_tokens').where('provider_id', '=', input.id).execute()
  })
  return { kind: 'Saved', provider: (await getProvider(db, input.workspaceId, input.id))! }
}

export async function deleteProvider(db: Kysely<Schema>, workspaceId: string, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('channel_providers').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
    await trx.deleteFrom('channel_provider_tokens').where('provider_id', '=', id).execute()
    return Number(result.numDeletedRows) > 0
  })
}

/**
 * One provider of the workspace, secrets included (never return it as is: see `providerView`).
 *
 * @example const provider = await getProvider(db, workspaceId, 'prv_…') // null when absent
 */
export async function getProvider(db: Kysely<Schema>, workspaceId: string, id: string): Promise<StoredProvider | null> {
  const row = await db.selectFrom('channel_providers').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return row ? fromRow(row) : null
}

/**
 * A provider by id alone, for addresses a vendor calls without Chorus credentials (WeChat pushes
 * to a server URL naming the provider, and proves itself with the provider's Token).
 */
export async function providerById(db: Kysely<Schema>, id: string): Promise<StoredProvider | null> {
  const row = await db.selectFrom('channel_providers').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? fromRow(row) : null
}

/**
 * Providers of a workspace, oldest first, cursor-paginated by id (ids sort by creation time).
 *
 * @example const { items, nextCursor } = await listProviders(db, workspaceId, { limit: 50, channel: 'sms' })
 */
export async function listProviders(db: Kysely<Schema>, workspaceId: string, options: { limit: number; cursor?: string; channel?: Channel }): Promise<{ items: StoredProvider[]; nextCursor: string | null }> {
  let query = db.selectFrom('channel_providers').selectAll().where('workspace_id', '=', workspaceId)
  if (options.channel) query = query.where('channel', '=', options.channel)
  if (options.cursor) query = query.where('id', '>', options.cursor)
  const rows = await query.orderBy('id').limit(options.limit + 1).execute()
  const items = rows.slice(0, options.limit).map(fromRow)
  return { items, nextCursor: rows.length > options.limit ? items[items.length - 1]!.id : null }
}

/**
 * The provider a send on this channel uses: the one marked default, else the oldest.
 *
 * @example const sms = await channelProvider(db, workspaceId, 'sms')
 */
export async function channelProvider(db: Kysely<Schema>, workspaceId: string, channel: Channel): Promise<StoredProvider | null> {
  const row = await db
    .selectFrom('channel_providers')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .orderBy('is_default', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  return row ? fromRow(row) : null
}

/** Every configured provider of the workspace, one per channel (the one sends would use). */
export async function providersByChannel(db: Kysely<Schema>, workspaceId: string): Promise<Map<Channel, StoredProvider>> {
  const rows = await db.selectFrom('channel_providers').selectAll().where('workspace_id', '=', workspaceId).orderBy('is_default', 'desc').orderBy('id').execute()
  const out = new Map<Channel, StoredProvider>()
  for (const row of rows) {
    const provider = fromRow(row)
    if (!out.has(provider.channel)) out.set(provider.channel, provider)
  }
  return out
}

async function clearDefault(db: Kysely<Schema>, workspaceId: string, channel: Channel): Promise<void> {
  await db.updateTable('channel_providers').set({ is_default: 0 }).where('workspace_id', '=', workspaceId).where('channel', '=', channel).execute()
}

function fromRow(row: Schema['channel_providers']): StoredProvider {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    channel: row.channel as Channel,
    config: { kind: row.kind as ProviderKind, settings: readJson(row.settings, {}), secrets: readJson(row.secrets, {}) } as ProviderConfig,
    isDefault: Number(row.is_default) === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}
