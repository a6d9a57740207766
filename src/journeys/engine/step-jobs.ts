import { JobQueue, chunked, newId, readJson, type Job, type JobHandler } from '../../platform/index.ts'
import { mapLimit } from '../delivery/map-limit.ts'
import type { EngineContext } from './context.ts'
import { STEP_JOB } from './runs.ts'
import type { StepRunner } from './step-runner.ts'

/** Due step jobs leased along with the ones the worker holds, so their runs are driven together. */
const STEPS_TAKEN_ALONG = 499
/** Runs driven at once: their database work interleaves and their sends share one delivery. */
const RUNS_AT_ONCE = 500
/** As the job worker leases. */
const LEASE_MS = 60_000

/**
 * The `journeys.step` handler. The job worker hands over one job at a time, and driving one run
 * per job leaves everything waiting on one provider round trip after another. So, given a job,
 * the handler drives together the runs of every step job the same worker holds (the ones it will
 * hand over next) and of up to `STEPS_TAKEN_ALONG` other due ones it leases itself, up to
 * `RUNS_AT_ONCE` at once, their sends gathered into batches by the engine's `SendBatcher`.
 *
 * Nothing about durability changes: a job the worker holds is still completed only after the
 * worker has called this handler for it — which then knows its run was driven until it stopped,
 * or drives what is left — and a job leased here is completed (all of them in one statement once
 * their runs stopped), re-armed or failed here, exactly as the worker would.
 *
 * @example new JobWorker({ queue, logger, handlers: { [STEP_JOB]: stepJobHandler(engine, steps) } })
 */
export function stepJobHandler(engine: EngineContext, steps: StepRunner): JobHandler {
  const queue = new JobQueue({ database: engine.database, clock: engine.clock })
  const taker = newId('wrk')
  /**
   * Jobs the worker holds whose runs were driven ahead, until the worker hands them over: true
   * when the run was driven until it stopped (ended, waits, or another driver moved it), so the
   * job is done without reading the run again; false when it still has work or the drive failed.
   */
  const drivenAhead = new Map<string, boolean>()

  const driveAhead = async (jobId: string, runId: string): Promise<void> => {
    try {
      drivenAhead.set(jobId, await steps.drive(runId))
    } catch (error) {
      // The worker hands this run's job over later; the error is met (and retried) there.
      engine.logger.warn({ err: error, runId }, 'driving a run ahead of its job failed')
    }
  }

  return async (job) => {
    const ahead = drivenAhead.get(job.id)
    if (ahead !== undefined) {
      drivenAhead.delete(job.id)
      if (ahead) return
      return steps.handle(job)
    }
    const held = await heldWithIt(engine, job)
    for (const h of held) drivenAhead.set(h.id, false)
    const along = await queue.claim({ kinds: [STEP_JOB], worker: taker, limit: STEPS_TAKEN_ALONG, leaseMs: LEASE_MS })
    const done: string[] = []
    const work: Array<() => Promise<unknown>> = [
      ...held.map((h) => () => driveAhead(h.id, h.runId)),
      ...along.map((j) => () => settleAlong(queue, engine, j, steps, done)),
    ]
    const [mine] = await Promise.all([
      (async () => {
        try {
          return { ok: true as const, result: await steps.handle(job) }
        } catch (error) {
          return { ok: false as const, error }
        }
      })(),
      mapLimit(work, RUNS_AT_ONCE - 1, (w) => w()),
    ])
    // The jobs leased here whose runs are done go in one statement.
    for (const ids of chunked(done, 500)) await engine.database.db.deleteFrom('jobs').where('id', 'in', ids).execute()
    if (!mine.ok) throw mine.error
    return mine.result
  }
}

/** The other step jobs leased to the worker that holds `job`, with their runs. */
async function heldWithIt(engine: EngineContext, job: Job): Promise<Array<{ id: string; runId: string }>> {
  const { db } = engine.database
  const now = engine.clock.now()
  const mine = await db.selectFrom('jobs').select('locked_by').where('id', '=', job.id).executeTakeFirst()
  if (!mine?.locked_by) return []
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'payload'])
    .where('kind', '=', STEP_JOB)
    .where('locked_by', '=', mine.locked_by)
    .where('locked_until', '>=', now)
    .where('id', '!=', job.id)
    .execute()
  return rows.map((r) => ({ id: r.id, runId: readJson<{ runId: string }>(r.payload, { runId: '' }).runId })).filter((r) => r.runId !== '')
}

/** Drives a job leased here and settles it as the job worker would (a completed one joins `done`). */
async function settleAlong(queue: JobQueue, engine: EngineContext, job: Job, steps: StepRunner, done: string[]): Promise<void> {
  try {
    const result = await steps.handle(job)
    if (result && 'reschedule' in result) await queue.reschedule(job, result.reschedule)
    else done.push(job.id)
  } catch (error) {
    const outcome = await queue.fail(job, error)
    engine.logger.warn({ err: error, job: job.kind, key: job.dedupeKey, outcome }, 'job failed')
  }
}
