import type { Kysely } from 'kysely'
import { newId, type Clock, type Database, type Job, type JobQueue, type Schema } from '../platform/index.ts'
import { refreshAudience } from './refresh.ts'
import { getAudience, type Audience } from './store.ts'

export const AUDIENCE_RECOMPUTE_JOB = 'audiences.recompute'

export type RecomputeStatus = 'queued' | 'running' | 'done' | 'failed'

/** A full re-evaluation run and how far it has got. */
export interface RecomputeView {
  id: string
  audienceId: string
  audienceVersion: number
  status: RecomputeStatus
  /** `created`, `updated` or `requested`. */
  reason: string
  /** People the definition matched (known once the evaluation has run). */
  matched: number | null
  /** People whose membership had to be checked and written. */
  total: number | null
  done: number
  entered: number
  exited: number
  error: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString())

function view(r: Schema['audience_recomputes']): RecomputeView {
  return {
    id: r.id,
    audienceId: r.audience_id,
    audienceVersion: Number(r.audience_version),
    status: r.status as RecomputeStatus,
    reason: r.reason,
    matched: r.matched === null ? null : Number(r.matched),
    total: r.total === null ? null : Number(r.total),
    done: Number(r.done),
    entered: Number(r.entered),
    exited: Number(r.exited),
    error: r.error,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  }
}

/**
 * Queues a full re-evaluation of a dynamic audience as a durable job and returns its progress
 * record (read it back with `getRecompute`).
 *
 * @example const run = await requestRecompute({ database, jobs, clock }, audience, 'requested') // run.status === 'queued'
 */
export async function requestRecompute(ctx: { database: Database; jobs: JobQueue; clock: Clock }, audience: Audience, reason: string): Promise<RecomputeView> {
  const now = ctx.clock.now()
  const id = newId('arc', now)
  const row = {
    id,
    workspace_id: audience.workspaceId,
    audience_id: audience.id,
    audience_version: audience.version,
    status: 'queued',
    reason,
    matched: null,
    total: null,
    done: 0,
    entered: 0,
    exited: 0,
    error: null,
    created_at: now,
    started_at: null,
    finished_at: null,
  }
  await ctx.database.db.insertInto('audience_recomputes').values(row).execute()
  await ctx.jobs.enqueue({ kind: AUDIENCE_RECOMPUTE_JOB, dedupeKey: `${AUDIENCE_RECOMPUTE_JOB}:${id}`, payload: { recomputeId: id }, workspaceId: audience.workspaceId, maxAttempts: 3 })
  return view(row)
}

export async function getRecompute(db: Kysely<Schema>, workspaceId: string, audienceId: string, id: string): Promise<RecomputeView | null> {
  const row = await db.selectFrom('audience_recomputes').selectAll().where('workspace_id', '=', workspaceId).where('audience_id', '=', audienceId).where('id', '=', id).executeTakeFirst()
  return row ? view(row) : null
}

/** The latest run of an audience, if any. */
export async function latestRecompute(db: Kysely<Schema>, workspaceId: string, audienceId: string): Promise<RecomputeView | null> {
  const row = await db
    .selectFrom('audience_recomputes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('audience_id', '=', audienceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? view(row) : null
}

/**
 * The job: runs the refresh with the audience's current definition and records progress after
 * every chunk. A failure is recorded on the run and re-thrown so the queue retries it.
 */
export async function runRecomputeJob(ctx: { database: Database; clock: Clock }, job: Job): Promise<void> {
  const { recomputeId } = job.payload as { recomputeId: string }
  const db = ctx.database.db
  const run = await db.selectFrom('audience_recomputes').selectAll().where('id', '=', recomputeId).executeTakeFirst()
  if (!run || run.status === 'done') return
  const audience = await getAudience(db, run.workspace_id, run.audience_id)
  const started = ctx.clock.now()
  if (!audience || audience.kind !== 'dynamic') {
    await db.updateTable('audience_recomputes').set({ status: 'failed', error: audience ? 'static audiences change only by upload' : 'the audience was deleted', finished_at: started }).where('id', '=', recomputeId).execute()
    return
  }
  await db.updateTable('audience_recomputes').set({ status: 'running', started_at: started, error: null, audience_version: audience.version }).where('id', '=', recomputeId).execute()
  try {
    await refreshAudience({
      database: ctx.database,
      audience,
      now: started,
      onProgress: async (p) => {
        await db.updateTable('audience_recomputes').set({ matched: p.matched, total: p.total, done: p.done, entered: p.entered, exited: p.exited }).where('id', '=', recomputeId).execute()
      },
    })
    await db.updateTable('audience_recomputes').set({ status: 'done', finished_at: ctx.clock.now() }).where('id', '=', recomputeId).execute()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await db.updateTable('audience_recomputes').set({ status: 'failed', error: message.slice(0, 2000), finished_at: ctx.clock.now() }).where('id', '=', recomputeId).execute()
    throw error
  }
}
