import { sql, type Kysely } from 'kysely'
import type { Logger } from 'pino'
import { chunked, type Clock, type Database, type Job, type Schema } from '../platform/index.ts'
import type { SlidingEdge } from './analyse.ts'
import { MembershipChanges } from './membership-writer.ts'
import { flushMembershipEvents, reevaluate } from './reevaluate.ts'
import { refreshAudience } from './refresh.ts'
import { getAudience, workspaceAudiences, type Audience } from './store.ts'
import { MAX_SWEEP_INTERVAL_MS, PERIODIC_SWEEP_INTERVAL_MS, SWEEP_JOB_INTERVAL_MS } from './sweep-timing.ts'
import { workspaceFacts } from './workspace-facts.ts'

export const AUDIENCE_SWEEP_JOB = 'audiences.sweep'

const PEOPLE_PER_TRANSACTION = 1_000

/**
 * The periodic job that moves time-dependent audiences ("no purchase in 30 days", "ordered
 * within 7 days") when no event does: every audience whose planned check is due is swept, then
 * the job re-arms itself. Time is the injected clock's, so tests move it without sleeping.
 */
export async function sweepDueAudiences(ctx: { database: Database; clock: Clock; logger?: Logger }, _job?: Job): Promise<{ reschedule: number }> {
  const now = ctx.clock.now()
  const due = await ctx.database.db
    .selectFrom('audiences')
    .select(['id', 'workspace_id'])
    .where('next_check_at', '<=', now)
    .where('kind', '=', 'dynamic')
    .where('status', '=', 'active')
    .orderBy('next_check_at')
    .limit(100)
    .execute()
  for (const row of due) {
    const audience = await getAudience(ctx.database.db, row.workspace_id, row.id)
    if (!audience) continue
    try {
      await sweepAudience(ctx.database, audience, now)
    } catch (error) {
      // One broken audience must not hold up the others; it is retried at the next pass.
      ctx.logger?.error({ err: error, audienceId: audience.id }, 'audience sweep failed')
    }
  }
  return { reschedule: now + SWEEP_JOB_INTERVAL_MS }
}

/**
 * Sweeps one audience up to `now`. With sliding edges only the people whose events crossed an
 * edge since the last sweep are re-evaluated, and the next check is the next edge crossing (at
 * most an hour away); audiences whose time dependence no index can narrow (trait date windows,
 * channel windows) are refreshed in full every few minutes.
 */
export async function sweepAudience(database: Database, audience: Audience, now: number): Promise<void> {
  const deps = audience.deps!
  const since = audience.sweptAt ?? audience.createdAt
  if (deps.periodic) {
    await refreshAudience({ database, audience, now })
  } else {
    const people = new Set<string>()
    for (const edge of deps.edges) {
      for (const person of await peopleAcross(database.db, audience.workspaceId, edge, since, now)) people.add(person)
    }
    const facts = await workspaceFacts(database.db, audience.workspaceId)
    for (const part of chunked([...people], PEOPLE_PER_TRANSACTION)) {
      await database.db.transaction().execute(async (trx) => {
        const scope = { trx, dialect: database.dialect, workspaceId: audience.workspaceId, now, ...facts, audiences: await workspaceAudiences(trx, audience.workspaceId) }
        const changes = new MembershipChanges()
        await reevaluate(scope, new Map([[audience.id, new Set(part)]]), changes)
        await flushMembershipEvents(scope, changes)
      })
    }
  }
  const next = deps.periodic ? now + PERIODIC_SWEEP_INTERVAL_MS : await nextCrossing(database.db, audience.workspaceId, deps.edges, now)
  await database.db.updateTable('audiences').set({ swept_at: now, next_check_at: next }).where('id', '=', audience.id).execute()
}

function edgeSource(edge: SlidingEdge) {
  return 'event' in edge.source ? sql<boolean>`e.event = ${edge.source.event}` : sql<boolean>`e.order_minor is not null`
}

/** People with a matching event whose time crossed the edge between `since` and `now`. */
async function peopleAcross(db: Kysely<Schema>, workspaceId: string, edge: SlidingEdge, since: number, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('events as e')
    .innerJoin('profiles as q', 'q.id', 'e.profile_id')
    .select(sql<string>`coalesce(q.merged_into, q.id)`.as('person'))
    .distinct()
    .where('e.workspace_id', '=', workspaceId)
    .where(edgeSource(edge))
    .where('e.timestamp', '>=', since - edge.offsetMs)
    .where('e.timestamp', '<', now - edge.offsetMs)
    .execute()
  return rows.map((r) => r.person)
}

/**
 * The next time an event leaves a window: the oldest event still inside it, plus the window,
 * plus a millisecond (windows include their start). At most an hour ahead.
 */
async function nextCrossing(db: Kysely<Schema>, workspaceId: string, edges: SlidingEdge[], now: number): Promise<number> {
  let next = now + MAX_SWEEP_INTERVAL_MS
  for (const edge of edges) {
    const row = await db
      .selectFrom('events as e')
      .select((eb) => eb.fn.min('e.timestamp').as('oldest'))
      .where('e.workspace_id', '=', workspaceId)
      .where(edgeSource(edge))
      .where('e.timestamp', '>=', now - edge.offsetMs)
      .executeTakeFirst()
    if (row?.oldest !== null && row?.oldest !== undefined) next = Math.min(next, Number(row.oldest) + edge.offsetMs + 1)
  }
  return Math.max(next, now + 1)
}
