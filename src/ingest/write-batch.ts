import { sql, type Kysely } from 'kysely'
import { insertRows, chunked, newId, lockIngest, type Database, type Schema, type DialectName } from '../platform/index.ts'
import {
  CompiledRules,
  getIdentityRules,
  IdentityCache,
  loadIdentityGraph,
  prepareIdentifiers,
  resolveIdentities,
  saveIdentityGraph,
} from '../identity/index.ts'
import { applyTraitOps, emptyProfile, loadProfileRecords, mergeProfileRecords, saveProfileRecords, type ProfileRecord } from '../profiles/index.ts'
import { payloadJson } from './payload-json.ts'
import { virtualPartition } from '../platform/processors/partition.ts'
import type { Identifier, IngestMessage } from './message.ts'

export interface WorkspaceBatch {
  workspaceId: string
  sourceId: string | null
  messages: IngestMessage[]
}

export interface BatchOutcome {
  stored: number
  duplicates: number
  suppressed: number
}

const EVENT_COLUMNS = [
  'workspace_id', 'message_id', 'type', 'event', 'profile_id', 'part', 'user_id', 'anonymous_id',
  'channel', 'timestamp', 'received_at', 'source_id', 'order_minor', 'order_currency', 'payload',
] as const

/**
 * Writes a group of requests in one transaction: dedupe by messageId, drop suppressed people,
 * resolve identities, fold events into profiles, append to the log. Returns one outcome per
 * request, in order.
 */
export async function writeBatch(input: { database: Database; now: number; batches: WorkspaceBatch[]; identityCache?: IdentityCache }): Promise<BatchOutcome[]> {
  const { database, now, batches, identityCache: cache } = input
  try {
    const outcomes = await transact(database, now, batches, cache)
    cache?.committed()
    return outcomes
  } catch (error) {
    cache?.abandoned()
    throw error
  }
}

function transact(database: Database, now: number, batches: WorkspaceBatch[], cache: IdentityCache | undefined): Promise<BatchOutcome[]> {
  return database.db.transaction().execute(async (trx) => {
    await lockIngest(trx, database.dialect)
    await cache?.claim(trx)
    const outcomes = batches.map(() => ({ stored: 0, duplicates: 0, suppressed: 0 }))
    const byWorkspace = new Map<string, number[]>()
    batches.forEach((b, i) => {
      const list = byWorkspace.get(b.workspaceId) ?? []
      list.push(i)
      byWorkspace.set(b.workspaceId, list)
    })
    for (const [workspaceId, indexes] of byWorkspace) {
      await writeWorkspace(trx, database.dialect, workspaceId, indexes.map((i) => ({ batch: batches[i]!, outcome: outcomes[i]! })), now, cache)
    }
    return outcomes
  })
}

interface Item {
  message: IngestMessage
  sourceId: string | null
  outcome: BatchOutcome
  /** Normalised and usable: the identifiers the message links, and those it unlinks. */
  identifiers: Identifier[]
  unlink: Identifier[]
}

async function writeWorkspace(
  trx: Kysely<Schema>,
  dialect: DialectName,
  workspaceId: string,
  parts: Array<{ batch: WorkspaceBatch; outcome: BatchOutcome }>,
  now: number,
  cache: IdentityCache | undefined,
): Promise<void> {
  const rules = new CompiledRules(await getIdentityRules(trx, workspaceId))

  // 1. Dedupe: first within the group, then against every messageId seen in the last days.
  const firstSeen = new Map<string, Item>()
  for (const { batch, outcome } of parts) {
    for (const message of batch.messages) {
      if (firstSeen.has(message.messageId)) outcome.duplicates++
      else firstSeen.set(message.messageId, { message, sourceId: batch.sourceId, outcome, identifiers: [], unlink: [] })
    }
  }
  const inserted = await insertRows<{ message_id: string }>(
    trx,
    dialect,
    'seen_messages',
    ['workspace_id', 'message_id', 'seen_at'],
    [...firstSeen.keys()].map((id) => [workspaceId, id, now]),
    { ignoreConflicts: true, returning: ['message_id'] },
  )
  const fresh = new Set(inserted.map((r) => r.message_id))
  let items: Item[] = []
  for (const [id, item] of firstSeen) {
    if (fresh.has(id)) items.push(item)
    else item.outcome.duplicates++
  }

  // 2. Identifiers, normalised; people who asked to be forgotten are dropped and counted.
  const touched: Identifier[] = []
  for (const item of items) {
    const { usable } = prepareIdentifiers(item.message.identifiers, rules)
    item.identifiers = usable
    item.unlink = prepareIdentifiers(item.message.unlink, rules).usable
    touched.push(...usable, ...item.unlink)
  }
  const suppressed = await loadSuppressions(trx, workspaceId, touched, cache)
  if (suppressed.size > 0) {
    const hits = new Map<string, number>()
    items = items.filter((item) => {
      const hit = item.identifiers.find((i) => suppressed.has(`${i.type}\u0000${i.value}`))
      if (!hit) return true
      item.outcome.suppressed++
      const k = `${hit.type}\u0000${hit.value}`
      hits.set(k, (hits.get(k) ?? 0) + 1)
      return false
    })
    for (const [k, count] of hits) {
      const [type, value] = k.split('\u0000') as [string, string]
      await trx
        .updateTable('suppressions')
        .set({ dropped_events: sql`dropped_events + ${count}` })
        .where('workspace_id', '=', workspaceId)
        .where('type', '=', type)
        .where('value', '=', value)
        .execute()
    }
  }

  // 3. Identity resolution, in message order so later messages see earlier links. Trait changes
  // and merges are recorded in the same order and replayed once the rows they need are loaded.
  const { graph, lookedUp, fromStorage } = await loadIdentityGraph(trx, workspaceId, touched, cache)
  const replay: ProfileChange[] = []
  const eventRows: unknown[][] = []
  for (const item of items) {
    const m = item.message
    const resolution = resolveIdentities({
      graph,
      rules,
      identifiers: item.identifiers,
      messageId: m.messageId,
      newProfileId: () => newId('prf', now),
      now,
    })
    for (const identifier of item.unlink) graph.detach(identifier)
    const profileId = resolution.profileId
    if (profileId) {
      if (resolution.created) replay.push({ kind: 'created', profileId })
      for (const mergedId of resolution.mergedIds) replay.push({ kind: 'merged', survivorId: profileId, mergedId })
      if (m.traitOps.length > 0) replay.push({ kind: 'traits', profileId, message: m })
    }
    const order = m.order
    eventRows.push([
      workspaceId, m.messageId, m.type, m.event, profileId, virtualPartition(profileId ?? m.anonymousId ?? m.messageId), m.userId, m.anonymousId, m.channel,
      m.timestamp, m.receivedAt, item.sourceId, order?.amountMinor ?? null, order?.currency ?? null, payloadJson(m),
    ])
    item.outcome.stored++
  }
  const { profiles, mergedAway } = await applyProfileChanges(trx, workspaceId, replay, now)

  // 4. Save: rows for profiles born and merged away in this batch (their events point at them),
  // graph changes (merges first, which set their merged_into), profiles, then the log.
  await insertRows(trx, dialect, 'profiles', ['id', 'workspace_id', 'traits', 'merged_into', 'created_at', 'updated_at'], mergedAway.map((id) => [id, workspaceId, '{}', null, now, now]))
  await saveIdentityGraph(trx, dialect, workspaceId, graph, { now, actor: 'ingest' })
  cache?.rememberGraph(workspaceId, graph, { lookedUp, fromStorage })
  await saveProfileRecords(trx, dialect, workspaceId, profiles)
  await insertRows(trx, dialect, 'events', EVENT_COLUMNS, eventRows)
}

type ProfileChange =
  | { kind: 'created'; profileId: string }
  | { kind: 'merged'; survivorId: string; mergedId: string }
  | { kind: 'traits'; profileId: string; message: IngestMessage }

/**
 * Replays creations, merges and trait operations in order; returns the rows to write, and the
 * profiles created in this batch that were merged away before it ended.
 */
async function applyProfileChanges(trx: Kysely<Schema>, workspaceId: string, changes: ProfileChange[], now: number): Promise<{ profiles: ProfileRecord[]; mergedAway: string[] }> {
  if (changes.length === 0) return { profiles: [], mergedAway: [] }
  const createdHere = new Set<string>()
  const mergedAway: string[] = []
  const needed = new Set<string>()
  for (const c of changes) {
    if (c.kind === 'merged') needed.add(c.survivorId).add(c.mergedId)
    else if (c.kind === 'traits') needed.add(c.profileId)
  }
  const records = await loadProfileRecords(trx, workspaceId, needed)
  const dirty = new Set<string>()
  const recordOf = (id: string) => {
    let record = records.get(id)
    if (!record) records.set(id, (record = emptyProfile(id, now)))
    return record
  }
  for (const c of changes) {
    if (c.kind === 'created') {
      createdHere.add(c.profileId)
      recordOf(c.profileId)
      dirty.add(c.profileId)
    } else if (c.kind === 'merged') {
      mergeProfileRecords(recordOf(c.survivorId), recordOf(c.mergedId), now)
      records.delete(c.mergedId)
      dirty.delete(c.mergedId)
      if (createdHere.has(c.mergedId)) mergedAway.push(c.mergedId)
      dirty.add(c.survivorId)
    } else {
      const record = recordOf(c.profileId)
      record.traits = applyTraitOps(record.traits, c.message.traitOps)
      record.updatedAt = now
      dirty.add(c.profileId)
    }
  }
  return { profiles: [...dirty].map((id) => records.get(id)!), mergedAway }
}

async function loadSuppressions(trx: Kysely<Schema>, workspaceId: string, identifiers: Identifier[], cache: IdentityCache | undefined): Promise<Set<string>> {
  if (cache) {
    const known = cache.suppressions(workspaceId)
    if (known) return known
    // The writer reads a workspace's whole (short) suppression list once and keeps it until an
    // identity change elsewhere, such as a new deletion request, drops the cache.
    const rows = await trx.selectFrom('suppressions').select(['type', 'value']).where('workspace_id', '=', workspaceId).execute()
    const all = new Set(rows.map((r) => `${r.type}\u0000${r.value}`))
    cache.rememberSuppressions(workspaceId, all)
    return all
  }
  const out = new Set<string>()
  if (identifiers.length === 0) return out
  for (const part of chunked([...new Set(identifiers.map((i) => i.value))], 5_000)) {
    const rows = await trx.selectFrom('suppressions').select(['type', 'value']).where('workspace_id', '=', workspaceId).where('value', 'in', part).execute()
    for (const r of rows) out.add(`${r.type}\u0000${r.value}`)
  }
  return out
}
