import type { Kysely } from 'kysely'
import { chunked, type Schema } from '../../platform/index.ts'

/** What the merge audit recorded for one workspace between two of its sequence numbers. */
export interface IdentityChanges {
  /** Profiles that were canonical when merged into another, in the order it happened. */
  mergedAway: string[]
  /** Profiles a merge was made into (their person gained profiles). */
  survivors: string[]
  /** Canonical profiles erased with every profile merged into them. */
  erased: string[]
}

export const NO_IDENTITY_CHANGES: IdentityChanges = { mergedAway: [], survivors: [], erased: [] }

/**
 * The merges and erasures recorded with `after < seq <= upTo`, or null when that cannot be told
 * from the audit. Audit numbers are handed out in commit order and never twice (see migration
 * `023-merge-sequence`), so every number of the range belongs to a row unless a row was deleted
 * since — an erasure deletes the audit rows of the person it erases, among them merges recorded
 * after `after` that then cannot be seen — or, on PostgreSQL, a transaction that took a number
 * rolled back. A missing number therefore means "unknown", and the caller starts again. The rows
 * of every workspace are read, to count them: the range is what was written since the last read.
 *
 * @example const changes = await identityChangesSince(db, workspaceId, kept.mark.mergeSeq, mark.mergeSeq)
 */
export async function identityChangesSince(db: Kysely<Schema>, workspaceId: string, after: number, upTo: number): Promise<IdentityChanges | null> {
  if (upTo === after) return NO_IDENTITY_CHANGES
  const rows = await db
    .selectFrom('merges')
    .select(['seq', 'workspace_id', 'kind', 'survivor_id', 'merged_id'])
    .where('seq', '>', after)
    .where('seq', '<=', upTo)
    .orderBy('seq')
    .execute()
  if (rows.length !== upTo - after) return null
  const changes: IdentityChanges = { mergedAway: [], survivors: [], erased: [] }
  for (const row of rows) {
    if (row.workspace_id !== workspaceId || row.kind === 'refused') continue
    if (row.kind === 'merged' && row.survivor_id && row.merged_id) {
      changes.mergedAway.push(row.merged_id)
      changes.survivors.push(row.survivor_id)
    } else if (row.kind === 'deleted' && row.survivor_id) {
      changes.erased.push(row.survivor_id)
    } else {
      // A kind this reader does not know may move history in a way it cannot follow.
      return null
    }
  }
  return changes
}

/**
 * The canonical profile of each of these profiles as it stands now (itself, or the profile it was
 * merged into: merges are kept flat, so one step is enough); profiles that no longer exist
 * (erased) are absent.
 *
 * @example const canonical = await canonicalProfiles(db, workspaceId, ['prf_1', 'prf_2'])
 */
export async function canonicalProfiles(db: Kysely<Schema>, workspaceId: string, profileIds: readonly string[]): Promise<Map<string, string>> {
  const canonical = new Map<string, string>()
  for (const part of chunked([...new Set(profileIds)])) {
    const found = await db.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('id', 'in', part).execute()
    for (const p of found) canonical.set(p.id, p.merged_into ?? p.id)
  }
  return canonical
}

/**
 * Follows the audit's changes through a kept result: each merged-away profile's share is handed to
 * the person it belongs to now (`move(profile, person)`), an erased profile's share goes
 * (`move(profile, undefined)`). `canonical` must cover every profile the changes name (see
 * `canonicalProfiles`). Answers the people who gained profiles — their set of profiles must be
 * read again — or null when the audit and the profiles table disagree (a profile it says was
 * merged away is still canonical, or one it says was erased still exists): only a fresh read
 * knows who is who then.
 *
 * @example const gained = followIdentityChanges(changes, canonical, (from, to) => moveCounts(from, to))
 */
export function followIdentityChanges(changes: IdentityChanges, canonical: ReadonlyMap<string, string>, move: (profileId: string, to: string | undefined) => void): Set<string> | null {
  const gained = new Set<string>()
  for (const profileId of changes.mergedAway) {
    const to = canonical.get(profileId)
    if (to === profileId) return null
    move(profileId, to)
    if (to !== undefined) gained.add(to)
  }
  for (const profileId of changes.survivors) {
    const person = canonical.get(profileId)
    if (person !== undefined) gained.add(person)
  }
  for (const profileId of changes.erased) {
    if (canonical.has(profileId)) return null
    move(profileId, undefined)
  }
  return gained
}
