import type { Kysely } from 'kysely'
import { insertRows, chunked, type DialectName, type Schema, writeJson } from '../platform/index.ts'
import { newId } from '../platform/ids.ts'
import type { Identifier } from '../ingest/message.ts'
import type { IdentityCache } from './cache.ts'
import { IdentityGraph } from './graph.ts'

/**
 * Loads every identity of every profile that holds one of `identifiers` — the neighbourhood a
 * batch can touch — so limit checks see each profile's full set of identifiers. With a cache,
 * only identifiers it does not know are looked up; `lookedUp` lists those, and `fromStorage` the
 * profiles read from storage.
 */
export async function loadIdentityGraph(
  trx: Kysely<Schema>,
  workspaceId: string,
  identifiers: readonly Identifier[],
  cache?: IdentityCache,
): Promise<{ graph: IdentityGraph; lookedUp: Identifier[]; fromStorage: Set<string> }> {
  const graph = new IdentityGraph()
  const lookedUp: Identifier[] = []
  const loaded = new Set<string>()
  const fromStorage = new Set<string>()
  for (const identifier of identifiers) {
    const hit = cache?.lookup(workspaceId, identifier.type, identifier.value)
    if (!hit) lookedUp.push(identifier)
    else if (hit.kind === 'Owned' && !loaded.has(hit.profileId)) {
      loaded.add(hit.profileId)
      for (const i of hit.identities) graph.load({ type: i.type, value: i.value, profileId: hit.profileId, profileCreatedAt: hit.createdAt })
    }
  }
  for (const part of chunked([...new Set(lookedUp.map((i) => i.value))], 5_000)) {
    const rows = await trx
      .selectFrom('identities as i')
      .innerJoin('profiles as p', 'p.id', 'i.profile_id')
      .select(['i.type', 'i.value', 'i.profile_id', 'p.created_at'])
      .where('i.workspace_id', '=', workspaceId)
      .where('i.profile_id', 'in', (eb) =>
        eb.selectFrom('identities').select('profile_id').where('workspace_id', '=', workspaceId).where('value', 'in', part),
      )
      .execute()
    for (const row of rows) {
      if (loaded.has(row.profile_id)) continue
      fromStorage.add(row.profile_id)
      graph.load({ type: row.type, value: row.value, profileId: row.profile_id, profileCreatedAt: row.created_at })
    }
  }
  return { graph, lookedUp, fromStorage }
}

/**
 * Writes what resolution changed, in order: merges re-point identities and profiles to the
 * survivor (so reads follow them), then new identifiers are inserted, then the audit rows.
 */
export async function saveIdentityGraph(
  trx: Kysely<Schema>,
  dialect: DialectName,
  workspaceId: string,
  graph: IdentityGraph,
  options: { now: number; actor: string },
): Promise<void> {
  for (const merge of graph.merges) {
    await trx
      .updateTable('identities')
      .set({ profile_id: merge.survivorId })
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', '=', merge.mergedId)
      .execute()
    await trx
      .updateTable('profiles')
      .set({ merged_into: merge.survivorId, updated_at: options.now })
      .where('workspace_id', '=', workspaceId)
      .where((eb) => eb.or([eb('id', '=', merge.mergedId), eb('merged_into', '=', merge.mergedId)]))
      .execute()
  }
  for (const removed of graph.removedIdentities) {
    await trx
      .deleteFrom('identities')
      .where('workspace_id', '=', workspaceId)
      .where('type', '=', removed.type)
      .where('value', '=', removed.value)
      .execute()
  }
  await insertRows(
    trx,
    dialect,
    'identities',
    ['workspace_id', 'type', 'value', 'profile_id', 'created_at'],
    graph.newIdentities.map((i) => [workspaceId, i.type, i.value, i.profileId, options.now]),
  )
  const audit = [
    ...graph.merges.map((m) => [newId('mrg', options.now), workspaceId, 'merged', m.survivorId, m.mergedId, m.messageId, writeJson(m.identifiers), m.reason, options.actor, options.now]),
    ...graph.refusals.map((r) => [newId('mrg', options.now), workspaceId, 'refused', r.profileId, r.otherProfileId, r.messageId, writeJson(r.identifiers), r.reason, options.actor, options.now]),
  ]
  await insertRows(
    trx,
    dialect,
    'merges',
    ['id', 'workspace_id', 'kind', 'survivor_id', 'merged_id', 'message_id', 'identifiers', 'reason', 'actor', 'created_at'],
    audit,
  )
}
