import { sql, type Kysely } from 'kysely'
import type { Database, Schema } from '../../platform/index.ts'
import type { Analyzer } from '../text/terms.ts'
import type { Tokenizer } from '../text/tokenizer.ts'
import type { SearchIndex } from './search-index.ts'

/** What the content-hub store functions share: the database, the text tools, the search index. */
export interface HubDeps {
  database: Database
  tokenizer: Tokenizer
  analyzer: Analyzer
  search: SearchIndex
}

/**
 * Serialises writers of one message house (its versions, its variants, its report) on
 * PostgreSQL, so a recomputed report always sees every committed variant. SQLite transactions
 * are already serial.
 */
export async function lockHouse(trx: Kysely<Schema>, dialect: Database['dialect'], workspaceId: string, houseId: string): Promise<boolean> {
  if (dialect === 'postgres') {
    const row = await sql<{ id: string }>`select id from content_houses where workspace_id = ${workspaceId} and id = ${houseId} for update`.execute(trx)
    return row.rows.length > 0
  }
  const row = await trx.selectFrom('content_houses').select('id').where('workspace_id', '=', workspaceId).where('id', '=', houseId).executeTakeFirst()
  return Boolean(row)
}

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString())
