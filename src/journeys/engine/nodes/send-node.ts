import type { SendNode } from '../../definition/schema.ts'
import type { DeliveryItem } from '../../delivery/deliver.ts'
import { CONTINUE, STOP, type EngineContext, type StepOutcome } from '../context.ts'
import type { RunMover } from '../run-batches.ts'
import type { Run } from '../runs.ts'
import type { CompiledJourney } from '../definitions.ts'

const FINAL = new Set(['sent', 'blocked', 'failed', 'cancelled'])

/** The send's idempotency key: run, node, and which arrival at the node (a loop sends again). */
export function sendKey(run: Pick<Run, 'id' | 'nodeToken'>, nodeId: string): string {
  return `${run.id}:${nodeId}:${run.nodeToken}`
}

/**
 * A send node. A run reaching it is moved to `sending` in the transaction that decides its send
 * (`deliver`, through the `SendBatcher`, with the sends of the runs driven alongside): guard rails
 * applied, the outbox row (its idempotency key) written with the decision, all committed before
 * any provider is called; the run moves on in the transaction that records the outcome. A run
 * found in `sending` after a crash repeats the call with the same key. A held send (quiet hours, a
 * retry) parks the run with a timer.
 */
export async function executeSend(ctx: EngineContext, mover: RunMover, run: Run, node: SendNode, compiled: CompiledJourney): Promise<StepOutcome> {
  const { db } = ctx.database
  const key = sendKey(run, node.id)
  // A run already past its move to `sending` (a held send, a recovered run) has its row read.
  const row = run.state === 'active' ? { state: 'new', channel: null, attempts: 0 } : await db.selectFrom('journey_sends').select(['state', 'channel', 'attempts']).where('key', '=', key).executeTakeFirst()
  if (!row) throw new Error(`Outbox row ${key} is missing for run ${run.id} at node ${node.id}`)
  if (FINAL.has(row.state)) {
    // Settled earlier; only the run's move was lost to a race. Move it now.
    const { moved } = await mover.move({ run, change: { state: 'active', toNode: node.next } })
    return moved ? CONTINUE : STOP
  }
  const item: DeliveryItem = {
    key,
    profileId: run.profileId,
    category: node.category,
    preferred: [node.channel, ...node.fallback],
    message: node.message,
    context: { event: run.context.properties, eventName: run.context.event },
    attribution: { journeyId: run.journeyId, version: run.version, nodeId: node.id, runId: run.id },
    state: row.state === 'new' ? 'new' : row.state === 'sending' ? 'sending' : 'queued',
    channel: row.channel,
    attempts: row.attempts,
  }
  const exitsNext = compiled.nodes.get(node.next)?.type === 'exit' && !compiled.definition.goal?.exitOnConversion
  const at = run.state === 'active' ? { stage: { run, change: { state: 'sending' as const } } } : { run }
  const moved = await ctx.sends.submit(run.workspaceId, item, at, ({ result: r }, journeyStatus, sending) => {
    if (r.kind === 'held' || r.kind === 'retry') {
      const until = r.kind === 'held' ? r.until : r.at
      return { run: sending, change: { state: 'held', wakeAt: until, timerAt: until } }
    }
    // An exit next ends the run right here, arrival counted, as the driver would at once — unless
    // the journey is no longer live (the driver parks or ends the run there) or a goal reached
    // meanwhile may end it for the goal instead.
    if (exitsNext && journeyStatus === 'published') return { run: sending, change: { state: 'ended', endReason: 'exit', toNode: node.next, facts: [{ nodeId: node.next, kind: 'entered' }] } }
    return { run: sending, change: { state: 'active', toNode: node.next } }
  })
  // Not settled in this delivery: the run stands in `sending`, and its next step reads the row.
  if (!moved.settled) return moved.run ? { kind: 'continue', run: moved.run } : STOP
  // The journey's status comes fresh from the transaction that moved the run (it may have been
  // paused during the provider round trip), as does a goal reached meanwhile.
  return moved.run && moved.run.state === 'active' ? { kind: 'continue', run: moved.run, journeyStatus: moved.journeyStatus } : STOP
}
