import { sql } from 'kysely'
import type { WebhookNode } from '../../definition/schema.ts'
import { MAX_SEND_ATTEMPTS } from '../../delivery/deliver.ts'
import { loadPeople, workspaceTimeZone } from '../../delivery/people.ts'
import type { WebhookResult } from '../../ports.ts'
import { CONTINUE, STOP, type EngineContext, type StepOutcome } from '../context.ts'
import { renderJson, renderScope } from '../render.ts'
import { transition, type Run } from '../runs.ts'
import { sendKey } from './send-node.ts'

/**
 * A webhook node calls an outside system once per arrival: the key is stored (outbox row, kind
 * `webhook`) before the call and sent as `Idempotency-Key`, so a repeat after a crash is
 * recognisable by the receiver. Guard rails do not apply (it is not a message to the person).
 * Failures are retried with backoff; after the last attempt the run carries on and the node
 * counts an error.
 */
export async function executeWebhook(ctx: EngineContext, run: Run, node: WebhookNode): Promise<StepOutcome> {
  const { db, dialect } = ctx.database
  const key = sendKey(run, node.id)
  let current: Run | null = run
  if (run.state === 'active') {
    const now = ctx.clock.now()
    current = await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('journey_sends')
        .values({
          key,
          workspace_id: run.workspaceId,
          kind: 'webhook',
          journey_id: run.journeyId,
          version: run.version,
          node_id: node.id,
          run_id: run.id,
          broadcast_id: null,
          profile_id: run.profileId,
          category: 'transactional',
          channel: 'webhook',
          state: 'sending',
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
        .execute()
      return transition(trx, dialect, run, { state: 'sending' }, now)
    })
    if (!current) return STOP
  }
  const row = await db.selectFrom('journey_sends').select(['state', 'attempts']).where('key', '=', key).executeTakeFirstOrThrow()
  if (row.state !== 'sending') {
    const moved = await db.transaction().execute((trx) => transition(trx, dialect, current!, { state: 'active', toNode: node.next }, ctx.clock.now()))
    return moved ? CONTINUE : STOP
  }

  const zone = await workspaceTimeZone(db, run.workspaceId)
  const person = (await loadPeople(db, run.workspaceId, [run.profileId], zone)).get(run.profileId)
  const scope = renderScope(person?.profileId ?? run.profileId, person?.traits ?? {}, run.context.event, run.context.properties)
  const body = node.body
    ? renderJson(node.body, scope)
    : { profileId: scope.profile.id, traits: scope.traits, event: run.context.event, properties: run.context.properties, journeyId: run.journeyId, nodeId: node.id }
  let result: WebhookResult
  try {
    result = await ctx.ports.webhooks.call({ url: node.url, method: node.method, headers: node.headers, body, idempotencyKey: key })
  } catch (error) {
    result = { kind: 'failed', retryable: true, reason: (error as Error).message }
  }

  const now = ctx.clock.now()
  const attempts = row.attempts + 1
  const outcome = await db.transaction().execute(async (trx) => {
    if (result.kind === 'failed' && result.retryable && attempts < MAX_SEND_ATTEMPTS) {
      const at = now + Math.min(3_600_000, 30_000 * 2 ** (attempts - 1))
      await trx.updateTable('journey_sends').set({ attempts, due_at: at, reason: result.reason.slice(0, 500), updated_at: now }).where('key', '=', key).execute()
      await transition(trx, dialect, current!, { state: 'held', wakeAt: at, timerAt: at }, now)
      return STOP
    }
    const ok = result.kind === 'ok'
    await trx
      .updateTable('journey_sends')
      .set({ state: ok ? 'sent' : 'failed', attempts: sql`attempts + 1`, sent_at: ok ? now : null, reason: ok ? null : (result as { reason: string }).reason.slice(0, 500), updated_at: now })
      .where('key', '=', key)
      .where('state', '=', 'sending')
      .execute()
    const moved = await transition(trx, dialect, current!, {
      state: 'active',
      toNode: node.next,
      facts: [{ nodeId: node.id, sendKey: key, kind: ok ? 'sent' : 'errored', detail: ok ? 'webhook' : (result as { reason: string }).reason.slice(0, 200) }],
    }, now)
    return moved ? CONTINUE : STOP
  })
  return outcome
}
