import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * Measurement: each workspace's channel rules (one ordered list, versioned for safe concurrent
 * edits), its conversion definitions, and daily ad spend per channel and campaign.
 */
export function measurement(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('measurement_channel_rules')
        .addColumn('workspace_id', 'text', (c) => c.primaryKey())
        .addColumn('rules', t.json, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('measurement_conversions')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('measurement_conversions_pk', ['workspace_id', 'key'])
        .execute()

      // One row per day, channel and campaign: importing an export again replaces its rows.
      await db.schema
        .createTable('measurement_spend')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('campaign', 'text', (c) => c.notNull())
        .addColumn('impressions', t.bigint, (c) => c.notNull())
        .addColumn('clicks', t.bigint, (c) => c.notNull())
        .addColumn('cost_minor', t.bigint, (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('measurement_spend_pk', ['workspace_id', 'date', 'channel', 'campaign'])
        .execute()
    },
  }
}
