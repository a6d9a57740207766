import { insertRows, newId, writeJson, type DialectName, type JobHandler, type Schema } from '../../platform/index.ts'
import type { Kysely } from 'kysely'
import { mapLimit } from '../delivery/map-limit.ts'
import type { EngineContext } from './context.ts'
import type { StepRunner } from './step-runner.ts'

/** The job that drives the runs an entry batch started, from their first node. */
export const ENTRY_STEPS_JOB = 'journeys.entry-steps'

/** Runs named by one job: driven at once, their sends shared by the engine's `SendBatcher`. */
export const RUNS_PER_ENTRY_JOB = 500

const JOB_COLUMNS = ['id', 'workspace_id', 'kind', 'dedupe_key', 'run_at', 'locked_until', 'locked_by', 'attempts', 'max_attempts', 'payload', 'last_error', 'created_at']

/**
 * Queues the first step of runs just started, in the transaction that inserts them: one job per
 * `RUNS_PER_ENTRY_JOB` runs of a workspace instead of one per run, so a thousand entries cost a
 * few job rows to write, lease and complete rather than a thousand of each.
 *
 * @example await armEntrySteps(trx, dialect, [{ id: runId, workspaceId }], now)
 */
export async function armEntrySteps(trx: Kysely<Schema>, dialect: DialectName, runs: ReadonlyArray<{ id: string; workspaceId: string }>, now: number): Promise<void> {
  const byWorkspace = new Map<string, string[]>()
  for (const run of runs) {
    const ids = byWorkspace.get(run.workspaceId) ?? []
    ids.push(run.id)
    byWorkspace.set(run.workspaceId, ids)
  }
  const rows: unknown[][] = []
  for (const [workspaceId, ids] of byWorkspace) {
    for (let i = 0; i < ids.length; i += RUNS_PER_ENTRY_JOB) {
      const runIds = ids.slice(i, i + RUNS_PER_ENTRY_JOB)
      // Run ids are unique, so the first one names the job.
      rows.push([newId('job', now), workspaceId, ENTRY_STEPS_JOB, `${ENTRY_STEPS_JOB}:${runIds[0]}`, now, null, null, 0, 10, writeJson({ runIds }), null, now])
    }
  }
  await insertRows(trx, dialect, 'jobs', JOB_COLUMNS, rows, { ignoreConflicts: true })
}

/**
 * The `journeys.entry-steps` handler: drives every run the job names, all at once, each until it
 * waits, ends or has taken its share of steps — exactly what a `journeys.step` job does for one
 * run, and with the same guards (every move token-guarded), so driving a run again is harmless.
 * The job completes when every run was driven until it stopped; it re-arms at once when some
 * still had work, and fails (retried with backoff, like any job) when a run's drive failed — the
 * runs already done then stop at their first read.
 *
 * @example new JobWorker({ queue, logger, handlers: { [ENTRY_STEPS_JOB]: entryStepsJobHandler(engine, steps) } })
 */
export function entryStepsJobHandler(engine: EngineContext, steps: StepRunner): JobHandler {
  return async (job) => {
    const { runIds } = job.payload as { runIds: string[] }
    const outcomes = await mapLimit(runIds, RUNS_PER_ENTRY_JOB, async (runId) => {
      try {
        return { ok: true as const, finished: await steps.drive(runId) }
      } catch (error) {
        return { ok: false as const, runId, error }
      }
    })
    const failed = outcomes.filter((o) => !o.ok)
    if (failed.length > 0) {
      for (const f of failed) engine.logger.warn({ err: f.error, runId: f.runId }, 'driving a run failed')
      throw failed[0]!.error
    }
    if (outcomes.some((o) => o.ok && !o.finished)) return { reschedule: engine.clock.now() }
  }
}
