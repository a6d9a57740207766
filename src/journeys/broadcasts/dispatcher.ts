import { sql } from 'kysely'
import { readJson, type Job } from '../../platform/index.ts'
import { deliver, type DeliveryItem } from '../delivery/deliver.ts'
import { loadPeople, workspaceTimeZone } from '../delivery/people.ts'
import { insertOutboxRows, outboxRow } from '../delivery/outbox.ts'
import type { EngineContext } from '../engine/context.ts'
import { zonedTimeToUtc } from '../time/zoned-time.ts'
import type { BroadcastSpec } from './schema.ts'

/** People read from the audience per fan-out pass. */
const FANOUT_PAGE = 2_000
/** Sends handed to one `deliver` call (one decision transaction, one provider batch, one record transaction). */
const SEND_BATCH = 500
/**
 * Batches delivered at once per pass: while one waits for the gateway, the next is decided or
 * recorded. Each person appears once per broadcast, so concurrent batches never share a person.
 */
const BATCHES_IN_FLIGHT = 4
/** How often a paused broadcast's job looks again (resume also wakes it at once). */
const PAUSED_POLL_MS = 60_000

/**
 * The `journeys.broadcast` job: one per broadcast, so a broadcast is never worked on twice at once.
 * Each pass either fans out a page of the audience into the outbox (one row and idempotency key
 * per person, due at the send time or at their local time) or delivers the sends that are due,
 * as many as the rate limit's token bucket allows (bursts up to one second's worth). The job
 * re-arms itself for the next pass and finishes when nothing is left to send.
 */
export async function runBroadcastPass(ctx: EngineContext, job: Job): Promise<void | { reschedule: number }> {
  const { broadcastId } = job.payload as { broadcastId: string }
  const { db } = ctx.database
  const now = ctx.clock.now()
  const b = await db.selectFrom('broadcasts').selectAll().where('id', '=', broadcastId).executeTakeFirst()
  if (!b || b.status === 'completed' || b.status === 'cancelled') return
  if (b.status === 'paused') return { reschedule: now + PAUSED_POLL_MS }
  const spec = readJson<BroadcastSpec>(b.spec, null as unknown as BroadcastSpec)

  if (b.fanout_done !== 1) {
    const members = await ctx.ports.audiences.members(b.workspace_id, b.audience_id, { after: b.fanout_cursor, limit: FANOUT_PAGE })
    const due = await dueTimes(ctx, b.workspace_id, members, Number(b.send_at), spec.localTime, now)
    const rows = members.map((profileId, i) => outboxRow(b.workspace_id, { key: `bc:${broadcastId}:${profileId}`, profileId, category: spec.category, attribution: { broadcastId } }, { state: 'queued', dueAt: due[i]! }, now))
    await db.transaction().execute(async (trx) => {
      const inserted = await insertOutboxRows(trx, ctx.database.dialect, rows)
      await trx
        .updateTable('broadcasts')
        .set({
          status: 'sending',
          total: sql`total + ${inserted.size}`,
          fanout_cursor: members.length > 0 ? members[members.length - 1]! : b.fanout_cursor,
          fanout_done: members.length < FANOUT_PAGE ? 1 : 0,
          updated_at: now,
        })
        .where('id', '=', broadcastId)
        .execute()
    })
    return { reschedule: now }
  }

  // Token bucket, in thousandths of a message: refills at the rate, holds at most one second's worth.
  const rate = b.rate_per_second
  let tokens = Number(b.rate_tokens)
  if (rate) tokens = Math.min(rate * 1000, tokens + Math.max(0, now - Number(b.rate_at)) * rate)
  const allowance = rate ? Math.min(SEND_BATCH * BATCHES_IN_FLIGHT, Math.floor(tokens / 1000)) : SEND_BATCH * BATCHES_IN_FLIGHT
  if (rate && allowance === 0) {
    await db.updateTable('broadcasts').set({ rate_tokens: tokens, rate_at: now }).where('id', '=', broadcastId).execute()
    return { reschedule: now + Math.ceil((1000 - tokens) / rate) }
  }

  const rows = await db
    .selectFrom('journey_sends')
    .select(['key', 'profile_id', 'state', 'channel', 'attempts'])
    .where('broadcast_id', '=', broadcastId)
    .where('state', 'in', ['queued', 'sending'])
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(allowance)
    .execute()
  if (rows.length > 0) {
    const items: DeliveryItem[] = rows.map((r) => ({
      key: r.key,
      profileId: r.profile_id,
      category: spec.category,
      preferred: [spec.channel, ...spec.fallback],
      message: spec.message,
      context: {},
      attribution: { broadcastId },
      state: r.state === 'sending' ? 'sending' : 'queued',
      channel: r.channel,
      attempts: r.attempts,
    }))
    const batches: DeliveryItem[][] = []
    for (let i = 0; i < items.length; i += SEND_BATCH) batches.push(items.slice(i, i + SEND_BATCH))
    await Promise.all(batches.map((batch) => deliver({ database: ctx.database, clock: ctx.clock, sender: ctx.ports.sender, logger: ctx.logger }, b.workspace_id, batch)))
    if (rate) tokens -= rows.length * 1000
    await db.updateTable('broadcasts').set({ rate_tokens: tokens, rate_at: now, updated_at: ctx.clock.now() }).where('id', '=', broadcastId).execute()
    return { reschedule: ctx.clock.now() }
  }

  const next = await db
    .selectFrom('journey_sends')
    .select((eb) => eb.fn.min('due_at').as('at'))
    .where('broadcast_id', '=', broadcastId)
    .where('state', 'in', ['queued', 'sending'])
    .executeTakeFirst()
  if (next?.at !== null && next?.at !== undefined) return { reschedule: Number(next.at) }
  await db.updateTable('broadcasts').set({ status: 'completed', finished_at: now, updated_at: now }).where('id', '=', broadcastId).where('status', '=', 'sending').execute()
}

/** Each member's send time: the broadcast's instant, or their local wall time (now if it has passed). */
async function dueTimes(ctx: EngineContext, workspaceId: string, members: readonly string[], sendAt: number, localTime: string | null, now: number): Promise<number[]> {
  if (!localTime) return members.map(() => Math.max(sendAt, 0))
  const { db } = ctx.database
  const zone = await workspaceTimeZone(db, workspaceId)
  const people = await loadPeople(db, workspaceId, members, zone)
  const [date, time] = localTime.split('T') as [string, string]
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const [hour, minute, second] = time.split(':').map(Number) as [number, number, number | undefined]
  return members.map((id) => {
    const at = zonedTimeToUtc({ year, month, day, hour, minute, second: Math.floor(second ?? 0) }, people.get(id)?.timeZone ?? zone)
    return Math.max(at, now)
  })
}
