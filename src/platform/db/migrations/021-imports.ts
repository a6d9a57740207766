import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * Files uploaded through `POST /api/v1/imports`: one row per import with its options, live
 * progress (bytes and rows) and final report, so the dashboard can show a progress bar and the
 * rejected lines. The process that received the file runs it and beats `heartbeat_at`; a row left
 * running without a heartbeat belonged to a process that stopped.
 */
export function imports(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('imports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('options', t.json, (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('bytes_total', t.bigint, (c) => c.notNull())
        .addColumn('bytes_read', t.bigint, (c) => c.notNull())
        .addColumn('rows_read', t.bigint, (c) => c.notNull())
        .addColumn('stored', t.bigint, (c) => c.notNull())
        .addColumn('duplicates', t.bigint, (c) => c.notNull())
        .addColumn('suppressed', t.bigint, (c) => c.notNull())
        .addColumn('rejected', t.bigint, (c) => c.notNull())
        .addColumn('rejections', t.json, (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('temp_path', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('started_at', t.bigint)
        .addColumn('finished_at', t.bigint)
        .addColumn('heartbeat_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('imports_by_workspace').on('imports').columns(['workspace_id', 'id']).execute()
      await db.schema.createIndex('imports_by_state').on('imports').columns(['state', 'heartbeat_at']).execute()
    },
  }
}
