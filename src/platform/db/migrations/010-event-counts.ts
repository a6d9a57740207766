import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * Event counts per workspace, quarter hour and touch facts, kept by the `event-counts` log
 * processor so "events by channel" over a day or a quarter reads a few rows instead of the log.
 */
export function eventCounts(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('event_counts')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('bucket', t.bigint, (c) => c.notNull())
        .addColumn('facts', 'text', (c) => c.notNull())
        .addColumn('events', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('event_counts_pk', ['workspace_id', 'bucket', 'facts'])
        .execute()
    },
  }
}
