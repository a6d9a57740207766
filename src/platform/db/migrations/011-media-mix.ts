import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * Media-mix model runs: a fit of the workspace's spend against an outcome from the log, run as a
 * job. The row carries the job's progress, what was fitted on (options and a dataset summary),
 * and once done the fitted model (what optimising and "what if" need) and its report.
 */
export function mediaMix(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('measurement_mmm_models')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('options', t.json, (c) => c.notNull())
        .addColumn('dataset', t.json)
        .addColumn('model', t.json)
        .addColumn('result', t.json)
        .addColumn('error', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addColumn('finished_at', t.bigint)
        .execute()
      await db.schema.createIndex('measurement_mmm_models_workspace').on('measurement_mmm_models').columns(['workspace_id', 'id']).execute()
    },
  }
}
