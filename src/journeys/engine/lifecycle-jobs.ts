import type { Job } from '../../platform/index.ts'
import type { EngineContext } from './context.ts'
import { runFromRow, transition } from './runs.ts'

const PAGE = 500

/**
 * After a resume: every run parked by the pause becomes active again with a step job, a page per
 * pass (the job re-arms itself until none is left). A pause needs no job of its own — runs park
 * when they next step.
 */
export async function resumeRuns(ctx: EngineContext, job: Job): Promise<void | { reschedule: number }> {
  const { journeyId } = job.payload as { journeyId: string }
  const { db, dialect } = ctx.database
  const now = ctx.clock.now()
  const status = await db.selectFrom('journeys').select('status').where('id', '=', journeyId).executeTakeFirst()
  if (status?.status !== 'published') return
  const rows = await db.selectFrom('journey_runs').selectAll().where('journey_id', '=', journeyId).where('state', '=', 'paused').limit(PAGE).execute()
  if (rows.length === 0) return
  await db.transaction().execute(async (trx) => {
    for (const row of rows) await transition(trx, dialect, runFromRow(row), { state: 'active', enqueueNow: true }, now)
  })
  return { reschedule: now }
}

/** After an archive: every live run ends with reason `archived`, a page per pass. */
export async function archiveRuns(ctx: EngineContext, job: Job): Promise<void | { reschedule: number }> {
  const { journeyId } = job.payload as { journeyId: string }
  const { db, dialect } = ctx.database
  const now = ctx.clock.now()
  const rows = await db.selectFrom('journey_runs').selectAll().where('journey_id', '=', journeyId).where('state', '!=', 'ended').limit(PAGE).execute()
  if (rows.length === 0) return
  await db.transaction().execute(async (trx) => {
    for (const row of rows) await transition(trx, dialect, runFromRow(row), { state: 'ended', endReason: 'archived' }, now)
  })
  return { reschedule: now }
}
