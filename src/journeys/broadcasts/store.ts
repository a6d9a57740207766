import { sql } from 'kysely'
import { newId, readJson, writeJson, type Database } from '../../platform/index.ts'
import { enqueueInTransaction, enqueueOrWake } from '../engine/enqueue.ts'
import type { BroadcastInput, BroadcastSpec, BroadcastStatus } from './schema.ts'

export const BROADCAST_JOB = 'journeys.broadcast'

/** The earliest a wall-clock time occurs anywhere (UTC+14), so a local-time fan-out starts in time. */
const EARLIEST_ZONE_MS = 14 * 3_600_000

export interface BroadcastView {
  id: string
  name: string
  audienceId: string
  status: BroadcastStatus
  channel: string
  sendAt: string
  localTime: string | null
  rateLimit: { perSecond: number } | null
  /** People the broadcast was fanned out to so far (all of them once `fannedOut`). */
  total: number
  fannedOut: boolean
  counts: { queued: number; sending: number; sent: number; blocked: number; failed: number; cancelled: number }
  blockedByReason: Record<string, number>
  delivered: number
  opened: number
  clicked: number
  createdAt: string
  finishedAt: string | null
}

export type BroadcastChange = { kind: 'Ok'; broadcast: BroadcastView } | { kind: 'NotFound' } | { kind: 'WrongStatus'; status: BroadcastStatus; message: string }

/**
 * Creates a broadcast and arms its job for the send time (for local-time schedules, early enough
 * for the first timezone to reach it).
 *
 * @example await createBroadcast(database, { workspaceId, input, now })
 */
export async function createBroadcast(database: Database, input: { workspaceId: string; input: BroadcastInput; now: number }): Promise<BroadcastView> {
  const { input: b, now, workspaceId } = input
  const id = newId('bc', now)
  const localTime = b.schedule && 'localTime' in b.schedule ? b.schedule.localTime : null
  const sendAt = b.schedule && 'at' in b.schedule ? Date.parse(b.schedule.at) : localTime ? Date.parse(`${localTime}Z`) : now
  const spec: BroadcastSpec = { channel: b.channel, fallback: b.fallback, category: b.category, message: b.message, localTime }
  const jobAt = Math.max(now, localTime ? sendAt - EARLIEST_ZONE_MS : sendAt)
  await database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('broadcasts')
      .values({
        id,
        workspace_id: workspaceId,
        name: b.name,
        audience_id: b.audienceId,
        spec: writeJson(spec),
        status: 'scheduled',
        send_at: sendAt,
        rate_per_second: b.rateLimit?.perSecond ?? null,
        fanout_cursor: null,
        fanout_done: 0,
        total: 0,
        rate_tokens: (b.rateLimit?.perSecond ?? 0) * 1000,
        rate_at: Math.max(now, sendAt),
        created_at: now,
        updated_at: now,
        paused_at: null,
        finished_at: null,
      })
      .execute()
    await enqueueInTransaction(trx, { kind: BROADCAST_JOB, dedupeKey: `${BROADCAST_JOB}:${id}`, workspaceId, payload: { broadcastId: id }, runAt: jobAt }, now)
  })
  return (await getBroadcast(database, workspaceId, id))!
}

export async function getBroadcast(database: Database, workspaceId: string, id: string): Promise<BroadcastView | null> {
  const { db } = database
  const row = await db.selectFrom('broadcasts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  if (!row) return null
  const [states, reasons, facts] = await Promise.all([
    db.selectFrom('journey_sends').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('broadcast_id', '=', id).groupBy('state').execute(),
    db
      .selectFrom('journey_facts')
      .select(['detail', (eb) => eb.fn.countAll<number>().as('n')])
      .where('broadcast_id', '=', id)
      .where('kind', '=', 'blocked')
      .groupBy('detail')
      .execute(),
    db
      .selectFrom('journey_facts')
      .select(['kind', sql<number>`count(distinct send_key)`.as('n')])
      .where('broadcast_id', '=', id)
      .where('kind', 'in', ['delivered', 'opened', 'clicked'])
      .groupBy('kind')
      .execute(),
  ])
  const counts = { queued: 0, sending: 0, sent: 0, blocked: 0, failed: 0, cancelled: 0 }
  for (const s of states) if (s.state in counts) counts[s.state as keyof typeof counts] = Number(s.n)
  const factCount = (kind: string) => Number(facts.find((f) => f.kind === kind)?.n ?? 0)
  const spec = readJson<BroadcastSpec>(row.spec, { channel: '', fallback: [], category: 'marketing', message: {}, localTime: null } as unknown as BroadcastSpec)
  return {
    id: row.id,
    name: row.name,
    audienceId: row.audience_id,
    status: row.status as BroadcastStatus,
    channel: spec.channel,
    sendAt: new Date(Number(row.send_at)).toISOString(),
    localTime: spec.localTime,
    rateLimit: row.rate_per_second ? { perSecond: row.rate_per_second } : null,
    total: row.total,
    fannedOut: row.fanout_done === 1,
    counts,
    blockedByReason: Object.fromEntries(reasons.map((r) => [r.detail ?? 'unknown', Number(r.n)])),
    delivered: factCount('delivered'),
    opened: factCount('opened'),
    clicked: factCount('clicked'),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)).toISOString(),
  }
}

/** A page of broadcasts, newest first. */
export async function listBroadcasts(database: Database, workspaceId: string, page: { limit: number; cursor?: string }): Promise<{ items: BroadcastView[]; nextCursor: string | null }> {
  let query = database.db.selectFrom('broadcasts').select('id').where('workspace_id', '=', workspaceId)
  if (page.cursor) query = query.where('id', '<', page.cursor)
  const ids = await query.orderBy('id', 'desc').limit(page.limit + 1).execute()
  const items: BroadcastView[] = []
  for (const { id } of ids.slice(0, page.limit)) items.push((await getBroadcast(database, workspaceId, id))!)
  return { items, nextCursor: ids.length > page.limit ? items[items.length - 1]!.id : null }
}

/**
 * Pause stops sending after the batch in flight; resume carries on (the rate limit restarts);
 * cancel stops for good: messages not yet sent are marked cancelled.
 */
export async function changeBroadcast(database: Database, input: { workspaceId: string; id: string; action: 'pause' | 'resume' | 'cancel'; now: number }): Promise<BroadcastChange> {
  const { db } = database
  const refusal = await db.transaction().execute(async (trx): Promise<BroadcastChange | null> => {
    const row = await trx.selectFrom('broadcasts').select(['status', 'rate_per_second']).where('workspace_id', '=', input.workspaceId).where('id', '=', input.id).executeTakeFirst()
    if (!row) return { kind: 'NotFound' }
    const status = row.status as BroadcastStatus
    if (input.action === 'pause') {
      if (status !== 'scheduled' && status !== 'sending') return { kind: 'WrongStatus', status, message: `Only a scheduled or sending broadcast can be paused; this one is ${status}` }
      await trx.updateTable('broadcasts').set({ status: 'paused', paused_at: input.now, updated_at: input.now }).where('id', '=', input.id).execute()
    } else if (input.action === 'resume') {
      if (status !== 'paused') return { kind: 'WrongStatus', status, message: `Only a paused broadcast can be resumed; this one is ${status}` }
      await trx
        .updateTable('broadcasts')
        .set({ status: 'sending', paused_at: null, updated_at: input.now, rate_tokens: (row.rate_per_second ?? 0) * 1000, rate_at: input.now })
        .where('id', '=', input.id)
        .execute()
      await enqueueOrWake(trx, { kind: BROADCAST_JOB, dedupeKey: `${BROADCAST_JOB}:${input.id}`, workspaceId: input.workspaceId, payload: { broadcastId: input.id }, runAt: input.now }, input.now)
    } else {
      if (status === 'completed' || status === 'cancelled') return { kind: 'WrongStatus', status, message: `The broadcast is already ${status}` }
      await trx.updateTable('broadcasts').set({ status: 'cancelled', finished_at: input.now, updated_at: input.now }).where('id', '=', input.id).execute()
      await trx.updateTable('journey_sends').set({ state: 'cancelled', updated_at: input.now }).where('broadcast_id', '=', input.id).where('state', '=', 'queued').execute()
    }
    return null
  })
  return refusal ?? { kind: 'Ok', broadcast: (await getBroadcast(database, input.workspaceId, input.id))! }
}
