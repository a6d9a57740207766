import type { Kysely } from 'kysely'
import { newId, readJson, writeJson, type MeasurementMmmModelsTable, type Schema } from '../../platform/index.ts'
import type { AttributionRecommendation, FitReport, MmmDatasetInput, MmmModel } from '../mmm/index.ts'
import { decodeCursor, encodeCursor } from '../customers/page-cursor.ts'
import type { MmmFitRequest } from './fit-request.ts'
import type { DatasetSummary } from './workspace-dataset.ts'

/**
 * A media-mix model run: recorded `queued` by the API with the dataset it will fit, moved
 * through `running` (progress 0–1 and a stage name) by the job, and left `fitted` (the model and
 * its report), `insufficient_history` (too few periods for the variables, with the
 * attribution-ROAS recommendation instead) or `failed`.
 */
export type MmmRunStatus = 'queued' | 'running' | 'fitted' | 'insufficient_history' | 'failed'

export interface InsufficientHistory {
  periods: number
  requiredPeriods: number
  variables: number
  message: string
  /** The simpler method over the same days, per day in major units; null when no channel has both cost and credited revenue. */
  recommendation: AttributionRecommendation | null
  recommendationNote: string | null
}

export interface MmmRun {
  id: string
  status: MmmRunStatus
  progress: number
  stage: string
  options: MmmFitRequest
  dataset: DatasetSummary | null
  report: FitReport | null
  insufficientHistory: InsufficientHistory | null
  error: string | null
  createdBy: string | null
  createdAt: string
  updatedAt: string
  finishedAt: string | null
}

/** What the job needs besides the run: the series to fit. Kept with the run so a retry fits the same data. */
export interface StoredRunData {
  run: MmmRun
  series: MmmDatasetInput | null
  model: MmmModel | null
}

export async function createMmmRun(
  db: Kysely<Schema>,
  input: { workspaceId: string; options: MmmFitRequest; summary: DatasetSummary; series: MmmDatasetInput; createdBy: string | null; now: number },
): Promise<string> {
  const id = newId('mmm', input.now)
  await db
    .insertInto('measurement_mmm_models')
    .values({
      id,
      workspace_id: input.workspaceId,
      status: 'queued',
      progress: 0,
      stage: 'queued',
      options: writeJson(input.options),
      dataset: writeJson({ summary: input.summary, series: input.series }),
      model: null,
      result: null,
      error: null,
      created_by: input.createdBy,
      created_at: input.now,
      updated_at: input.now,
      finished_at: null,
    })
    .execute()
  return id
}

/** @example const run = await getMmmRun(db, workspaceId, id) // { status: 'running', progress: 0.4, stage: 'searching', … } */
export async function getMmmRun(db: Kysely<Schema>, workspaceId: string, id: string): Promise<MmmRun | null> {
  return (await getMmmRunData(db, workspaceId, id))?.run ?? null
}

export async function getMmmRunData(db: Kysely<Schema>, workspaceId: string, id: string): Promise<StoredRunData | null> {
  const row = await db.selectFrom('measurement_mmm_models').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  if (!row) return null
  const dataset = readJson<{ summary: DatasetSummary; series: MmmDatasetInput } | null>(row.dataset, null)
  return { run: toRun(row, dataset?.summary ?? null), series: dataset?.series ?? null, model: readJson<MmmModel | null>(row.model, null) }
}

/**
 * Newest first; `status` narrows (the dashboard asks for the latest `fitted` one).
 *
 * @example const { items } = await listMmmRuns(db, workspaceId, { status: 'fitted', limit: 1 })
 */
export async function listMmmRuns(db: Kysely<Schema>, workspaceId: string, options: { status?: MmmRunStatus; cursor?: string; limit: number }): Promise<{ items: MmmRun[]; nextCursor: string | null }> {
  const before = decodeCursor(options.cursor)
  let query = db.selectFrom('measurement_mmm_models').selectAll().where('workspace_id', '=', workspaceId)
  if (options.status) query = query.where('status', '=', options.status)
  // Ids are time-ordered, so newest first is descending id.
  if (before !== null) query = query.where('id', '<', before)
  const rows = await query.orderBy('id', 'desc').limit(options.limit + 1).execute()
  const items = rows.slice(0, options.limit).map((row) => toRun(row, readJson<{ summary: DatasetSummary } | null>(row.dataset, null)?.summary ?? null))
  return { items, nextCursor: rows.length > options.limit ? encodeCursor(items[items.length - 1]!.id) : null }
}

export async function markMmmRunning(db: Kysely<Schema>, id: string, now: number): Promise<void> {
  await db.updateTable('measurement_mmm_models').set({ status: 'running', stage: 'starting', progress: 0, error: null, updated_at: now }).where('id', '=', id).execute()
}

export async function markMmmFitted(db: Kysely<Schema>, id: string, fitted: { model: MmmModel; report: FitReport }, now: number): Promise<void> {
  await db
    .updateTable('measurement_mmm_models')
    .set({ status: 'fitted', stage: 'done', progress: 1, model: writeJson(fitted.model), result: writeJson({ report: fitted.report }), updated_at: now, finished_at: now })
    .where('id', '=', id)
    .execute()
}

export async function markMmmInsufficient(db: Kysely<Schema>, id: string, insufficient: InsufficientHistory, now: number): Promise<void> {
  await db
    .updateTable('measurement_mmm_models')
    .set({ status: 'insufficient_history', stage: 'done', progress: 1, result: writeJson({ insufficientHistory: insufficient }), updated_at: now, finished_at: now })
    .where('id', '=', id)
    .execute()
}

export async function markMmmFailed(db: Kysely<Schema>, id: string, error: string, now: number): Promise<void> {
  await db.updateTable('measurement_mmm_models').set({ status: 'failed', stage: 'failed', error: error.slice(0, 2000), updated_at: now, finished_at: now }).where('id', '=', id).execute()
}

/** Records progress; writes only when the stage changes or the fraction moves by 2 points. */
export function mmmProgressWriter(db: Kysely<Schema>, id: string, now: () => number): (fraction: number, stage: string) => Promise<void> {
  let lastStage = ''
  let lastFraction = -1
  return async (fraction, stage) => {
    if (stage === lastStage && fraction - lastFraction < 0.02) return
    lastStage = stage
    lastFraction = fraction
    await db.updateTable('measurement_mmm_models').set({ progress: Math.min(1, Math.max(0, fraction)), stage, updated_at: now() }).where('id', '=', id).execute()
  }
}

function toRun(row: MeasurementMmmModelsTable, summary: DatasetSummary | null): MmmRun {
  const result = readJson<{ report?: FitReport; insufficientHistory?: InsufficientHistory } | null>(row.result, null)
  return {
    id: row.id,
    status: row.status as MmmRunStatus,
    progress: Number(row.progress),
    stage: row.stage,
    options: readJson(row.options, {}) as MmmFitRequest,
    dataset: summary,
    report: result?.report ?? null,
    insufficientHistory: result?.insufficientHistory ?? null,
    error: row.error,
    createdBy: row.created_by,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)).toISOString(),
  }
}
