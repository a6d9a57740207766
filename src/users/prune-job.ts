import type { Job } from '../platform/index.ts'
import type { AppContext } from '../server/context.ts'
import { pruneSessions } from './sessions.ts'

export const PRUNE_SESSIONS_JOB = 'users.prune-sessions'

/** Deletes ended sessions hourly; the job re-arms itself. */
export async function pruneExpiredSessions(ctx: Pick<AppContext, 'database' | 'clock'>, _job: Job): Promise<{ reschedule: number }> {
  const now = ctx.clock.now()
  await pruneSessions(ctx.database.db, now)
  return { reschedule: now + 3600_000 }
}
