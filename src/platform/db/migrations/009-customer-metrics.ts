import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * Customer metrics: saved funnels, model runs (BG/NBD + Gamma-Gamma LTV, propensity and churn
 * scores) with their progress, per-profile scores, and each workspace's lifecycle stage rules.
 */
export function customerMetrics(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('customer_funnels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('customer_funnels_workspace').on('customer_funnels').columns(['workspace_id', 'id']).execute()

      await db.schema
        .createTable('customer_models')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('options', t.json, (c) => c.notNull())
        .addColumn('result', t.json)
        .addColumn('error', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addColumn('finished_at', t.bigint)
        .execute()
      await db.schema.createIndex('customer_models_workspace').on('customer_models').columns(['workspace_id', 'kind', 'created_at']).execute()

      await db.schema
        .createTable('customer_scores')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('score', 'double precision', (c) => c.notNull())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('computed_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('customer_scores_pk', ['workspace_id', 'kind', 'profile_id'])
        .execute()
      await db.schema.createIndex('customer_scores_by_score').on('customer_scores').columns(['workspace_id', 'kind', 'score']).execute()
      await db.schema.createIndex('customer_scores_profile').on('customer_scores').columns(['workspace_id', 'profile_id']).execute()

      await db.schema
        .createTable('customer_lifecycle_rules')
        .addColumn('workspace_id', 'text', (c) => c.primaryKey())
        .addColumn('rules', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
    },
  }
}
