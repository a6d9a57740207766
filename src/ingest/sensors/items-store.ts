import { insertRows, writeJson, type Database } from '../../platform/index.ts'
import type { ItemChange } from './record-to-messages.ts'

/**
 * Sensors `item_set` / `item_delete` describe things rather than people (products, articles):
 * kept in `items`, latest state per (type, id). A delete keeps the row, marked, so a late
 * `item_set` from before the delete cannot bring it back unnoticed.
 */
export async function saveItemChanges(database: Database, workspaceId: string, changes: ItemChange[], now: number): Promise<void> {
  const latest = new Map<string, ItemChange>()
  for (const change of changes) latest.set(`${change.itemType}\u0000${change.itemId}`, change)
  await insertRows(
    database.db,
    database.dialect,
    'items',
    ['workspace_id', 'item_type', 'item_id', 'properties', 'deleted', 'updated_at'],
    [...latest.values()].map((c) => [workspaceId, c.itemType, c.itemId, writeJson(c.op === 'delete' ? {} : c.properties), c.op === 'delete' ? 1 : 0, now]),
    { upsertOn: ['workspace_id', 'item_type', 'item_id'] },
  )
}
