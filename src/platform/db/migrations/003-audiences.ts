import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * Audiences: definitions, membership (one row per member, keyed by audience then profile),
 * recompute runs with their progress, an index over completed orders for computed fields, and on
 * PostgreSQL a date parser that answers NULL instead of raising on a trait that is no date.
 */
export function audiences(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('audiences')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('definition', t.json)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        // Time-dependent audiences: when the periodic sweep looks next, and up to when it has looked.
        .addColumn('next_check_at', t.bigint)
        .addColumn('swept_at', t.bigint)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addUniqueConstraint('audiences_name', ['workspace_id', 'name'])
        .execute()
      await db.schema.createIndex('audiences_due').on('audiences').columns(['next_check_at']).execute()

      await db.schema
        .createTable('audience_members')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('audience_id', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('entered_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('audience_members_pk', ['audience_id', 'profile_id'])
        .$call(withoutRowId(dialect))
        .execute()
      await db.schema.createIndex('audience_members_profile').on('audience_members').columns(['workspace_id', 'profile_id']).execute()

      await db.schema
        .createTable('audience_recomputes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('audience_id', 'text', (c) => c.notNull())
        .addColumn('audience_version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('matched', t.bigint)
        .addColumn('total', t.bigint)
        .addColumn('done', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('entered', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('exited', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('started_at', t.bigint)
        .addColumn('finished_at', t.bigint)
        .execute()
      await db.schema.createIndex('audience_recomputes_audience').on('audience_recomputes').columns(['audience_id', 'created_at']).execute()

      // Order count, revenue, recency and RFM read completed orders only; a partial index keeps
      // them off every other event and costs ingest nothing for events that are not orders.
      await sql`create index events_orders on events (workspace_id, timestamp) where order_minor is not null`.execute(db)

      if (dialect === 'postgres') {
        // Date traits are compared as epoch ms. A cast of text that is no date raises in
        // PostgreSQL and would fail the whole audience query, so parse in a guard that answers
        // NULL instead. Times without an offset are UTC, as SQLite's julianday() reads them.
        await sql`
          create or replace function chorus_epoch_ms(value text) returns double precision
          language plpgsql stable set timezone = 'UTC' as $$
          begin
            if value !~ '^\\d{4}-\\d{2}-\\d{2}' then return null; end if;
            return extract(epoch from value::timestamptz) * 1000;
          exception when others then
            return null;
          end $$`.execute(db)
      }
    },
  }
}

/** Membership is looked up only by its key: stored clustered on it on SQLite. */
function withoutRowId(dialect: DialectName) {
  return <T extends string, C extends string>(builder: CreateTableBuilder<T, C>) => (dialect === 'sqlite' ? builder.modifyEnd(sql`without rowid`) : builder)
}
