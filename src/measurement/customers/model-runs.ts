import type { Kysely } from 'kysely'
import { newId, readJson, writeJson, type CustomerModelsTable, type Schema } from '../../platform/index.ts'
import { decodeCursor, encodeCursor } from './page-cursor.ts'

/**
 * Model runs — fitting the LTV model or training a score model — are jobs: the API records a run
 * (`queued`), the job worker moves it through `running` with a progress fraction and a stage
 * name, and leaves it `succeeded` with its result or `failed` with a message.
 */
export type ModelKind = 'ltv' | 'propensity' | 'churn'
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed'

export interface ModelRun {
  id: string
  kind: ModelKind
  status: RunStatus
  progress: number
  stage: string
  options: Record<string, unknown>
  result: Record<string, unknown> | null
  error: string | null
  createdAt: string
  updatedAt: string
  finishedAt: string | null
}

export async function createModelRun(db: Kysely<Schema>, input: { workspaceId: string; kind: ModelKind; options: object; now: number }): Promise<string> {
  const id = newId('mdl', input.now)
  await db
    .insertInto('customer_models')
    .values({
      id,
      workspace_id: input.workspaceId,
      kind: input.kind,
      status: 'queued',
      progress: 0,
      stage: 'queued',
      options: writeJson(input.options),
      result: null,
      error: null,
      created_at: input.now,
      updated_at: input.now,
      finished_at: null,
    })
    .execute()
  return id
}

/**
 * @example const run = await getModelRun(db, workspaceId, runId) // { status: 'running', progress: 0.5, stage: 'training', … }
 */
export async function getModelRun(db: Kysely<Schema>, workspaceId: string, id: string): Promise<ModelRun | null> {
  const row = await db.selectFrom('customer_models').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return row ? toRun(row) : null
}

/**
 * The newest succeeded run of a kind — what scores and predictions are read from.
 *
 * @example (await latestSucceededRun(db, workspaceId, 'ltv'))?.result
 */
export async function latestSucceededRun(db: Kysely<Schema>, workspaceId: string, kind: ModelKind): Promise<ModelRun | null> {
  const row = await db
    .selectFrom('customer_models')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('status', '=', 'succeeded')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return row ? toRun(row) : null
}

/**
 * @example const { items } = await listModelRuns(db, workspaceId, { kind: 'churn', limit: 20 })
 */
export async function listModelRuns(
  db: Kysely<Schema>,
  workspaceId: string,
  options: { kind?: ModelKind; cursor?: string; limit: number },
): Promise<{ items: ModelRun[]; nextCursor: string | null }> {
  const before = decodeCursor(options.cursor)
  let query = db.selectFrom('customer_models').selectAll().where('workspace_id', '=', workspaceId)
  if (options.kind) query = query.where('kind', '=', options.kind)
  // Ids are time-ordered, so newest first is descending id.
  if (before !== null) query = query.where('id', '<', before)
  const rows = await query.orderBy('id', 'desc').limit(options.limit + 1).execute()
  const items = rows.slice(0, options.limit).map(toRun)
  return { items, nextCursor: rows.length > options.limit ? encodeCursor(items[items.length - 1]!.id) : null }
}

export async function markRunning(db: Kysely<Schema>, id: string, now: number): Promise<void> {
  await db.updateTable('customer_models').set({ status: 'running', stage: 'starting', progress: 0, error: null, updated_at: now }).where('id', '=', id).execute()
}

export async function markSucceeded(db: Kysely<Schema>, id: string, result: object, now: number): Promise<void> {
  await db
    .updateTable('customer_models')
    .set({ status: 'succeeded', stage: 'done', progress: 1, result: writeJson(result), updated_at: now, finished_at: now })
    .where('id', '=', id)
    .execute()
}

export async function markFailed(db: Kysely<Schema>, id: string, error: string, now: number): Promise<void> {
  await db.updateTable('customer_models').set({ status: 'failed', stage: 'failed', error: error.slice(0, 2000), updated_at: now, finished_at: now }).where('id', '=', id).execute()
}

/** Reports progress; writes only when the stage changes or the fraction moves by 5 points. */
export type Progress = (fraction: number, stage: string) => Promise<void>

export function progressWriter(db: Kysely<Schema>, id: string, now: () => number): Progress {
  let lastStage = ''
  let lastFraction = -1
  return async (fraction, stage) => {
    if (stage === lastStage && fraction - lastFraction < 0.05) return
    lastStage = stage
    lastFraction = fraction
    await db.updateTable('customer_models').set({ progress: Math.min(1, Math.max(0, fraction)), stage, updated_at: now() }).where('id', '=', id).execute()
  }
}

function toRun(row: CustomerModelsTable): ModelRun {
  return {
    id: row.id,
    kind: row.kind as ModelKind,
    status: row.status as RunStatus,
    progress: Number(row.progress),
    stage: row.stage,
    options: readJson(row.options, {}),
    result: readJson(row.result, null),
    error: row.error,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)).toISOString(),
  }
}
