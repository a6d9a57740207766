import type { Job } from '../../platform/index.ts'
import type { AppContext } from '../../server/context.ts'
import { InvalidMeasurementInput } from './input-error.ts'
import { fitLtvModel, LtvModelOptions } from './ltv-model.ts'
import { createModelRun, getModelRun, markFailed, markRunning, markSucceeded, progressWriter, type ModelKind } from './model-runs.ts'
import { ScoreModelOptions, trainScoreModel } from './score-model.ts'
import { SCORE_TRAITS } from './score-store.ts'
import { recomputeAudiencesReading } from './trait-audiences.ts'

/**
 * Model training runs as a job, so a large workspace's fit never holds an HTTP request open and a
 * worker that dies mid-fit leaves the run to be retried. The run row carries progress for the API.
 */
export const CUSTOMER_MODEL_JOB = 'measurement.customer-model'

interface ModelJobPayload {
  workspaceId: string
  runId: string
}

/**
 * Records a run and enqueues its job; returns the run id to poll.
 *
 * @example const runId = await startModelRun(ctx, { workspaceId, kind: 'propensity', options: { kind: 'propensity' } })
 */
export async function startModelRun(ctx: Pick<AppContext, 'database' | 'jobs' | 'clock'>, input: { workspaceId: string; kind: ModelKind; options: object }): Promise<string> {
  const runId = await createModelRun(ctx.database.db, { workspaceId: input.workspaceId, kind: input.kind, options: input.options, now: ctx.clock.now() })
  await ctx.jobs.enqueue<ModelJobPayload>({ kind: CUSTOMER_MODEL_JOB, dedupeKey: `${CUSTOMER_MODEL_JOB}:${runId}`, payload: { workspaceId: input.workspaceId, runId }, workspaceId: input.workspaceId, maxAttempts: 3 })
  return runId
}

/**
 * The job handler. A run that cannot succeed on this data (not enough history) is marked failed
 * and not retried; an unexpected error marks it failed and rethrows, so the queue retries it.
 *
 * @example jobHandlers[CUSTOMER_MODEL_JOB] = (job) => runCustomerModelJob(ctx, job)
 */
export async function runCustomerModelJob(ctx: Pick<AppContext, 'database' | 'clock' | 'logger' | 'jobs'>, job: Job): Promise<void> {
  const { workspaceId, runId } = job.payload as ModelJobPayload
  const db = ctx.database.db
  const run = await getModelRun(db, workspaceId, runId)
  if (!run || run.status === 'succeeded') return
  await markRunning(db, runId, ctx.clock.now())
  const progress = progressWriter(db, runId, () => ctx.clock.now())
  try {
    const now = ctx.clock.now()
    if (run.kind === 'ltv') {
      const result = await fitLtvModel(ctx.database, { workspaceId, options: LtvModelOptions.parse(run.options), now, modelId: runId, progress })
      await markSucceeded(db, runId, result, ctx.clock.now())
      return
    }
    const result = await trainScoreModel(ctx.database, { workspaceId, options: ScoreModelOptions.parse({ ...run.options, kind: run.kind }), now, modelId: runId, progress })
    const audiencesRecomputed = await recomputeAudiencesReading(ctx, workspaceId, SCORE_TRAITS[run.kind]!)
    await markSucceeded(db, runId, { ...result, audiencesRecomputed }, ctx.clock.now())
  } catch (error) {
    await markFailed(db, runId, error instanceof Error ? error.message : String(error), ctx.clock.now())
    if (error instanceof InvalidMeasurementInput) return
    ctx.logger.error({ err: error, runId }, 'customer model run failed')
    throw error
  }
}
