import type { Kysely } from 'kysely'
import { readJson, writeJson, type Schema } from '../../platform/index.ts'
import { ConversionDefinition, DEFAULT_CONVERSION_KEY, defaultConversion } from './conversion-definition.ts'

/** A definition as the API shows it: whether it is the built-in default or the workspace's own. */
export interface StoredConversion {
  definition: ConversionDefinition
  builtIn: boolean
  createdAt: number | null
  updatedAt: number | null
}

/**
 * The workspace's conversions, by key. `purchase` (a completed order worth its amount) is always
 * there: built in until the workspace saves its own version under that key.
 *
 * @example (await listConversions(db, workspaceId, 'CNY')).map((c) => c.definition.key) // ['purchase', …]
 */
export async function listConversions(db: Kysely<Schema>, workspaceId: string, currency: string): Promise<StoredConversion[]> {
  const rows = await db.selectFrom('measurement_conversions').selectAll().where('workspace_id', '=', workspaceId).orderBy('key').execute()
  const stored = rows.map(toStored)
  if (!stored.some((c) => c.definition.key === DEFAULT_CONVERSION_KEY)) stored.unshift(builtIn(currency))
  return stored
}

/** One conversion by key, or `null`. */
export async function getConversion(db: Kysely<Schema>, workspaceId: string, key: string, currency: string): Promise<StoredConversion | null> {
  const row = await db.selectFrom('measurement_conversions').selectAll().where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst()
  if (row) return toStored(row)
  return key === DEFAULT_CONVERSION_KEY ? builtIn(currency) : null
}

/**
 * Creates or replaces a conversion under its key.
 *
 * @example await putConversion(db, { workspaceId, definition, now: Date.now() })
 */
export async function putConversion(db: Kysely<Schema>, input: { workspaceId: string; definition: ConversionDefinition; now: number }): Promise<{ created: boolean; conversion: StoredConversion }> {
  const { workspaceId, definition, now } = input
  const existing = await db.selectFrom('measurement_conversions').select('created_at').where('workspace_id', '=', workspaceId).where('key', '=', definition.key).executeTakeFirst()
  await db
    .insertInto('measurement_conversions')
    .values({ workspace_id: workspaceId, key: definition.key, definition: writeJson(definition), created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'key']).doUpdateSet({ definition: writeJson(definition), updated_at: now }))
    .execute()
  const createdAt = existing ? Number(existing.created_at) : now
  return { created: !existing, conversion: { definition, builtIn: false, createdAt, updatedAt: now } }
}

/**
 * Deletes a conversion. Deleting `purchase` brings back the built-in definition.
 *
 * @example await deleteConversion(db, workspaceId, 'signup') // 'deleted'
 */
export async function deleteConversion(db: Kysely<Schema>, workspaceId: string, key: string): Promise<'deleted' | 'NotFound'> {
  const result = await db.deleteFrom('measurement_conversions').where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst()
  return Number(result.numDeletedRows) > 0 ? 'deleted' : 'NotFound'
}

function builtIn(currency: string): StoredConversion {
  return { definition: defaultConversion(currency), builtIn: true, createdAt: null, updatedAt: null }
}

function toStored(row: { definition: unknown; created_at: number; updated_at: number }): StoredConversion {
  return { definition: ConversionDefinition.parse(readJson(row.definition, {})), builtIn: false, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) }
}
