import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * The campaign planner: plans (one JSON document per campaign, validated by the campaigns
 * module), the audit of every plan edit, monitoring alerts and the decisions on them, stored
 * retrospectives and the lessons knowledge base.
 */
export function campaigns(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('brand', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('starts_at', t.bigint, (c) => c.notNull())
        .addColumn('ends_at', t.bigint, (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('house_id', 'text')
        .addColumn('plan', t.json, (c) => c.notNull())
        .addColumn('plan_version', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('campaigns_workspace').on('campaigns').columns(['workspace_id', 'id']).execute()
      await db.schema.createIndex('campaigns_status').on('campaigns').columns(['status', 'workspace_id']).execute()

      await db.schema
        .createTable('campaign_plan_edits')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('plan_version', 'integer', (c) => c.notNull())
        .addColumn('section', 'text', (c) => c.notNull())
        .addColumn('changes', t.json, (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('campaign_plan_edits_campaign').on('campaign_plan_edits').columns(['workspace_id', 'campaign_id', 'at']).execute()

      await db.schema
        .createTable('campaign_alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('data', t.json, (c) => c.notNull())
        .addColumn('actions', t.json, (c) => c.notNull())
        .addColumn('raised_at', t.bigint, (c) => c.notNull())
        .addColumn('decided_at', t.bigint)
        .addColumn('decided_by', 'text')
        .addColumn('decision', t.json)
        .execute()
      await db.schema.createIndex('campaign_alerts_campaign').on('campaign_alerts').columns(['workspace_id', 'campaign_id', 'raised_at']).execute()

      await db.schema
        .createTable('campaign_reviews')
        .addColumn('campaign_id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('report', t.json, (c) => c.notNull())
        .addColumn('markdown', 'text', (c) => c.notNull())
        .addColumn('generated_by', 'text', (c) => c.notNull())
        .addColumn('generated_at', t.bigint, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('campaign_lessons')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('channels', t.json, (c) => c.notNull())
        .addColumn('metrics', t.json, (c) => c.notNull())
        .addColumn('tags', t.json, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('campaign_lessons_workspace').on('campaign_lessons').columns(['workspace_id', 'created_at']).execute()
    },
  }
}
