import type { Kysely } from 'kysely'
import { newId, readJson, writeJson, type Schema } from '../../platform/index.ts'
import { FunnelDefinition } from './funnel-definition.ts'
import { decodeCursor, encodeCursor } from './page-cursor.ts'

/**
 * Saved funnels, so a report or a drop-off list can be fetched again by id.
 *
 * @example
 * const saved = await saveFunnel(db, { workspaceId, name: 'Checkout', definition, now: Date.now() })
 * await getFunnel(db, workspaceId, saved.id) // the same funnel
 */
export interface SavedFunnel {
  id: string
  name: string
  definition: FunnelDefinition
  createdAt: string
  updatedAt: string
}

export async function saveFunnel(db: Kysely<Schema>, input: { workspaceId: string; name: string; definition: FunnelDefinition; now: number }): Promise<SavedFunnel> {
  const id = newId('fnl')
  await db
    .insertInto('customer_funnels')
    .values({ id, workspace_id: input.workspaceId, name: input.name, definition: writeJson(input.definition), created_at: input.now, updated_at: input.now })
    .execute()
  return { id, name: input.name, definition: input.definition, createdAt: new Date(input.now).toISOString(), updatedAt: new Date(input.now).toISOString() }
}

export async function getFunnel(db: Kysely<Schema>, workspaceId: string, id: string): Promise<SavedFunnel | null> {
  const row = await db.selectFrom('customer_funnels').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return row ? toSaved(row) : null
}

export async function listFunnels(db: Kysely<Schema>, workspaceId: string, options: { cursor?: string; limit: number }): Promise<{ items: SavedFunnel[]; nextCursor: string | null }> {
  const after = decodeCursor(options.cursor)
  let query = db.selectFrom('customer_funnels').selectAll().where('workspace_id', '=', workspaceId)
  if (after !== null) query = query.where('id', '>', after)
  const rows = await query.orderBy('id').limit(options.limit + 1).execute()
  const items = rows.slice(0, options.limit).map(toSaved)
  return { items, nextCursor: rows.length > options.limit ? encodeCursor(items[items.length - 1]!.id) : null }
}

export async function deleteFunnel(db: Kysely<Schema>, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('customer_funnels').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

function toSaved(row: { id: string; name: string; definition: unknown; created_at: number; updated_at: number }): SavedFunnel {
  return {
    id: row.id,
    name: row.name,
    definition: FunnelDefinition.parse(readJson(row.definition, {})),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  }
}
