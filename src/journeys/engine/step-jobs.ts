import type { Logger } from 'pino'
import { JobQueue, newId, type Job, type JobHandler } from '../../platform/index.ts'
import { mapLimit } from '../delivery/map-limit.ts'
import type { EngineContext } from './context.ts'
import { STEP_JOB } from './runs.ts'
import type { StepRunner } from './step-runner.ts'

/** Step jobs taken along with the one the worker hands over, so their runs are driven together. */
const STEPS_TAKEN_ALONG = 499
/** Runs driven at once: their database work interleaves and their sends share one delivery. */
const RUNS_AT_ONCE = 256
/** As the job worker leases. */
const LEASE_MS = 60_000

/**
 * The `journeys.step` handler. Driving one run per job leaves the worker waiting on one provider
 * round trip at a time; so the handler leases the other due step jobs too (as the job worker
 * would, with the same lease) and drives up to `RUNS_AT_ONCE` runs concurrently, their sends
 * gathered into batches by the engine's `SendBatcher`. The jobs it took along it completes,
 * re-arms or fails itself, exactly as the worker does with the one it was given.
 *
 * @example new JobWorker({ queue, logger, handlers: { [STEP_JOB]: stepJobHandler(engine, steps) } })
 */
export function stepJobHandler(engine: EngineContext, steps: StepRunner): JobHandler {
  const queue = new JobQueue({ database: engine.database, clock: engine.clock })
  const taker = newId('wrk')
  return async (job) => {
    const along = await queue.claim({ kinds: [STEP_JOB], worker: taker, limit: STEPS_TAKEN_ALONG, leaseMs: LEASE_MS })
    const outcomes = await mapLimit([job, ...along], RUNS_AT_ONCE, async (j) => {
      try {
        return { ok: true as const, result: await steps.handle(j) }
      } catch (error) {
        return { ok: false as const, error }
      }
    })
    for (let i = 1; i < outcomes.length; i++) await settle(queue, engine.logger, along[i - 1]!, outcomes[i]!)
    const mine = outcomes[0]!
    if (!mine.ok) throw mine.error
    return mine.result
  }
}

async function settle(queue: JobQueue, logger: Logger, job: Job, outcome: { ok: true; result: void | { reschedule: number } } | { ok: false; error: unknown }): Promise<void> {
  if (!outcome.ok) {
    const state = await queue.fail(job, outcome.error)
    logger.warn({ err: outcome.error, job: job.kind, key: job.dedupeKey, outcome: state }, 'job failed')
  } else if (outcome.result && 'reschedule' in outcome.result) await queue.reschedule(job, outcome.result.reschedule)
  else await queue.complete(job)
}
