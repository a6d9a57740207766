import type { Kysely } from 'kysely'
import { chunked, insertRows, lockIngest, newId, writeJson, type Database, type Schema } from '../platform/index.ts'
import { markIdentitiesChanged } from '../identity/epoch.ts'
import { canonicalProfileId, profileGroup } from './read.ts'

export type DeleteOutcome =
  | { kind: 'Deleted'; profileIds: string[]; events: number; suppressedIdentifiers: number }
  | { kind: 'NotFound' }

/**
 * Answers a data-subject deletion request (PIPL art. 47, GDPR art. 17): the person's traits,
 * events and identities are removed — across every profile merged into them — and their
 * identifiers are suppressed so later events carrying them are dropped (and counted) rather than
 * rebuilding the profile. One transaction: nothing is half-deleted.
 */
/** Removes what another module keeps about these profiles, inside the deletion's transaction. */
export type PersonalDataEraser = (trx: Kysely<Schema>, workspaceId: string, profileIds: string[]) => Promise<unknown>

export async function deleteProfile(input: {
  database: Database
  workspaceId: string
  profileId: string
  now: number
  actor: string
  /** Other modules' erasers (channels: inbox, consent, message addresses). */
  erasers?: PersonalDataEraser[]
}): Promise<DeleteOutcome> {
  const { database, workspaceId, now } = input
  return database.db.transaction().execute(async (trx) => {
    await lockIngest(trx, database.dialect)
    await markIdentitiesChanged(trx, 'deletion request')
    const canonical = await canonicalProfileId(trx, workspaceId, input.profileId)
    if (!canonical) return { kind: 'NotFound' as const }
    const group = await profileGroup(trx, workspaceId, canonical)
    const identities = await trx.selectFrom('identities').select(['type', 'value']).where('workspace_id', '=', workspaceId).where('profile_id', 'in', group).execute()
    await insertRows(
      trx,
      database.dialect,
      'suppressions',
      ['workspace_id', 'type', 'value', 'reason', 'dropped_events', 'created_at'],
      identities.map((i) => [workspaceId, i.type, i.value, 'deletion request', 0, now]),
      { ignoreConflicts: true },
    )
    for (const erase of input.erasers ?? []) await erase(trx, workspaceId, group)
    let events = 0
    for (const part of chunked(group, 1000)) {
      const result = await trx.deleteFrom('events').where('workspace_id', '=', workspaceId).where('profile_id', 'in', part).executeTakeFirst()
      events += Number(result.numDeletedRows)
      await trx.deleteFrom('identities').where('workspace_id', '=', workspaceId).where('profile_id', 'in', part).execute()
      await removeAudit(trx, workspaceId, part)
      await trx.deleteFrom('profiles').where('workspace_id', '=', workspaceId).where('id', 'in', part).execute()
    }
    // The audit keeps that a deletion happened, not who it was about.
    await trx
      .insertInto('merges')
      .values({ id: newId('mrg', now), workspace_id: workspaceId, kind: 'deleted', survivor_id: canonical, merged_id: null, message_id: null, identifiers: writeJson([]), reason: `profile and ${group.length - 1} merged profiles deleted on request`, actor: input.actor, created_at: now })
      .execute()
    return { kind: 'Deleted' as const, profileIds: group, events, suppressedIdentifiers: identities.length }
  })
}

async function removeAudit(trx: Kysely<Schema>, workspaceId: string, ids: string[]): Promise<void> {
  await trx
    .deleteFrom('merges')
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('survivor_id', 'in', ids), eb('merged_id', 'in', ids)]))
    .execute()
}
