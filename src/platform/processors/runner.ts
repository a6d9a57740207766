import type { Kysely, Transaction } from 'kysely'
import type { Logger } from 'pino'
import type { Clock } from '../clock.ts'
import type { Database } from '../db/database.ts'
import type { Schema } from '../db/schema.ts'
import { newId } from '../ids.ts'
import { readLog, type LogEvent } from './log-reader.ts'

/**
 * A processor derives state from the log. `handle` gets events in `seq` order inside a
 * transaction that also advances the processor's cursor, so its database writes happen exactly
 * once per event even if the process dies mid-batch.
 */
export interface LogProcessor {
  name: string
  handle(events: LogEvent[], trx: Transaction<Schema>): Promise<void>
  /** Events per transaction (default 1,000). */
  batchSize?: number
}

export interface ProcessorRunnerOptions {
  database: Database
  clock: Clock
  logger: Logger
  processors: LogProcessor[]
  /** Partition groups; each (processor, group) is leased by one worker at a time. */
  groups?: number
  pollMs?: number
  leaseMs?: number
}

/**
 * Runs processors over the log with durable cursors and leases in the database: any number of
 * workers can run the same processors; each (processor, partition group) is worked by one of them
 * at a time, and a dead worker's lease runs out so another takes over from its cursor.
 *
 * Note on ordering: on SQLite there is one writer; on PostgreSQL every ingest transaction holds the
 * same advisory lock, so `seq` order is commit order and a cursor never skips a late commit.
 */
export class ProcessorRunner {
  readonly #database: Database
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #processors: LogProcessor[]
  readonly #groups: number
  readonly #pollMs: number
  readonly #leaseMs: number
  readonly #worker = newId('wrk')
  #timer: NodeJS.Timeout | null = null
  #running: Promise<unknown> | null = null
  /** A poke came while a pass was under way: that pass may have read the log before the commit. */
  #pokedWhileRunning = false
  #stopped = true
  readonly #listeners = new Set<() => void>()

  constructor(options: ProcessorRunnerOptions) {
    this.#database = options.database
    this.#clock = options.clock
    this.#logger = options.logger
    this.#processors = options.processors
    this.#groups = options.groups ?? 1
    this.#pollMs = options.pollMs ?? 200
    this.#leaseMs = options.leaseMs ?? 30_000
  }

  start(): void {
    this.#stopped = false
    this.#schedule(0)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    await this.#running
  }

  /** Wakes the runner now (the writer calls this after a commit, so latency is not the poll interval). */
  poke(): void {
    if (this.#stopped) return
    if (this.#running) this.#pokedWhileRunning = true
    else if (this.#timer) {
      clearTimeout(this.#timer)
      this.#schedule(0)
    }
  }

  /** Processes everything currently in the log; returns events handled. Tests call this. */
  async drain(): Promise<number> {
    let total = 0
    for (;;) {
      const n = await this.runOnce()
      total += n
      if (n === 0) return total
    }
  }

  /** One pass: for each processor and group this worker can lease, one batch. */
  async runOnce(): Promise<number> {
    let handled = 0
    for (const processor of this.#processors) {
      for (let group = 0; group < this.#groups; group++) {
        handled += await this.#step(processor, group)
      }
    }
    return handled
  }

  async #step(processor: LogProcessor, group: number): Promise<number> {
    const { db } = this.#database
    const now = this.#clock.now()
    const cursor = await this.#lease(db, processor.name, group, now)
    if (cursor === null) return 0
    const events = await readLog(db, { after: cursor, limit: processor.batchSize ?? 1_000, group: { index: group, of: this.#groups } })
    if (events.length === 0) return 0
    await db.transaction().execute(async (trx) => {
      // Re-check inside the transaction that the lease and cursor are still ours.
      const row = await trx
        .selectFrom('processor_cursors')
        .select(['position', 'leased_by'])
        .where('processor', '=', processor.name)
        .where('partition', '=', group)
        .$call((q) => (this.#database.dialect === 'postgres' ? q.forUpdate() : q))
        .executeTakeFirstOrThrow()
      if (row.leased_by !== this.#worker || Number(row.position) !== cursor) throw new LeaseLost()
      await processor.handle(events, trx)
      await trx
        .updateTable('processor_cursors')
        .set({ position: events[events.length - 1]!.seq, updated_at: this.#clock.now(), lease_until: this.#clock.now() + this.#leaseMs })
        .where('processor', '=', processor.name)
        .where('partition', '=', group)
        .execute()
    }).catch((error) => {
      if (error instanceof LeaseLost) return
      throw error
    })
    for (const listener of this.#listeners) listener()
    return events.length
  }

  /** Takes or renews the lease; returns the cursor, or null when another worker holds it. */
  async #lease(db: Kysely<Schema>, name: string, group: number, now: number): Promise<number | null> {
    await db
      .insertInto('processor_cursors')
      .values({ processor: name, partition: group, position: 0, leased_by: null, lease_until: null, updated_at: now })
      .onConflict((oc) => oc.columns(['processor', 'partition']).doNothing())
      .execute()
    const taken = await db
      .updateTable('processor_cursors')
      .set({ leased_by: this.#worker, lease_until: now + this.#leaseMs })
      .where('processor', '=', name)
      .where('partition', '=', group)
      .where((eb) => eb.or([eb('leased_by', 'is', null), eb('leased_by', '=', this.#worker), eb('lease_until', '<', now)]))
      .returning('position')
      .executeTakeFirst()
    return taken ? Number(taken.position) : null
  }

  /** Called after every batch a processor commits (tests wait on it). */
  onProgress(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #schedule(delay: number): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .catch((error) => {
          this.#logger.error({ err: error }, 'processor pass failed')
          return 0
        })
        .then((n) => {
          this.#running = null
          // Poked during the pass: go again at once, or that commit would wait a whole poll.
          const again = n > 0 || this.#pokedWhileRunning
          this.#pokedWhileRunning = false
          this.#schedule(again ? 0 : this.#pollMs)
        })
    }, delay)
    this.#timer.unref()
  }
}

class LeaseLost extends Error {}
