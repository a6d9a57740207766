import type { Transaction } from 'kysely'
import type { Logger } from 'pino'
import { chunked, type Clock, type Database, type Schema } from '../../platform/index.ts'
import type { Category, MessageSpec } from '../definition/schema.ts'
import type { ChannelChoice, MessageSender, SendAttribution, SendOutcome, SendRequest } from '../ports.ts'
import { sendSettings } from '../guard-rails/settings.ts'
import { quietHoursAt } from '../guard-rails/quiet-hours.ts'
import { decideCaps, lockPeople, type CapCandidate } from '../guard-rails/frequency-caps.ts'
import { loadPeople, type Person } from './people.ts'
import { mapLimit } from './map-limit.ts'
import { insertOutboxRows, outboxRow } from './outbox.ts'
import { writeResults } from './results.ts'

/** Sends whose delivery keeps failing are given up after this many provider calls. */
export const MAX_SEND_ATTEMPTS = 5

/**
 * One send to decide and deliver. Its outbox row (`journey_sends`, keyed by `key`) already exists,
 * or, for a `new` one, is written with its decision (see `DeliveryOptions.stage`).
 */
export interface DeliveryItem {
  key: string
  profileId: string
  category: Category
  /** The channel asked for, then its fallbacks. */
  preferred: readonly string[]
  message: MessageSpec
  context: Record<string, unknown>
  attribution: SendAttribution
  /**
   * `queued`: guard rails still to apply. `new`: the same, its outbox row not written yet.
   * `sending`: let through earlier, outcome unknown (a crash, a retry).
   */
  state: 'new' | 'queued' | 'sending'
  channel: string | null
  attempts: number
  /** Filled while deciding: the person's surviving profile and traits, handed to the sender. */
  person?: { profileId: string; traits: Record<string, unknown> }
}

export type DeliveryResult =
  | { kind: 'sent'; channel: string; providerMessageId: string | null; logged?: boolean }
  | { kind: 'blocked'; reason: string; detail: string | null; logged?: boolean }
  | { kind: 'failed'; reason: string }
  | { kind: 'held'; until: number; reason: string }
  | { kind: 'retry'; at: number; reason: string }

export interface Settlement {
  item: DeliveryItem
  result: DeliveryResult
}

export interface DeliveryOptions {
  database: Database
  clock: Clock
  sender: MessageSender
  logger: Logger
  /** Runs in the transaction that records results (a journey moves its run on there). */
  onSettled?: (trx: Transaction<Schema>, settlements: Settlement[]) => Promise<void>
  /**
   * Needed for `new` items: runs first in the transaction that decides them, and answers the keys
   * that may go on (a journey moves their runs to `sending` there). Their outbox rows are then
   * written in that transaction — `sending` when let through — so the key is stored, with the
   * decision, before any provider call. A `new` item not answered, or whose key turns out to be
   * stored already, is left out of this delivery (no result).
   */
  stage?: (trx: Transaction<Schema>, items: DeliveryItem[]) => Promise<Set<string>>
  /** Provider calls in flight at once when the sender has no batch call. */
  concurrency?: number
}

/**
 * Delivers sends with every guard rail, exactly once per key:
 *
 * 1. decide (one transaction): the channel (the sender's `resolveChannel`: preference, fallback,
 *    reachability), quiet hours (hold or skip), frequency caps (counted per person's calendar day,
 *    serialised per person); the row moves `queued → sending` with the decision time (a `new` one
 *    is written so), or to `blocked` with its reason (a `Message Blocked` event and a fact), or is
 *    held to a later time;
 * 2. call the sender with the row's idempotency key — stored before this call, so a retry after a
 *    crash repeats the same key and the sender delivers once;
 * 3. record (one transaction): `sent`, `blocked` by the channel (consent), a retry later, or
 *    `failed` after `MAX_SEND_ATTEMPTS`.
 *
 * Returns every item's result. Never throws for one bad send: a thrown sender error is a
 * retryable failure of that send.
 */
export async function deliver(options: DeliveryOptions, workspaceId: string, items: readonly DeliveryItem[]): Promise<Settlement[]> {
  const settled: Settlement[] = []
  const toSend: DeliveryItem[] = items.filter((i) => i.state === 'sending')
  const queued = items.filter((i) => i.state === 'queued' || i.state === 'new')
  if (queued.length > 0) {
    const { approved, decided } = await decide(options, workspaceId, queued)
    settled.push(...decided)
    toSend.push(...approved)
  }
  if (toSend.length === 0) return settled

  const requests: SendRequest[] = toSend.map((item) => ({
    workspaceId,
    profileId: item.profileId,
    ...(item.person ? { person: item.person } : {}),
    idempotencyKey: item.key,
    channel: item.channel!,
    category: item.category,
    message: item.message,
    context: item.context,
    attribution: item.attribution,
  }))
  const outcomes = await callSender(options, requests)
  const now = options.clock.now()
  const results: Settlement[] = toSend.map((item, i) => ({ item, result: resultOf(outcomes[i]!, item, now) }))
  await options.database.db.transaction().execute(async (trx) => {
    await writeResults(trx, options.database.dialect, workspaceId, results, now)
    if (options.onSettled) await options.onSettled(trx, results)
  })
  settled.push(...results)
  return settled
}

async function decide(options: DeliveryOptions, workspaceId: string, queued: DeliveryItem[]): Promise<{ approved: DeliveryItem[]; decided: Settlement[] }> {
  const { db, dialect } = options.database
  const now = options.clock.now()
  const { rails, timeZone: zone } = await sendSettings(db, workspaceId)
  const people = await loadPeople(db, workspaceId, queued.map((i) => i.profileId), zone)
  const choices = await mapLimit(queued, options.concurrency ?? 16, async (item): Promise<ChannelChoice> => {
    const person = people.get(item.profileId)
    if (!person) return { kind: 'unreachable', reason: 'profile_deleted' }
    try {
      return await options.sender.resolveChannel({ workspaceId, profileId: person.profileId, preferred: item.preferred, category: item.category })
    } catch (error) {
      options.logger.warn({ err: error, key: item.key }, 'resolving the channel failed; the send is retried')
      return { kind: 'unreachable', reason: `error:${(error as Error).message}` }
    }
  })

  const decided: Settlement[] = []
  const candidates: Array<{ item: DeliveryItem; channel: string; person: Person }> = []
  // Quiet hours depend on the zone, channel and category only: decided once for each.
  const quietFor = new Map<string, ReturnType<typeof quietHoursAt>>()
  const quietAt = (timeZone: string, channel: string, category: string) => {
    const key = `${timeZone}\u0000${channel}\u0000${category}`
    let quiet = quietFor.get(key)
    if (!quiet) quietFor.set(key, (quiet = quietHoursAt(now, timeZone, rails.quietHours, channel, category)))
    return quiet
  }
  queued.forEach((item, i) => {
    const choice = choices[i]!
    const person = people.get(item.profileId)
    if (choice.kind === 'unreachable') {
      if (choice.reason.startsWith('error:')) decided.push({ item, result: { kind: 'retry', at: now + backoff(item.attempts + 1), reason: choice.reason } })
      else decided.push({ item, result: { kind: 'blocked', reason: choice.reason, detail: choice.detail ?? null } })
      return
    }
    const quiet = quietAt(person!.timeZone, choice.channel, item.category)
    if (quiet.kind === 'hold') decided.push({ item, result: { kind: 'held', until: quiet.until, reason: 'quiet_hours' } })
    else if (quiet.kind === 'skip') decided.push({ item, result: { kind: 'blocked', reason: 'quiet_hours', detail: quiet.window } })
    else candidates.push({ item, channel: choice.channel, person: person! })
  })

  const approved: DeliveryItem[] = []
  let settled: Settlement[] = []
  await db.transaction().execute(async (trx) => {
    // `new` items first: those the caller does not stage (a journey run another driver moved) are left out.
    const fresh = queued.filter((i) => i.state === 'new')
    if (fresh.length > 0 && !options.stage) throw new Error('deliver: sends without an outbox row (state `new`) need a `stage` hook')
    const staged = fresh.length > 0 ? await options.stage!(trx, fresh) : new Set<string>()
    const left = new Set(fresh.filter((i) => !staged.has(i.key)).map((i) => i.key))
    const live = candidates.filter((c) => !left.has(c.item.key))
    await lockPeople(trx, dialect, workspaceId, live.map((c) => c.person.profileId))
    const capCandidates: CapCandidate[] = live.map((c) => ({ key: c.item.key, profileId: c.person.profileId, channel: c.channel, category: c.item.category, timeZone: c.person.timeZone }))
    const capped = await decideCaps(trx, { workspaceId, candidates: capCandidates, caps: rails.frequencyCaps, now })
    const byChannel = new Map<string, string[]>()
    const channelOf = new Map<string, string>()
    for (const c of live) {
      const cap = capped.get(c.item.key)
      if (cap) {
        decided.push({ item: c.item, result: { kind: 'blocked', reason: 'frequency_cap', detail: cap } })
        continue
      }
      if (c.item.state === 'new') {
        channelOf.set(c.item.key, c.channel)
        continue
      }
      const keys = byChannel.get(c.channel) ?? []
      keys.push(c.item.key)
      byChannel.set(c.channel, keys)
    }
    // Staged rows are written with their decision: let through (`sending`), or `queued` for the
    // result below to settle. A key already stored is left out: its row says what happened.
    const stagedItems = fresh.filter((i) => staged.has(i.key))
    const claimed = await insertOutboxRows(
      trx,
      dialect,
      stagedItems.map((i) => {
        const channel = channelOf.get(i.key)
        return outboxRow(workspaceId, i, channel ? { state: 'sending', channel } : { state: 'queued', dueAt: now }, now)
      }),
    )
    for (const i of stagedItems) if (!claimed.has(i.key)) left.add(i.key)
    for (const [channel, keys] of byChannel) {
      for (const part of chunked(keys, 500)) {
        const rows = await trx
          .updateTable('journey_sends')
          .set({ state: 'sending', channel, decided_at: now, updated_at: now })
          .where('key', 'in', part)
          .where('state', '=', 'queued')
          .returning('key')
          .execute()
        for (const r of rows) claimed.add(r.key)
      }
    }
    for (const c of live) if (claimed.has(c.item.key) && (c.item.state !== 'new' || channelOf.has(c.item.key))) approved.push({ ...c.item, channel: c.channel, state: 'sending', person: { profileId: c.person.profileId, traits: c.person.traits } })
    // A row another worker already took (not `queued` any more) is left to it.
    settled = decided.filter((s) => !left.has(s.item.key))
    await writeResults(trx, dialect, workspaceId, settled, now)
    if (options.onSettled && settled.length > 0) await options.onSettled(trx, settled)
  })
  // Sends decided after a restart may belong to people since merged: deliver to the survivor.
  for (const item of approved) item.profileId = people.get(item.profileId)?.profileId ?? item.profileId
  return { approved, decided: settled }
}

async function callSender(options: DeliveryOptions, requests: SendRequest[]): Promise<SendOutcome[]> {
  const guarded = async (fn: () => Promise<SendOutcome>): Promise<SendOutcome> => {
    try {
      return await fn()
    } catch (error) {
      return { kind: 'failed', retryable: true, reason: (error as Error).message || String(error) }
    }
  }
  if (options.sender.sendBatch && requests.length > 1) {
    try {
      const outcomes = await options.sender.sendBatch(requests)
      if (outcomes.length !== requests.length) throw new Error(`sendBatch answered ${outcomes.length} outcomes for ${requests.length} requests`)
      return outcomes
    } catch (error) {
      const reason = (error as Error).message || String(error)
      return requests.map(() => ({ kind: 'failed', retryable: true, reason }))
    }
  }
  return mapLimit(requests, options.concurrency ?? 16, (r) => guarded(() => options.sender.send(r)))
}

function resultOf(outcome: SendOutcome, item: DeliveryItem, now: number): DeliveryResult {
  if (outcome.kind === 'sent') return { kind: 'sent', channel: outcome.channel, providerMessageId: outcome.providerMessageId, logged: outcome.logged }
  if (outcome.kind === 'blocked') return { kind: 'blocked', reason: outcome.reason, detail: null, logged: outcome.logged }
  const attempts = item.attempts + 1
  if (outcome.retryable && attempts < MAX_SEND_ATTEMPTS) return { kind: 'retry', at: now + backoff(attempts), reason: outcome.reason }
  return { kind: 'failed', reason: outcome.reason }
}

/** 30 s, 1 min, 2 min, 4 min… capped at an hour. */
function backoff(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1))
}
