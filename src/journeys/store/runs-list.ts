import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { runFromRow } from '../engine/runs.ts'

export interface RunView {
  id: string
  profileId: string
  version: number
  state: string
  nodeId: string
  enteredAt: string
  endedAt: string | null
  endReason: string | null
  convertedAt: string | null
  /** When a delayed or held run wakes, or a waiting run times out. */
  nextAt: string | null
  waitingFor: string | null
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString())

/** A journey's runs, newest first; the cursor is the last run id of the previous page. */
export async function listRuns(
  db: Kysely<Schema>,
  input: { workspaceId: string; journeyId: string; profileId?: string; state?: string; limit: number; cursor?: string },
): Promise<{ items: RunView[]; nextCursor: string | null }> {
  let query = db.selectFrom('journey_runs').selectAll().where('workspace_id', '=', input.workspaceId).where('journey_id', '=', input.journeyId)
  if (input.profileId) query = query.where('profile_id', '=', input.profileId)
  if (input.state) query = query.where('state', '=', input.state)
  if (input.cursor) query = query.where('id', '<', input.cursor)
  const rows = await query.orderBy('id', 'desc').limit(input.limit + 1).execute()
  const items = rows.slice(0, input.limit).map((row) => {
    const run = runFromRow(row)
    return {
      id: run.id,
      profileId: run.profileId,
      version: run.version,
      state: run.state,
      nodeId: run.nodeId,
      enteredAt: iso(run.enteredAt)!,
      endedAt: iso(row.ended_at),
      endReason: row.end_reason,
      convertedAt: iso(run.convertedAt),
      nextAt: iso(run.state === 'waiting' ? run.waitUntil : run.wakeAt),
      waitingFor: run.state === 'waiting' ? run.waitEvent : null,
    }
  })
  return { items, nextCursor: rows.length > input.limit ? items[items.length - 1]!.id : null }
}
