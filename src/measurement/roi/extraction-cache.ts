import type { Kysely } from 'kysely'
import type { Database, Schema } from '../../platform/index.ts'
import { extractPaths, type PathExtraction, type PathExtractionInput } from '../touchpoints/extract-paths.ts'

/**
 * Path extractions kept for reuse. The scan over the log is nearly all of an attribution or ROI
 * request's time; the models on the extracted paths take milliseconds. The dashboard asks for
 * the same period again and again — switching the ROI model, opening the attribution and ROI
 * tabs, reloading — and each answer can come from one scan as long as nothing that scan read
 * has changed.
 *
 * An entry is keyed by everything the scan depends on: the request (period, conversion
 * definition, channel rules, grouping, visit window) and a fingerprint of the data —
 * the log's last sequence number (any appended event, late or not, of any workspace),
 * and the workspace's profile count and merge-audit count and newest time (merges move history
 * between people; an erasure deletes a profile's events and leaves an audit row). A fingerprint
 * costs three indexed lookups, so every request still sees every change. Nothing is reused
 * across processes: each API process keeps its own entries, newest `MAX_ENTRIES`.
 */
const MAX_ENTRIES = 16

/** Per database handle, so a process serving two databases (tests) never mixes them. */
const caches = new WeakMap<Database, Map<string, Promise<PathExtraction>>>()

/**
 * {@link extractPaths}, answered from an earlier identical scan when the log has not changed
 * since. Concurrent identical requests share one scan.
 *
 * @example const extraction = await cachedExtractPaths({ database, workspaceId, from, to, conversion, rules })
 */
export async function cachedExtractPaths(input: Omit<PathExtractionInput, 'onConversion'>): Promise<PathExtraction> {
  let cache = caches.get(input.database)
  if (!cache) caches.set(input.database, (cache = new Map()))
  const fingerprint = await logFingerprint(input.database.db, input.workspaceId)
  const key = JSON.stringify([
    input.workspaceId,
    input.from,
    input.to,
    input.conversion,
    input.rules,
    input.groupBy ?? 'channel',
    input.visitWindowMinutes ?? null,
    input.pageSize ?? null,
    fingerprint,
  ])
  const hit = cache.get(key)
  if (hit) {
    // Refresh its place: the newest entries are kept.
    cache.delete(key)
    cache.set(key, hit)
    return hit
  }
  const scan = extractPaths(input)
  cache.set(key, scan)
  scan.catch(() => cache.delete(key))
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  return scan
}

async function logFingerprint(db: Kysely<Schema>, workspaceId: string): Promise<(string | number | null)[]> {
  const [events, profiles, merges] = await Promise.all([
    db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst(),
    db.selectFrom('profiles').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirst(),
    db
      .selectFrom('merges')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('latest')])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst(),
  ])
  return [String(events?.seq ?? ''), Number(profiles?.n ?? 0), Number(merges?.n ?? 0), merges?.latest === null || merges?.latest === undefined ? null : String(merges.latest)]
}
