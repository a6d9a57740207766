import type { JobHandler, LogProcessor } from '../platform/index.ts'
import type { AppContext } from '../server/context.ts'
import { audienceProcessor } from './processor.ts'
import { AUDIENCE_RECOMPUTE_JOB, runRecomputeJob } from './recompute.ts'
import { AUDIENCE_SWEEP_JOB, sweepDueAudiences } from './sweep.ts'

/**
 * What the audiences module runs in the background: the real-time membership processor, the
 * recompute job handler, and the periodic sweep of time-dependent audiences.
 *
 * @example const work = audienceBackgroundWork(ctx) // spread into the server's background work
 */
export function audienceBackgroundWork(ctx: Pick<AppContext, 'database' | 'clock' | 'logger'>): {
  processors: LogProcessor[]
  jobHandlers: Record<string, JobHandler>
  periodicJobs: Array<{ kind: string; dedupeKey: string }>
} {
  return {
    processors: [audienceProcessor({ dialect: ctx.database.dialect, clock: ctx.clock })],
    jobHandlers: {
      [AUDIENCE_RECOMPUTE_JOB]: (job) => runRecomputeJob(ctx, job),
      [AUDIENCE_SWEEP_JOB]: (job) => sweepDueAudiences(ctx, job),
    },
    periodicJobs: [{ kind: AUDIENCE_SWEEP_JOB, dedupeKey: AUDIENCE_SWEEP_JOB }],
  }
}
