import type { Job } from '../../platform/index.ts'
import type { AppContext } from '../../server/context.ts'
import { DEFAULT_SETTINGS, getWorkspace } from '../../workspaces/index.ts'
import { fitMmmWithProgress, mmmReadiness, recommendFromAttribution, type MmmFitOptionsInput } from '../mmm/index.ts'
import { roiReport } from '../roi/index.ts'
import { majorAmount } from '../spend/currency.ts'
import type { MmmFitRequest } from './fit-request.ts'
import { createMmmRun, getMmmRunData, markMmmFailed, markMmmFitted, markMmmInsufficient, markMmmRunning, mmmProgressWriter, type InsufficientHistory } from './mmm-runs.ts'
import type { MmmDatasetInput } from '../mmm/index.ts'
import type { DatasetSummary } from './workspace-dataset.ts'

/**
 * Fitting runs as a job: the hyper-parameter search takes seconds to minutes, so it never holds
 * an HTTP request open, a worker that dies mid-fit leaves the job to be retried, and the run row
 * carries progress for the dashboard. The fit is seeded and its data stored with the run, so a
 * retry produces the same model.
 */
export const MMM_FIT_JOB = 'measurement.mmm-fit'

/** A running fit that has not written progress for this long is taken to have died. */
export const FIT_HEARTBEAT_MS = 90_000

interface MmmFitJobPayload {
  workspaceId: string
  runId: string
}

/**
 * Records a run with the data it will fit and enqueues its job; returns the run id to poll.
 *
 * @example const runId = await startMmmFit(ctx, { workspaceId, options, summary, series, createdBy: null })
 */
export async function startMmmFit(
  ctx: Pick<AppContext, 'database' | 'jobs' | 'clock'>,
  input: { workspaceId: string; options: MmmFitRequest; summary: DatasetSummary; series: MmmDatasetInput; createdBy: string | null },
): Promise<string> {
  const runId = await createMmmRun(ctx.database.db, { ...input, now: ctx.clock.now() })
  await ctx.jobs.enqueue<MmmFitJobPayload>({ kind: MMM_FIT_JOB, dedupeKey: `${MMM_FIT_JOB}:${runId}`, payload: { workspaceId: input.workspaceId, runId }, workspaceId: input.workspaceId, maxAttempts: 3 })
  return runId
}

/** The fit options the library takes, from the API's request. */
export function fitOptionsOf(request: MmmFitRequest): MmmFitOptionsInput {
  return {
    adstock: request.adstock,
    iterations: request.iterations,
    seed: request.seed,
    holdoutFraction: request.holdoutFraction,
    ...(request.weekdaySeasonality ? {} : { weeklyHarmonics: 0 }),
  }
}

/**
 * The job handler. Too little history is an answer, not an error: the run ends
 * `insufficient_history` with the attribution-ROAS recommendation over the same days. An
 * unexpected error marks the run failed and rethrows, so the queue retries it.
 *
 * @example jobHandlers[MMM_FIT_JOB] = (job) => runMmmFitJob(ctx, job)
 */
export async function runMmmFitJob(ctx: Pick<AppContext, 'database' | 'clock' | 'logger'>, job: Job): Promise<void | { reschedule: number }> {
  const { workspaceId, runId } = job.payload as MmmFitJobPayload
  const db = ctx.database.db
  const stored = await getMmmRunData(db, workspaceId, runId)
  if (!stored || stored.run.status === 'fitted' || stored.run.status === 'insufficient_history') return
  // A long fit can outlast the job's lease, and another worker then claims the job while the
  // first is still searching. Progress writes are the first worker's heartbeat: while they are
  // recent, look again later rather than fit twice; once they stop, the fit is taken over.
  const now = ctx.clock.now()
  if (stored.run.status === 'running' && now - Date.parse(stored.run.updatedAt) < FIT_HEARTBEAT_MS) return { reschedule: now + FIT_HEARTBEAT_MS }
  const { run, series } = stored
  await markMmmRunning(db, runId, ctx.clock.now())
  const progress = mmmProgressWriter(db, runId, () => ctx.clock.now())
  try {
    if (!series || !run.dataset) throw new Error(`run ${runId} has no stored dataset`)
    const options = fitOptionsOf(run.options)
    const ready = mmmReadiness(series, options)
    if (ready.kind !== 'ready') {
      await progress(0.5, 'recommending from attribution')
      await markMmmInsufficient(db, runId, { ...ready, ...(await attributionRecommendation(ctx, workspaceId, run.options, run.dataset)) }, ctx.clock.now())
      return
    }
    const fit = await fitMmmWithProgress(series, options, (fraction) => progress(fraction * 0.95, 'searching'))
    if (fit.kind !== 'fitted') throw new Error(fit.message)
    await markMmmFitted(db, runId, fit, ctx.clock.now())
  } catch (error) {
    await markMmmFailed(db, runId, error instanceof Error ? error.message : String(error), ctx.clock.now())
    ctx.logger.error({ err: error, runId }, 'media-mix fit failed')
    throw error
  }
}

/**
 * The simpler method for short histories: each channel's cost and attributed revenue over the
 * run's days, per day, as one point of an assumed diminishing-returns curve (docs/mmm.md).
 */
async function attributionRecommendation(
  ctx: Pick<AppContext, 'database'>,
  workspaceId: string,
  request: MmmFitRequest,
  summary: DatasetSummary,
): Promise<Pick<InsufficientHistory, 'recommendation' | 'recommendationNote'>> {
  const settings = (await getWorkspace(ctx.database.db, workspaceId))?.settings ?? DEFAULT_SETTINGS
  const outcome = await roiReport({
    database: ctx.database,
    workspaceId,
    request: { from: summary.from, to: summary.to, model: request.attributionModel, conversion: request.conversion },
    timeZone: settings.timezone,
    currency: summary.currency,
  })
  if (outcome.kind !== 'report') return { recommendation: null, recommendationNote: outcome.message }
  const days = Math.max(1, Math.round((Date.parse(`${summary.to}T00:00:00Z`) - Date.parse(`${summary.from}T00:00:00Z`)) / 86_400_000) + 1)
  const modelled = new Set(summary.channels.map((c) => c.channel))
  const channels = outcome.report.rows
    .filter((r) => modelled.has(r.channel) && r.costMinor > 0)
    .map((r) => ({ channel: r.channel, cost: majorAmount(r.costMinor, summary.currency) / days, attributedRevenue: majorAmount(r.revenueMinor, summary.currency) / days }))
  if (channels.length === 0) return { recommendation: null, recommendationNote: `no modelled channel has spend and ${request.attributionModel} credit between ${summary.from} and ${summary.to}` }
  return { recommendation: recommendFromAttribution({ channels }), recommendationNote: `${request.attributionModel} attribution over ${summary.from} – ${summary.to}, per day` }
}
