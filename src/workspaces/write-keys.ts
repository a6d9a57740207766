import type { Kysely } from 'kysely'
import type { Clock, Schema } from '../platform/index.ts'
import { findSourceByWriteKey, type Source } from './store.ts'

/**
 * Write-key lookups on the ingest hot path, cached for `ttlMs` so a request does not wait behind
 * the writer's transaction for a read. A revoked key stops working within the TTL.
 */
export class WriteKeyCache {
  readonly #db: Kysely<Schema>
  readonly #clock: Clock
  readonly #ttlMs: number
  readonly #entries = new Map<string, { source: Source | null; until: number }>()

  constructor(options: { db: Kysely<Schema>; clock: Clock; ttlMs?: number }) {
    this.#db = options.db
    this.#clock = options.clock
    this.#ttlMs = options.ttlMs ?? 30_000
  }

  async lookup(writeKey: string): Promise<Source | null> {
    const now = this.#clock.now()
    const hit = this.#entries.get(writeKey)
    if (hit && hit.until > now) return hit.source
    const source = (await findSourceByWriteKey(this.#db, writeKey)) ?? null
    if (this.#entries.size > 10_000) this.#entries.clear()
    // Unknown keys are remembered briefly too, so a misconfigured client cannot hammer the database.
    this.#entries.set(writeKey, { source, until: now + (source ? this.#ttlMs : 5_000) })
    return source
  }

  forget(writeKey: string): void {
    this.#entries.delete(writeKey)
  }
}
