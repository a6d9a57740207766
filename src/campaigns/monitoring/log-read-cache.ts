import { sql, type Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'

type Db = Kysely<Schema>

/**
 * Where the log stands: its last `seq` and the identity epoch. Every append takes the next `seq`
 * (in commit order, under the ingest lock), and everything else that changes what a KPI reads —
 * a merge moving a person's events to another canonical id, a deletion request removing a
 * person's events — stamps the identity epoch. So equal states mean equal answers.
 */
export interface LogState {
  seq: number
  epoch: number
}

export async function readLogState(db: Db): Promise<LogState> {
  const [last, epoch] = await Promise.all([
    sql<{ seq: number | string | null }>`select max(seq) as seq from events`.execute(db),
    db.selectFrom('identity_epoch').select('version').where('id', '=', 1).executeTakeFirst(),
  ])
  return { seq: Number(last.rows[0]?.seq ?? 0), epoch: Number(epoch?.version ?? 0) }
}

interface Entry {
  seq: number
  epoch: number
  value: Promise<unknown>
}

/**
 * Answers of log reads (campaign KPIs, last-touch credits) kept while the log is unchanged, so a
 * dashboard that asks for a campaign's KPIs again reads two rows instead of scanning the window.
 * A read is keyed by everything it depends on; an entry made at another log state is read again.
 * Answers are handed out as copies, so no caller can change what the next one gets.
 *
 * @example
 * const cache = new LogReadCache()
 * const state = await readLogState(db)
 * const kpis = await cache.read(state, `kpis:${JSON.stringify(query)}`, () => logKpis(db, query))
 */
export class LogReadCache {
  readonly #entries = new Map<string, Entry>()
  readonly #maxEntries: number

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 500
  }

  /** How many answers are held (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size
  }

  async read<T>(state: LogState, key: string, compute: () => Promise<T>): Promise<T> {
    const known = this.#entries.get(key)
    if (known && known.seq === state.seq && known.epoch === state.epoch) {
      // Most recently used last: the oldest entry is the first to go.
      this.#entries.delete(key)
      this.#entries.set(key, known)
      return structuredClone((await known.value) as T)
    }
    const value = compute()
    const entry: Entry = { seq: state.seq, epoch: state.epoch, value }
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!)
    try {
      return structuredClone(await value)
    } catch (error) {
      // A failed read is not remembered.
      if (this.#entries.get(key) === entry) this.#entries.delete(key)
      throw error
    }
  }
}
