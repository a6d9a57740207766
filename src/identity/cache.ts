import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Schema } from '../platform/index.ts'
import type { IdentityGraph } from './graph.ts'

interface CachedProfile {
  workspaceId: string
  createdAt: number
  /** Every identifier the profile holds. */
  identities: Array<{ type: string; value: string }>
  /** Tick of the last look-up, for evicting the least recently used. */
  used: number
}

/** What the cache knows of one identifier. */
export type CachedOwner =
  | { kind: 'Owned'; profileId: string; createdAt: number; identities: ReadonlyArray<{ type: string; value: string }> }
  | { kind: 'Unowned' }

const SEP = '\u0000'
const UNOWNED: CachedOwner = { kind: 'Unowned' }

/**
 * The identity graph the ingest writer has already read, kept between its transactions so that
 * returning people (most traffic) resolve without a database look-up.
 *
 * It is only as good as the guarantee that nobody else changed identities meanwhile. Every
 * transaction that writes identities takes the ingest lock and stamps the one `identity_epoch`
 * row: the writer with its own id and a new version, anyone else (a deletion request, another
 * ingest process on the same database) with theirs. At the start of each transaction the writer
 * reads the row; if it is not its own last stamp, the cache is dropped and rebuilt from storage.
 * A failed transaction drops it too. So the cache can be stale only in memory, never in effect.
 *
 * @example
 * const cache = new IdentityCache()
 * await cache.claim(trx)            // inside the transaction, after lockIngest
 * const hit = cache.lookup(workspaceId, 'email', 'li@example.com')
 * // … resolve, save …
 * cache.committed()                 // after the commit: keep what the graph now holds
 */
export class IdentityCache {
  readonly #writerId = `ingest:${randomUUID()}`
  readonly #maxProfiles: number
  /** Per workspace: `type \0 value` → profile id, or null when storage holds no such identifier. */
  readonly #owners = new Map<string, Map<string, string | null>>()
  readonly #profiles = new Map<string, CachedProfile>()
  /** Per workspace, every suppressed `type \0 value`. */
  readonly #suppressions = new Map<string, Set<string>>()
  #ownerCount = 0
  #tick = 0
  #version: number | null = null
  #pending: { version: number; updates: Array<() => void> } | null = null

  constructor(options: { maxProfiles?: number } = {}) {
    this.#maxProfiles = options.maxProfiles ?? 250_000
  }

  /** How many profiles are held (for tests and diagnostics). */
  get size(): number {
    return this.#profiles.size
  }

  /**
   * Inside an ingest transaction, after the ingest lock: keeps the cache if the last identity
   * change was this writer's own, drops it otherwise, and stamps the epoch for this transaction.
   */
  async claim(trx: Kysely<Schema>): Promise<void> {
    const row = await trx.selectFrom('identity_epoch').select(['writer', 'version']).where('id', '=', 1).executeTakeFirstOrThrow()
    const version = Number(row.version)
    if (row.writer !== this.#writerId || version !== this.#version) this.clear()
    await trx.updateTable('identity_epoch').set({ writer: this.#writerId, version: version + 1 }).where('id', '=', 1).execute()
    this.#pending = { version: version + 1, updates: [] }
  }

  lookup(workspaceId: string, type: string, value: string): CachedOwner | undefined {
    const owner = this.#owners.get(workspaceId)?.get(type + SEP + value)
    if (owner === undefined) return undefined
    if (owner === null) return UNOWNED
    const profile = this.#profiles.get(owner)!
    profile.used = ++this.#tick
    return { kind: 'Owned', profileId: owner, createdAt: profile.createdAt, identities: profile.identities }
  }

  suppressions(workspaceId: string): Set<string> | undefined {
    return this.#suppressions.get(workspaceId)
  }

  /** Suppressions read from storage in this transaction; kept once it commits. */
  rememberSuppressions(workspaceId: string, keys: Set<string>): void {
    this.#pending?.updates.push(() => this.#suppressions.set(workspaceId, keys))
  }

  /**
   * What the transaction changed or read from storage, to be kept once it commits: those
   * profiles with their full identifier sets, merged-away profiles gone, and the identifiers
   * looked up and found nowhere remembered as unowned. Profiles that came from the cache and did
   * not change are already right.
   */
  rememberGraph(workspaceId: string, graph: IdentityGraph, changes: { lookedUp: ReadonlyArray<{ type: string; value: string }>; fromStorage: ReadonlySet<string> }): void {
    const changed = new Set(changes.fromStorage)
    for (const p of graph.newProfiles) changed.add(p.id)
    for (const n of graph.newIdentities) changed.add(n.profileId)
    for (const m of graph.merges) changed.add(m.survivorId)
    // A detached identifier changed its owner's set; rare enough to refresh every profile.
    if (graph.removedIdentities.length > 0) for (const id of graph.profileIds()) changed.add(id)
    const profiles: Array<{ id: string; createdAt: number; identities: Array<{ type: string; value: string }> }> = []
    for (const id of changed) {
      const p = graph.profile(id)
      if (!p) continue
      const identities: Array<{ type: string; value: string }> = []
      for (const [type, values] of p.identities) for (const value of values) identities.push({ type, value })
      profiles.push({ id, createdAt: p.createdAt, identities })
    }
    const mergedAway = graph.merges.map((m) => m.mergedId)
    const unowned = [...changes.lookedUp, ...graph.removedIdentities].filter((i) => graph.ownerOf(i.type, i.value) === undefined)
    this.#pending?.updates.push(() => {
      const owners = this.#ownersOf(workspaceId)
      for (const id of mergedAway) this.#forget(id)
      for (const p of profiles) {
        this.#forget(p.id)
        this.#profiles.set(p.id, { workspaceId, createdAt: p.createdAt, identities: p.identities, used: ++this.#tick })
        for (const i of p.identities) this.#setOwner(owners, i.type + SEP + i.value, p.id)
      }
      for (const i of unowned) this.#setOwner(owners, i.type + SEP + i.value, null)
      this.#evict()
    })
  }

  /** The transaction committed: what it read and wrote is now what storage holds. */
  committed(): void {
    const pending = this.#pending
    this.#pending = null
    if (!pending) return
    for (const update of pending.updates) update()
    this.#version = pending.version
  }

  /** The transaction failed: nothing it saw can be trusted. */
  abandoned(): void {
    this.#pending = null
    this.clear()
  }

  clear(): void {
    this.#owners.clear()
    this.#profiles.clear()
    this.#suppressions.clear()
    this.#ownerCount = 0
    this.#version = null
  }

  #ownersOf(workspaceId: string): Map<string, string | null> {
    let owners = this.#owners.get(workspaceId)
    if (!owners) this.#owners.set(workspaceId, (owners = new Map()))
    return owners
  }

  #setOwner(owners: Map<string, string | null>, key: string, owner: string | null): void {
    const before = owners.size
    owners.set(key, owner)
    this.#ownerCount += owners.size - before
  }

  #forget(profileId: string): void {
    const profile = this.#profiles.get(profileId)
    if (!profile) return
    this.#profiles.delete(profileId)
    const owners = this.#owners.get(profile.workspaceId)
    if (!owners) return
    for (const i of profile.identities) {
      const key = i.type + SEP + i.value
      if (owners.get(key) === profileId) {
        owners.delete(key)
        this.#ownerCount--
      }
    }
  }

  /** Past the limit, drops the least recently used tenth of the profiles in one pass. */
  #evict(): void {
    if (this.#ownerCount > this.#maxProfiles * 8) {
      this.clear()
      return
    }
    if (this.#profiles.size <= this.#maxProfiles) return
    const ticks = [...this.#profiles.values()].map((p) => p.used).sort((a, b) => a - b)
    const cutoff = ticks[Math.floor(ticks.length / 10)]!
    for (const [id, p] of this.#profiles) if (p.used <= cutoff) this.#forget(id)
  }
}
