import type { SendNode } from '../../definition/schema.ts'
import type { DeliveryItem } from '../../delivery/deliver.ts'
import { CONTINUE, STOP, type EngineContext, type StepOutcome } from '../context.ts'
import type { OutboxInsert, RunMover } from '../run-batches.ts'
import type { Run } from '../runs.ts'
import type { CompiledJourney } from '../definitions.ts'

const FINAL = new Set(['sent', 'blocked', 'failed', 'cancelled'])

/** The send's idempotency key: run, node, and which arrival at the node (a loop sends again). */
export function sendKey(run: Pick<Run, 'id' | 'nodeToken'>, nodeId: string): string {
  return `${run.id}:${nodeId}:${run.nodeToken}`
}

/**
 * A send node. The outbox row (its idempotency key) is committed together with the run moving to
 * `sending` before any provider is called (with the moves of the runs driven alongside, by the
 * `RunMover`); then `deliver` applies guard rails and calls the
 * sender (together with the sends of other runs driven at the same time); the run moves on in
 * the transaction that records the outcome. A run found in `sending`
 * after a crash repeats the call with the same key. A held send (quiet hours, a retry) parks the
 * run with a timer.
 */
export async function executeSend(ctx: EngineContext, mover: RunMover, run: Run, node: SendNode, compiled: CompiledJourney): Promise<StepOutcome> {
  const { db } = ctx.database
  const key = sendKey(run, node.id)
  let current: Run | null = run
  let fresh = false
  if (run.state === 'active') {
    const stored = await mover.move({ run, change: { state: 'sending' } }, outboxInsert(run, node, key, ctx.clock.now()))
    current = stored.moved
    fresh = stored.fresh
    if (!current) return STOP
  }
  // A row this call just wrote is known; one found (a retry, a recovered run) is read.
  const row = fresh ? { state: 'queued', channel: null, attempts: 0 } : await db.selectFrom('journey_sends').select(['state', 'channel', 'attempts']).where('key', '=', key).executeTakeFirst()
  if (!row) throw new Error(`Outbox row ${key} is missing for run ${run.id} at node ${node.id}`)
  if (FINAL.has(row.state)) {
    // Settled earlier; only the run's move was lost to a race. Move it now.
    const { moved } = await mover.move({ run: current, change: { state: 'active', toNode: node.next } })
    return moved ? CONTINUE : STOP
  }
  const sending = current
  const item: DeliveryItem = {
    key,
    profileId: sending.profileId,
    category: node.category,
    preferred: [node.channel, ...node.fallback],
    message: node.message,
    context: { event: sending.context.properties, eventName: sending.context.event },
    attribution: { journeyId: run.journeyId, version: run.version, nodeId: node.id, runId: run.id },
    state: row.state === 'sending' ? 'sending' : 'queued',
    channel: row.channel,
    attempts: row.attempts,
  }
  const exitsNext = compiled.nodes.get(node.next)?.type === 'exit' && !compiled.definition.goal?.exitOnConversion
  const moved = await ctx.sends.submit(run.workspaceId, item, ({ result: r }, journeyStatus) => {
    if (r.kind === 'held' || r.kind === 'retry') {
      const at = r.kind === 'held' ? r.until : r.at
      return { run: sending, change: { state: 'held', wakeAt: at, timerAt: at } }
    }
    // An exit next ends the run right here, arrival counted, as the driver would at once — unless
    // the journey is no longer live (the driver parks or ends the run there) or a goal reached
    // meanwhile may end it for the goal instead.
    if (exitsNext && journeyStatus === 'published') return { run: sending, change: { state: 'ended', endReason: 'exit', toNode: node.next, facts: [{ nodeId: node.next, kind: 'entered' }] } }
    return { run: sending, change: { state: 'active', toNode: node.next } }
  })
  // The journey's status comes fresh from the transaction that moved the run (it may have been
  // paused during the provider round trip), as does a goal reached meanwhile.
  return moved.run && moved.run.state === 'active' ? { kind: 'continue', run: moved.run, journeyStatus: moved.journeyStatus } : STOP
}

const OUTBOX_COLUMNS = ['key', 'workspace_id', 'kind', 'journey_id', 'version', 'node_id', 'run_id', 'broadcast_id', 'profile_id', 'category', 'channel', 'state', 'reason', 'due_at', 'attempts', 'decided_at', 'sent_at', 'provider_id', 'created_at', 'updated_at']

/** The send's outbox row, `queued`, stored together with the run's move to `sending`. */
function outboxInsert(run: Run, node: SendNode, key: string, now: number): OutboxInsert {
  return {
    table: 'journey_sends',
    columns: OUTBOX_COLUMNS,
    key,
    row: [key, run.workspaceId, 'message', run.journeyId, run.version, node.id, run.id, null, run.profileId, node.category, null, 'queued', null, now, 0, null, null, null, now, now],
  }
}
