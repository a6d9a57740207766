import type { JobHandler, LogProcessor } from '../platform/index.ts'
import type { AppContext } from './context.ts'
import { pruneSeenMessages, PRUNE_SEEN_JOB } from '../ingest/dedupe-retention.ts'
import { pruneExpiredSessions, PRUNE_SESSIONS_JOB } from '../users/index.ts'
import { audienceBackgroundWork } from '../audiences/index.ts'
import { CUSTOMER_MODEL_JOB, runCustomerModelJob } from '../measurement/customers/model-jobs.ts'
import { MMM_FIT_JOB, runMmmFitJob } from '../measurement/media-mix/mmm-jobs.ts'
import { RESUME_SENDS_JOB, resumeSendsJob } from '../channels/index.ts'
import { CAMPAIGN_MONITOR_JOB, campaignMonitorHandler } from '../campaigns/index.ts'
import { defaultJourneyPorts, journeyBackgroundWork } from '../journeys/index.ts'
import { eventCountProcessor } from '../events/index.ts'

/**
 * What each module runs in the background: log processors (derive state from the log) and job
 * handlers (timers, retries, periodic work). A module adds its entries here; `serve --role
 * worker` (and `all`) runs them.
 */
export interface BackgroundWork {
  processors: LogProcessor[]
  jobHandlers: Record<string, JobHandler>
  /** Periodic jobs to make sure exist at start (their handlers re-arm them). */
  periodicJobs: Array<{ kind: string; dedupeKey: string }>
}

export function backgroundWork(ctx: AppContext): BackgroundWork {
  const audiences = audienceBackgroundWork(ctx)
  const journeys = journeyBackgroundWork(ctx, defaultJourneyPorts(ctx))
  return {
    processors: [
      ...audiences.processors,
      ...journeys.processors,
      eventCountProcessor(),
    ],
    jobHandlers: {
      ...audiences.jobHandlers,
      ...journeys.jobHandlers,
      [PRUNE_SEEN_JOB]: (job) => pruneSeenMessages(ctx, job),
      [PRUNE_SESSIONS_JOB]: (job) => pruneExpiredSessions(ctx, job),
      [CUSTOMER_MODEL_JOB]: (job) => runCustomerModelJob(ctx, job),
      [MMM_FIT_JOB]: (job) => runMmmFitJob(ctx, job),
      [RESUME_SENDS_JOB]: (job) => resumeSendsJob(ctx, job),
      [CAMPAIGN_MONITOR_JOB]: campaignMonitorHandler(ctx),
    },
    periodicJobs: [
      { kind: PRUNE_SEEN_JOB, dedupeKey: PRUNE_SEEN_JOB },
      { kind: PRUNE_SESSIONS_JOB, dedupeKey: PRUNE_SESSIONS_JOB },
      { kind: RESUME_SENDS_JOB, dedupeKey: RESUME_SENDS_JOB },
      { kind: CAMPAIGN_MONITOR_JOB, dedupeKey: CAMPAIGN_MONITOR_JOB },
      ...audiences.periodicJobs,
    ],
  }
}
