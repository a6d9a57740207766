import type { Selectable } from 'kysely'
import { chunked, type Clock, type Database, type JourneyRunsTable } from '../../platform/index.ts'
import { transitionMany, type Move } from './run-moves.ts'
import type { Run } from './runs.ts'

export type RunRow = Selectable<JourneyRunsTable> & { journey_status: string | null }

/**
 * Gathers work asked for by runs driven at the same time and does it when the current turn of
 * the event loop is over (`setImmediate`): by then every driver that could go on has reached its
 * next database step, so one statement serves them all.
 */
class TickBatch<In, Out> {
  #pending: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = []
  #scheduled = false
  readonly #run: (inputs: In[]) => Promise<Out[]>
  readonly #keyOf: ((input: In) => string) | undefined

  /** Entries with the same `keyOf` never share a batch: the later one sees the earlier one's effect. */
  constructor(run: (inputs: In[]) => Promise<Out[]>, keyOf?: (input: In) => string) {
    this.#run = run
    this.#keyOf = keyOf
  }

  add(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject })
      this.#schedule()
    })
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => void this.#flush())
  }

  async #flush(): Promise<void> {
    let batch = this.#pending
    this.#pending = []
    if (this.#keyOf) {
      const keys = new Set<string>()
      const later: typeof batch = []
      batch = batch.filter((p) => {
        const key = this.#keyOf!(p.input)
        if (keys.has(key)) return later.push(p) === 0
        keys.add(key)
        return true
      })
      this.#pending.push(...later)
    }
    try {
      const outs = await this.#run(batch.map((b) => b.input))
      batch.forEach((b, i) => b.resolve(outs[i]!))
    } catch (error) {
      for (const b of batch) b.reject(error)
    }
    // What arrived meanwhile goes in the next turn, together with what these answers lead to.
    this.#scheduled = false
    if (this.#pending.length > 0) this.#schedule()
  }
}

/**
 * Reads runs (with their journey's status) for the drivers running together: one query per set.
 *
 * @example const row = await reader.read(runId)
 */
export class RunReader {
  readonly #batch: TickBatch<string, RunRow | undefined>

  constructor(database: Database) {
    this.#batch = new TickBatch(async (ids) => {
      const found = new Map<string, RunRow>()
      for (const part of chunked([...new Set(ids)], 500)) {
        const rows = await database.db
          .selectFrom('journey_runs as r')
          .leftJoin('journeys as j', 'j.id', 'r.journey_id')
          .selectAll('r')
          .select('j.status as journey_status')
          .where('r.id', 'in', part)
          .execute()
        for (const row of rows) found.set(row.id, row)
      }
      return ids.map((id) => found.get(id))
    })
  }

  read(runId: string): Promise<RunRow | undefined> {
    return this.#batch.add(runId)
  }
}

/**
 * Moves the runs driven together in one transaction: their new states in one token-guarded update
 * (`transitionMany`), their facts and timers in one insert each. Resolves each move with the moved
 * run (null when the guard failed).
 *
 * @example const { moved } = await mover.move({ run, change: { state: 'ended', endReason: 'exit' } })
 */
export class RunMover {
  readonly #batch: TickBatch<Move, { moved: Run | null }>

  constructor(database: Database, clock: Clock) {
    this.#batch = new TickBatch<Move, { moved: Run | null }>(
      async (moves) => {
        const { db, dialect } = database
        return db.transaction().execute(async (trx) => {
          const moved = await transitionMany(trx, dialect, moves, clock.now())
          return moves.map((_, i) => ({ moved: moved[i] ?? null }))
        })
      },
      (m) => m.run.id,
    )
  }

  move(move: Move): Promise<{ moved: Run | null }> {
    return this.#batch.add(move)
  }
}
