import type { Job } from '../platform/index.ts'
import type { AppContext } from '../server/context.ts'

export const PRUNE_SEEN_JOB = 'ingest.prune-seen'

/** How long a messageId is remembered: SDK retries arrive within minutes; a replayed export within days. */
export const DEDUPE_WINDOW_MS = 7 * 24 * 3600 * 1000

/** Forgets messageIds older than the dedupe window, hourly; the job re-arms itself. */
export async function pruneSeenMessages(ctx: Pick<AppContext, 'database' | 'clock'>, _job: Job): Promise<{ reschedule: number }> {
  const now = ctx.clock.now()
  await ctx.database.db.deleteFrom('seen_messages').where('seen_at', '<', now - DEDUPE_WINDOW_MS).execute()
  return { reschedule: now + 3600_000 }
}
