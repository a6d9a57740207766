import { sql } from 'kysely'
import type { Database } from '../db/database.ts'
import { readJson, writeJson } from '../db/json.ts'
import type { Clock } from '../clock.ts'
import { newId } from '../ids.ts'
import { chunked } from '../db/bulk.ts'

export interface Job<P = unknown> {
  id: string
  workspaceId: string | null
  kind: string
  dedupeKey: string
  runAt: number
  attempts: number
  maxAttempts: number
  payload: P
}

export interface EnqueueInput<P = unknown> {
  kind: string
  /** At most one job per key ever exists: enqueueing the same key twice is a no-op. */
  dedupeKey: string
  payload: P
  runAt?: number
  workspaceId?: string | null
  maxAttempts?: number
}

/**
 * The durable job table: timers, retries and background work. Jobs are claimed with a lease, so a
 * worker that dies mid-job loses its lease and another picks the job up. Delivery is at least
 * once; handlers are idempotent, which together give an exactly-once effect.
 */
export class JobQueue {
  readonly #database: Database
  readonly #clock: Clock

  constructor(options: { database: Database; clock: Clock }) {
    this.#database = options.database
    this.#clock = options.clock
  }

  /** Returns false when a job with the same dedupe key already exists. */
  async enqueue<P>(input: EnqueueInput<P>): Promise<boolean> {
    const rows = await this.#database.db
      .insertInto('jobs')
      .values({
        id: newId('job'),
        workspace_id: input.workspaceId ?? null,
        kind: input.kind,
        dedupe_key: input.dedupeKey,
        run_at: input.runAt ?? this.#clock.now(),
        locked_until: null,
        locked_by: null,
        attempts: 0,
        max_attempts: input.maxAttempts ?? 10,
        payload: writeJson(input.payload),
        last_error: null,
        created_at: this.#clock.now(),
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .execute()
    return rows.length > 0
  }

  /**
   * Leases up to `limit` due jobs of the given kinds to `worker` for `leaseMs`. On PostgreSQL
   * concurrent workers skip each other's rows (`FOR UPDATE SKIP LOCKED`); SQLite has one writer.
   */
  async claim(options: { kinds: readonly string[]; worker: string; limit: number; leaseMs: number }): Promise<Job[]> {
    const now = this.#clock.now()
    const { db, dialect } = this.#database
    return db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('jobs')
        .select('id')
        .where('kind', 'in', options.kinds as string[])
        .where('run_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .orderBy('run_at')
        .limit(options.limit)
      if (dialect === 'postgres') query = query.forUpdate().skipLocked()
      const ids = (await query.execute()).map((r) => r.id)
      if (ids.length === 0) return []
      const rows = await trx
        .updateTable('jobs')
        .set({
          locked_until: now + options.leaseMs,
          locked_by: options.worker,
          attempts: sql`attempts + 1`,
        })
        .where('id', 'in', ids)
        .returningAll()
        .execute()
      return rows.map((r) => ({
        id: r.id,
        workspaceId: r.workspace_id,
        kind: r.kind,
        dedupeKey: r.dedupe_key,
        runAt: r.run_at,
        attempts: r.attempts,
        maxAttempts: r.max_attempts,
        payload: readJson(r.payload, null),
      }))
    })
  }

  /** Done: the row goes, and its dedupe key with it unless `keepKey` (a tombstone keeps it). */
  async complete(job: Job, options: { keepKey?: boolean } = {}): Promise<void> {
    if (options.keepKey) {
      await this.#database.db
        .updateTable('jobs')
        .set({ run_at: Number.MAX_SAFE_INTEGER, locked_until: null, locked_by: null, last_error: null })
        .where('id', '=', job.id)
        .execute()
      return
    }
    await this.#database.db.deleteFrom('jobs').where('id', '=', job.id).execute()
  }

  /** Done, several at once: their rows and dedupe keys go in one statement. */
  async completeAll(jobs: readonly Job[]): Promise<void> {
    for (const part of chunked(jobs.map((j) => j.id), 1_000)) await this.#database.db.deleteFrom('jobs').where('id', 'in', part).execute()
  }

  /** Failed: retried with exponential backoff until `maxAttempts`, then parked with its error. */
  async fail(job: Job, error: unknown): Promise<'retrying' | 'dead'> {
    const message = error instanceof Error ? error.message : String(error)
    const dead = job.attempts >= job.maxAttempts
    const backoff = Math.min(3_600_000, 1_000 * 2 ** Math.max(0, job.attempts - 1))
    await this.#database.db
      .updateTable('jobs')
      .set({
        run_at: dead ? Number.MAX_SAFE_INTEGER : this.#clock.now() + backoff,
        locked_until: null,
        locked_by: null,
        last_error: message.slice(0, 2000),
      })
      .where('id', '=', job.id)
      .execute()
    return dead ? 'dead' : 'retrying'
  }

  /** Moves a job's next run, keeping its key (a periodic job re-arms itself this way). */
  async reschedule(job: Job, runAt: number): Promise<void> {
    await this.#database.db
      .updateTable('jobs')
      .set({ run_at: runAt, locked_until: null, locked_by: null, attempts: 0, last_error: null })
      .where('id', '=', job.id)
      .execute()
  }
}
