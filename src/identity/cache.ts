import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Schema } from '../platform/index.ts'
import type { IdentityGraph } from './graph.ts'

interface CachedProfile {
  workspaceId: string
  createdAt: number
  /** Every identifier the profile holds, as `type \0 value`. */
  keys: string[]
}

/** What the cache knows of one identifier. */
export type CachedOwner =
  | { kind: 'Owned'; profileId: string; createdAt: number; identities: Array<{ type: string; value: string }> }
  | { kind: 'Unowned' }

const SEP = '\u0000'

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
  /** `workspace \0 type \0 value` → profile id, or null when storage holds no such identifier. */
  readonly #owners = new Map<string, string | null>()
  /** Profiles in least-recently-used order (a Map iterates in insertion order). */
  readonly #profiles = new Map<string, CachedProfile>()
  /** Per workspace, every suppressed `type \0 value`. */
  readonly #suppressions = new Map<string, Set<string>>()
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
    const owner = this.#owners.get(workspaceId + SEP + type + SEP + value)
    if (owner === undefined) return undefined
    if (owner === null) return { kind: 'Unowned' }
    const profile = this.#profiles.get(owner)!
    this.#profiles.delete(owner)
    this.#profiles.set(owner, profile)
    return {
      kind: 'Owned',
      profileId: owner,
      createdAt: profile.createdAt,
      identities: profile.keys.map((k) => {
        const at = k.indexOf(SEP)
        return { type: k.slice(0, at), value: k.slice(at + 1) }
      }),
    }
  }

  suppressions(workspaceId: string): Set<string> | undefined {
    return this.#suppressions.get(workspaceId)
  }

  /** Suppressions read from storage in this transaction; kept once it commits. */
  rememberSuppressions(workspaceId: string, keys: Set<string>): void {
    this.#pending?.updates.push(() => this.#suppressions.set(workspaceId, keys))
  }

  /**
   * The graph as the transaction leaves it, to be kept once it commits: its profiles with their
   * full identifier sets, merged-away profiles gone, and the identifiers looked up and found
   * nowhere remembered as unowned.
   */
  rememberGraph(workspaceId: string, graph: IdentityGraph, lookedUp: ReadonlyArray<{ type: string; value: string }>): void {
    const profiles = graph.profileIds().map((id) => {
      const p = graph.profile(id)!
      const keys: string[] = []
      for (const [type, values] of p.identities) for (const value of values) keys.push(type + SEP + value)
      return { id, createdAt: p.createdAt, keys }
    })
    const mergedAway = graph.merges.map((m) => m.mergedId)
    const unowned = [...lookedUp, ...graph.removedIdentities].filter((i) => graph.ownerOf(i.type, i.value) === undefined)
    this.#pending?.updates.push(() => {
      for (const id of mergedAway) this.#forget(id)
      for (const p of profiles) {
        this.#forget(p.id)
        this.#profiles.set(p.id, { workspaceId, createdAt: p.createdAt, keys: p.keys })
        for (const k of p.keys) this.#owners.set(workspaceId + SEP + k, p.id)
      }
      for (const i of unowned) this.#owners.set(workspaceId + SEP + i.type + SEP + i.value, null)
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
    this.#version = null
  }

  #forget(profileId: string): void {
    const profile = this.#profiles.get(profileId)
    if (!profile) return
    this.#profiles.delete(profileId)
    for (const k of profile.keys) {
      const key = profile.workspaceId + SEP + k
      if (this.#owners.get(key) === profileId) this.#owners.delete(key)
    }
  }

  #evict(): void {
    if (this.#owners.size > this.#maxProfiles * 8) {
      this.clear()
      return
    }
    while (this.#profiles.size > this.#maxProfiles) this.#forget(this.#profiles.keys().next().value!)
  }
}
