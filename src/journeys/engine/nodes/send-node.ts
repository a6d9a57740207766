import type { Kysely } from 'kysely'
import type { Schema } from '../../../platform/index.ts'
import type { SendNode } from '../../definition/schema.ts'
import type { DeliveryItem, Settlement } from '../../delivery/deliver.ts'
import { CONTINUE, STOP, type EngineContext, type StepOutcome } from '../context.ts'
import { transition, type Run } from '../runs.ts'

const FINAL = new Set(['sent', 'blocked', 'failed', 'cancelled'])

/** The send's idempotency key: run, node, and which arrival at the node (a loop sends again). */
export function sendKey(run: Pick<Run, 'id' | 'nodeToken'>, nodeId: string): string {
  return `${run.id}:${nodeId}:${run.nodeToken}`
}

/**
 * A send node. The outbox row (its idempotency key) is committed together with the run moving to
 * `sending` before any provider is called; then `deliver` applies guard rails and calls the
 * sender (together with the sends of other runs driven at the same time); the run moves on in
 * the transaction that records the outcome. A run found in `sending`
 * after a crash repeats the call with the same key. A held send (quiet hours, a retry) parks the
 * run with a timer.
 */
export async function executeSend(ctx: EngineContext, run: Run, node: SendNode): Promise<StepOutcome> {
  const { db, dialect } = ctx.database
  const key = sendKey(run, node.id)
  let current: Run | null = run
  let fresh = false
  if (run.state === 'active') {
    const now = ctx.clock.now()
    current = await db.transaction().execute(async (trx) => {
      fresh = await insertOutboxRow(trx, run, node, key, now)
      return transition(trx, dialect, run, { state: 'sending' }, now)
    })
    if (!current) return STOP
  }
  // A row this call just wrote is known; one found (a retry, a recovered run) is read.
  const row = fresh ? { state: 'queued', channel: null, attempts: 0 } : await db.selectFrom('journey_sends').select(['state', 'channel', 'attempts']).where('key', '=', key).executeTakeFirst()
  if (!row) throw new Error(`Outbox row ${key} is missing for run ${run.id} at node ${node.id}`)
  if (FINAL.has(row.state)) {
    // Settled earlier; only the run's move was lost to a race. Move it now.
    const moved = await db.transaction().execute((trx) => transition(trx, dialect, current!, { state: 'active', toNode: node.next }, ctx.clock.now()))
    return moved ? CONTINUE : STOP
  }
  const item: DeliveryItem = {
    key,
    profileId: current.profileId,
    category: node.category,
    preferred: [node.channel, ...node.fallback],
    message: node.message,
    context: { event: current.context.properties, eventName: current.context.event },
    attribution: { journeyId: run.journeyId, version: run.version, nodeId: node.id, runId: run.id },
    state: row.state === 'sending' ? 'sending' : 'queued',
    channel: row.channel,
    attempts: row.attempts,
  }
  let moved = false
  const onSettled = async (trx: Kysely<Schema>, settlements: Settlement[]) => {
    const mine = settlements.find((s) => s.item.key === key)
    if (!mine) return
    const now = ctx.clock.now()
    const r = mine.result
    if (r.kind === 'held' || r.kind === 'retry') {
      const at = r.kind === 'held' ? r.until : r.at
      await transition(trx, dialect, current!, { state: 'held', wakeAt: at, timerAt: at }, now)
      return
    }
    moved = (await transition(trx, dialect, current!, { state: 'active', toNode: node.next }, now)) !== null
  }
  await ctx.sends.submit(run.workspaceId, item, onSettled)
  return moved ? CONTINUE : STOP
}

/** True when this call inserted the row (false: it was there already). */
async function insertOutboxRow(trx: Kysely<Schema>, run: Run, node: SendNode, key: string, now: number): Promise<boolean> {
  const inserted = await trx
    .insertInto('journey_sends')
    .values({
      key,
      workspace_id: run.workspaceId,
      kind: 'message',
      journey_id: run.journeyId,
      version: run.version,
      node_id: node.id,
      run_id: run.id,
      broadcast_id: null,
      profile_id: run.profileId,
      category: node.category,
      channel: null,
      state: 'queued',
      reason: null,
      due_at: now,
      attempts: 0,
      decided_at: null,
      sent_at: null,
      provider_id: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .execute()
  return inserted.length > 0
}
