import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/** Workspaces, sources, tokens, the event log, identities, profiles and the job table. */
export function foundation(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('workspaces')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('settings', t.json, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('sources')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('write_key', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('admin_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('last_used_at', t.bigint)
        .execute()

      let events = db.schema.createTable('events')
      events =
        dialect === 'postgres'
          ? events.addColumn('seq', 'bigserial', (c) => c.primaryKey())
          : events.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      await events
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('event', 'text')
        .addColumn('profile_id', 'text')
        // 0-63 from the profile id: processors split the log among workers by it.
        .addColumn('part', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('user_id', 'text')
        .addColumn('anonymous_id', 'text')
        .addColumn('channel', 'text')
        .addColumn('timestamp', t.bigint, (c) => c.notNull())
        .addColumn('received_at', t.bigint, (c) => c.notNull())
        .addColumn('source_id', 'text')
        // Orders carry their amount in columns so revenue sums never parse JSON.
        .addColumn('order_minor', t.bigint)
        .addColumn('order_currency', 'text')
        .addColumn('payload', t.json, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('events_profile').on('events').columns(['workspace_id', 'profile_id', 'timestamp']).execute()
      await db.schema.createIndex('events_by_name').on('events').columns(['workspace_id', 'event', 'timestamp']).execute()

      await db.schema
        .createTable('identities')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('identities_pk', ['workspace_id', 'value', 'type'])
        .$call(withoutRowId(dialect))
        .execute()
      await db.schema.createIndex('identities_profile').on('identities').columns(['workspace_id', 'profile_id']).execute()

      await db.schema
        .createTable('profiles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('traits', t.json, (c) => c.notNull())
        .addColumn('merged_into', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('profiles_workspace').on('profiles').columns(['workspace_id', 'updated_at']).execute()
      await db.schema.createIndex('profiles_merged_into').on('profiles').columns(['workspace_id', 'merged_into']).execute()

      await db.schema
        .createTable('merges')
        .addColumn('id', 'text', (c) => c.primaryKey())
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
      await db.schema.createIndex('merges_survivor').on('merges').columns(['workspace_id', 'survivor_id']).execute()
      await db.schema.createIndex('merges_merged').on('merges').columns(['workspace_id', 'merged_id']).execute()

      await db.schema
        .createTable('processor_cursors')
        .addColumn('processor', 'text', (c) => c.notNull())
        .addColumn('partition', 'integer', (c) => c.notNull())
        .addColumn('position', t.bigint, (c) => c.notNull())
        .addColumn('leased_by', 'text')
        .addColumn('lease_until', t.bigint)
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('processor_cursors_pk', ['processor', 'partition'])
        .execute()

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('run_at', t.bigint, (c) => c.notNull())
        .addColumn('locked_until', t.bigint)
        .addColumn('locked_by', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(10))
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('jobs_due').on('jobs').columns(['run_at']).execute()

      await db.schema
        .createTable('suppressions')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('dropped_events', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('suppressions_pk', ['workspace_id', 'value', 'type'])
        .execute()

      await db.schema
        .createTable('seen_messages')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('seen_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('seen_messages_pk', ['workspace_id', 'message_id'])
        .$call(withoutRowId(dialect))
        .execute()
      await db.schema.createIndex('seen_messages_age').on('seen_messages').columns(['seen_at']).execute()

      await db.schema
        .createTable('items')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('item_type', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('properties', t.json, (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('items_pk', ['workspace_id', 'item_type', 'item_id'])
        .execute()

      await db.schema
        .createTable('identity_rules')
        .addColumn('workspace_id', 'text', (c) => c.primaryKey())
        .addColumn('rules', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()

    },
  }
}

/**
 * On SQLite, tables looked up only by their primary key are stored clustered on it: one B-tree
 * to write instead of a rowid table plus a key index.
 */
function withoutRowId(dialect: DialectName) {
  return <T extends string, C extends string>(builder: CreateTableBuilder<T, C>) => (dialect === 'sqlite' ? builder.modifyEnd(sql`without rowid`) : builder)
}
