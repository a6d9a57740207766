import type { Job } from '../platform/index.ts'
import { fromRow } from './outbox.ts'
import { resume } from './send.ts'
import type { ChannelContext, SendOutcome } from './send-request.ts'

export const RESUME_SENDS_JOB = 'channels.resume-sends'

/** A `pending` row older than this was left by a process that died before calling the provider. */
export const STALE_PENDING_MS = 60_000

/**
 * Finishes sends a dead process left behind, without waiting for their caller to retry: rows still
 * `pending` after a minute (never handed to a provider: sent now), rows `connecting` whose lease
 * lapsed (an SMTP call that died before the hand-over: sent again) and rows `sending` whose lease
 * lapsed (resent only through providers that deduplicate, else marked `unknown`). Each row goes
 * through the same compare-and-set as a retry, so a caller retrying at the same moment cannot
 * cause a second call. Walks workspace by workspace to use the (workspace, status) index.
 *
 * @example const report = await resumeStaleSends(ctx, { limit: 200 }) // { examined: 3, outcomes: { Sent: 2, Unknown: 1 } }
 */
export async function resumeStaleSends(ctx: ChannelContext, options: { limit: number }): Promise<{ examined: number; outcomes: Partial<Record<SendOutcome['kind'], number>> }> {
  const db = ctx.database.db
  const now = ctx.clock.now()
  const outcomes: Partial<Record<SendOutcome['kind'], number>> = {}
  let examined = 0
  const workspaces = await db.selectFrom('workspaces').select('id').execute()
  for (const { id } of workspaces) {
    if (examined >= options.limit) break
    const rows = await db
      .selectFrom('channel_messages')
      .selectAll()
      .where('workspace_id', '=', id)
      .where((eb) => eb.or([eb.and([eb('status', '=', 'pending'), eb('created_at', '<', now - STALE_PENDING_MS)]), eb.and([eb('status', 'in', ['sending', 'connecting']), eb('lease_until', '<', now)])]))
      .orderBy('created_at')
      .limit(options.limit - examined)
      .execute()
    for (const row of rows) {
      examined++
      const outcome = await resume(ctx, fromRow(row))
      if (outcome) outcomes[outcome.kind] = (outcomes[outcome.kind] ?? 0) + 1
    }
  }
  return { examined, outcomes }
}

/** The periodic job: every minute, re-armed by itself. */
export async function resumeSendsJob(ctx: ChannelContext, _job: Job): Promise<{ reschedule: number }> {
  await resumeStaleSends(ctx, { limit: 500 })
  return { reschedule: ctx.clock.now() + 60_000 }
}
