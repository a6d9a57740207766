import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'

/**
 * Reports that read the log — path extraction for attribution and ROI, funnel matching — spend
 * nearly all their time in the read, and the dashboard asks for the same thing again and again.
 * A computation is kept and handed out again while nothing it could have read has changed.
 *
 * "Nothing changed" is checked on every call with two lookups of a maximum on a primary key or
 * unique index: the log's last sequence number (any appended event of any workspace, dated
 * anywhere) and the merge audit's (a merge moves history between people; an erasure deletes a
 * person's events and audit rows and records that it happened, so it too adds an audit row).
 * Both are global, so a change in another workspace also counts as one: cheap to read, at the
 * price of recomputing now and then when nothing of this workspace changed. Callers put
 * everything else their result depends on — the request, definitions, rules — into the key.
 * Each process keeps its own newest `MAX_ENTRIES` per database handle; identical calls arriving
 * together share one computation.
 */
const MAX_ENTRIES = 16

const caches = new WeakMap<Kysely<Schema>, Map<string, Promise<unknown>>>()

/**
 * `compute` is given the mark the check read, so a computation that needs it (an extended scan
 * starts from it) does not read it again, and what it covers is exactly what its key says.
 *
 * @example
 * const computation = await reuseWhileUnchanged(db, workspaceId, ['funnel', query], () => computeFunnelNow(db, workspaceId, query))
 */
export async function reuseWhileUnchanged<T>(db: Kysely<Schema>, workspaceId: string, key: readonly unknown[], compute: (mark: LogMark) => Promise<T>): Promise<T> {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  const mark = await logMark(db)
  const full = JSON.stringify([workspaceId, ...key, mark.seq, mark.mergeSeq])
  const hit = cache.get(full) as Promise<T> | undefined
  if (hit) {
    // Refresh its place: the newest entries are kept.
    cache.delete(full)
    cache.set(full, hit)
    return hit
  }
  const running = compute(mark)
  cache.set(full, running)
  running.catch(() => cache.delete(full))
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  return running
}

/** Where the log and the merge audit stand: what `reuseWhileUnchanged` compares, and what an extended scan starts from. */
export interface LogMark {
  /** The log's last sequence number (any workspace); null for an empty log. */
  seq: number | null
  /** The merge audit's last sequence number (merges, refusals and erasures of any workspace); 0 when it is empty. */
  mergeSeq: number
}

/**
 * Profiles are never counted: on a workspace of a million profiles a count is a walk over a
 * million index entries on every read, and every change that moves or removes a person's history
 * (a merge, an erasure) writes an audit row, which moves `mergeSeq`.
 *
 * @example const mark = await logMark(db)
 */
export async function logMark(db: Kysely<Schema>): Promise<LogMark> {
  const [events, merges] = await Promise.all([
    db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst(),
    db.selectFrom('merges').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst(),
  ])
  return {
    seq: events?.seq === null || events?.seq === undefined ? null : Number(events.seq),
    mergeSeq: merges?.seq === null || merges?.seq === undefined ? 0 : Number(merges.seq),
  }
}
