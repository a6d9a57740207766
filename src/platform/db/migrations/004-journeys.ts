import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * Journeys and broadcasts: definitions and their versions, runs (one person's way through one
 * version), the send outbox that stores every idempotency key before a provider is called, the
 * facts that node metrics are counted from, guard-rail settings, and broadcasts.
 */
export function journeys(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('journeys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('current_version', 'integer')
        .addColumn('latest_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('journeys_workspace').on('journeys').columns(['workspace_id', 'status']).execute()

      await db.schema
        .createTable('journey_versions')
        .addColumn('journey_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('published_at', t.bigint)
        .addPrimaryKeyConstraint('journey_versions_pk', ['journey_id', 'version'])
        .execute()

      await db.schema
        .createTable('journey_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('journey_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('node_id', 'text', (c) => c.notNull())
        // Every transition adds one; a job or a wake-up carries the token it expects, so a stale
        // one finds a different token and does nothing.
        .addColumn('token', 'integer', (c) => c.notNull())
        .addColumn('node_token', 'integer', (c) => c.notNull())
        // The log position the run has reached: a wait counts only events after it.
        .addColumn('mark_seq', t.bigint, (c) => c.notNull())
        .addColumn('wait_event', 'text')
        .addColumn('wait_until', t.bigint)
        .addColumn('wake_at', t.bigint)
        .addColumn('entry_seq', t.bigint, (c) => c.notNull())
        .addColumn('entry_key', 'text', (c) => c.notNull())
        .addColumn('entered_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addColumn('ended_at', t.bigint)
        .addColumn('end_reason', 'text')
        .addColumn('converted_at', t.bigint)
        .addColumn('goal_until', t.bigint)
        // `journeyId:profileId` while the run is active and the journey allows one run per person.
        .addColumn('active_key', 'text', (c) => c.unique())
        .addColumn('context', t.json, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('journey_runs_profile').on('journey_runs').columns(['workspace_id', 'profile_id', 'journey_id']).execute()
      await db.schema.createIndex('journey_runs_journey').on('journey_runs').columns(['journey_id', 'version', 'state', 'node_id']).execute()
      await db.schema.createIndex('journey_runs_entry').on('journey_runs').columns(['journey_id', 'profile_id', 'entry_key']).unique().execute()

      await db.schema
        .createTable('journey_sends')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('journey_id', 'text')
        .addColumn('version', 'integer')
        .addColumn('node_id', 'text')
        .addColumn('run_id', 'text')
        .addColumn('broadcast_id', 'text')
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('channel', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('due_at', t.bigint, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        // When guard rails let it through: frequency caps count sends by this time.
        .addColumn('decided_at', t.bigint)
        .addColumn('sent_at', t.bigint)
        .addColumn('provider_id', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('journey_sends_broadcast').on('journey_sends').columns(['broadcast_id', 'state', 'due_at']).execute()
      await db.schema.createIndex('journey_sends_profile').on('journey_sends').columns(['workspace_id', 'profile_id', 'decided_at']).execute()
      await db.schema.createIndex('journey_sends_provider').on('journey_sends').columns(['workspace_id', 'provider_id']).execute()

      await db.schema
        .createTable('journey_facts')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('journey_id', 'text')
        .addColumn('version', 'integer')
        .addColumn('node_id', 'text')
        .addColumn('broadcast_id', 'text')
        .addColumn('run_id', 'text')
        .addColumn('send_key', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('journey_facts_journey').on('journey_facts').columns(['journey_id', 'version', 'node_id', 'kind']).execute()
      await db.schema.createIndex('journey_facts_broadcast').on('journey_facts').columns(['broadcast_id', 'kind']).execute()
      await db.schema.createIndex('journey_facts_run').on('journey_facts').columns(['run_id']).execute()

      await db.schema
        .createTable('journey_settings')
        .addColumn('workspace_id', 'text', (c) => c.primaryKey())
        .addColumn('guard_rails', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('broadcasts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('audience_id', 'text', (c) => c.notNull())
        .addColumn('spec', t.json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('send_at', t.bigint, (c) => c.notNull())
        .addColumn('rate_per_second', 'integer')
        .addColumn('fanout_cursor', 'text')
        .addColumn('fanout_done', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
        // Token bucket for the rate limit, in thousandths of a message.
        .addColumn('rate_tokens', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('rate_at', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addColumn('paused_at', t.bigint)
        .addColumn('finished_at', t.bigint)
        .execute()
      await db.schema.createIndex('broadcasts_workspace').on('broadcasts').columns(['workspace_id', 'id']).execute()
    },
  }
}
