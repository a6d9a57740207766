import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'

/**
 * Reports that read the log — path extraction for attribution and ROI, funnel matching — spend
 * nearly all their time in the read, and the dashboard asks for the same thing again and again.
 * A computation is kept and handed out again while nothing it could have read has changed.
 *
 * "Nothing changed" is checked on every call with three indexed lookups: the log's last sequence
 * number (any appended event of any workspace, dated anywhere), and the workspace's profile
 * count and merge-audit count and newest time (a merge moves history between people; an erasure
 * deletes a profile's events and leaves an audit row). Callers put everything else their result
 * depends on — the request, definitions, rules — into the key. Each process keeps its own newest
 * `MAX_ENTRIES` per database handle; identical calls arriving together share one computation.
 */
const MAX_ENTRIES = 16

const caches = new WeakMap<Kysely<Schema>, Map<string, Promise<unknown>>>()

/**
 * @example
 * const computation = await reuseWhileUnchanged(db, workspaceId, ['funnel', query], () => computeFunnelNow(db, workspaceId, query))
 */
export async function reuseWhileUnchanged<T>(db: Kysely<Schema>, workspaceId: string, key: readonly unknown[], compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  const full = JSON.stringify([workspaceId, ...key, await logFingerprint(db, workspaceId)])
  const hit = cache.get(full) as Promise<T> | undefined
  if (hit) {
    // Refresh its place: the newest entries are kept.
    cache.delete(full)
    cache.set(full, hit)
    return hit
  }
  const running = compute()
  cache.set(full, running)
  running.catch(() => cache.delete(full))
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  return running
}

async function logFingerprint(db: Kysely<Schema>, workspaceId: string): Promise<(string | number | null)[]> {
  const mark = await logMark(db, workspaceId)
  return [String(mark.seq ?? ''), mark.profiles, mark.merges, mark.latestMerge]
}

/** Where the log stands: what `reuseWhileUnchanged` compares, and what an extended scan starts from. */
export interface LogMark {
  /** The log's last sequence number (any workspace); null for an empty log. */
  seq: number | null
  profiles: number
  merges: number
  latestMerge: string | null
}

/** @example const mark = await logMark(db, workspaceId) */
export async function logMark(db: Kysely<Schema>, workspaceId: string): Promise<LogMark> {
  const [events, profiles, merges] = await Promise.all([
    db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst(),
    db.selectFrom('profiles').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirst(),
    db
      .selectFrom('merges')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('latest')])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst(),
  ])
  return {
    seq: events?.seq === null || events?.seq === undefined ? null : Number(events.seq),
    profiles: Number(profiles?.n ?? 0),
    merges: Number(merges?.n ?? 0),
    latestMerge: merges?.latest === null || merges?.latest === undefined ? null : String(merges.latest),
  }
}
