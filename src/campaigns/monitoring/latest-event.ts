import { sql, type Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'

type Db = Kysely<Schema>

/** The last event time found per workspace, and the log `seq` it covers. */
const lastEvents = new WeakMap<Db, Map<string, { seq: number; at: number | null }>>()

/**
 * The time of the workspace's latest event among those with `seq` up to `seq`. Taken from the
 * whole workspace once (no index orders a workspace's events by time, so that walks all of them);
 * after that only the events appended since are read, by `seq`: the latest time can only grow
 * with appends. An erasure may delete the
 * latest event and leave the kept time too late; every use takes it as a bound that nothing is
 * dated after, so a time too late only costs a read that finds nothing, never a wrong answer.
 */
export async function latestEventAt(db: Db, workspaceId: string, seq: number): Promise<number | null> {
  let kept = lastEvents.get(db)
  if (!kept) lastEvents.set(db, (kept = new Map()))
  const known = kept.get(workspaceId)
  if (known && known.seq === seq) return known.at
  // A log that went backwards (a restored database) is read whole again.
  const since = known && known.seq <= seq ? known : null
  const r = since
    ? await sql<{ at: number | string | null }>`select max(timestamp) as at from events where seq > ${since.seq} and seq <= ${seq} and workspace_id = ${workspaceId}`.execute(db)
    : await sql<{ at: number | string | null }>`select max(timestamp) as at from events where workspace_id = ${workspaceId} and seq <= ${seq}`.execute(db)
  const found = r.rows[0]?.at
  const appended = found === null || found === undefined ? null : Number(found)
  const at = since?.at == null ? appended : appended === null ? since.at : Math.max(since.at, appended)
  kept.set(workspaceId, { seq, at })
  return at
}
