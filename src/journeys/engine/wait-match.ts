import type { Kysely } from 'kysely'
import { readJson, type Schema } from '../../platform/index.ts'
import { canonicalProfileId, profileGroup } from '../../profiles/index.ts'
import type { WaitForEventNode } from '../definition/schema.ts'
import { matchesFilters } from './filters.ts'

/** A person as the log knows them: the surviving profile and every profile merged into it. */
export async function personOf(db: Kysely<Schema>, workspaceId: string, profileId: string): Promise<{ profileId: string; group: string[] }> {
  const canonical = (await canonicalProfileId(db, workspaceId, profileId)) ?? profileId
  const group = await profileGroup(db, workspaceId, canonical)
  if (!group.includes(profileId)) group.push(profileId)
  return { profileId: canonical, group }
}

/**
 * The rule that decides a wait, applied identically by the event processor and the timeout job:
 * the run takes the event exit when the log holds a matching event of this person after the
 * run's mark (`seq > markSeq`) that happened by the deadline (`timestamp <= waitUntil`). Reading
 * the log here — not only reacting to events as they stream by — means an event the processor
 * saw before the run started waiting still counts, and a timeout that fires while the processor
 * is behind still sees the purchase. Returns the matching event's `seq`, or null.
 */
export async function findWaitEvent(
  db: Kysely<Schema>,
  input: { workspaceId: string; group: readonly string[]; node: WaitForEventNode; afterSeq: number; deadline: number },
): Promise<number | null> {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'payload'])
    .where('workspace_id', '=', input.workspaceId)
    .where('profile_id', 'in', [...input.group])
    .where('event', '=', input.node.event)
    .where('seq', '>', input.afterSeq)
    .where('timestamp', '<=', input.deadline)
    .orderBy('seq')
    .limit(input.node.where.length === 0 ? 1 : 500)
    .execute()
  for (const r of rows) {
    const properties = readJson<{ properties?: Record<string, unknown> }>(r.payload, {}).properties ?? {}
    if (matchesFilters(properties, input.node.where)) return Number(r.seq)
  }
  return null
}
