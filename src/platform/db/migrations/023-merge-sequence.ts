import { sql, type Kysely, type Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * A sequence number on the merge audit, so a reader that kept something built from people (a
 * path extraction) can ask for the merges, refusals and erasures recorded since, instead of
 * starting again whenever the audit changed. Rows are written under the ingest lock (PostgreSQL)
 * or by SQLite's single writer, so `seq` order is commit order, and a number is never handed out
 * twice: SQLite's `autoincrement` does not reuse the number of a deleted last row (an erasure
 * deletes audit rows), which a plain rowid would.
 *
 * SQLite cannot add such a column to a table, so there the table is built again with it, the
 * existing rows numbered in the order they were recorded.
 */
export function mergeSequence(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      if (dialect === 'postgres') {
        await db.schema.alterTable('merges').addColumn('seq', 'bigserial', (c) => c.notNull()).execute()
        await db.schema.createIndex('merges_seq').on('merges').column('seq').unique().execute()
        return
      }
      // One transaction, so the statements run on the writing connection (the reader's schema
      // would not know the new table yet) and a failure leaves the table as it was.
      await db.transaction().execute(async (trx) => {
        await trx.schema
          .createTable('merges_numbered')
          .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('survivor_id', 'text')
          .addColumn('merged_id', 'text')
          .addColumn('message_id', 'text')
          .addColumn('identifiers', t.json, (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('created_at', t.bigint, (c) => c.notNull())
          .execute()
        await sql`insert into "merges_numbered" ("id", "workspace_id", "kind", "survivor_id", "merged_id", "message_id", "identifiers", "reason", "actor", "created_at")
          select "id", "workspace_id", "kind", "survivor_id", "merged_id", "message_id", "identifiers", "reason", "actor", "created_at"
          from "merges" order by "created_at", rowid`.execute(trx)
        await trx.schema.dropTable('merges').execute()
        await trx.schema.alterTable('merges_numbered').renameTo('merges').execute()
        await trx.schema.createIndex('merges_survivor').on('merges').columns(['workspace_id', 'survivor_id']).execute()
        await trx.schema.createIndex('merges_merged').on('merges').columns(['workspace_id', 'merged_id']).execute()
      })
    },
  }
}
