import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely'
import type { Logger } from 'pino'
import type { Clock, Database, DialectName, Schema } from '../../platform/index.ts'
import { appendSystemEvents, type SystemEvent } from '../../ingest/index.ts'
import type { Category, MessageSpec } from '../definition/schema.ts'
import type { ChannelChoice, MessageSender, SendAttribution, SendOutcome, SendRequest } from '../ports.ts'
import { recordFacts, type Fact } from '../engine/facts.ts'
import { sendSettings } from '../guard-rails/settings.ts'
import { quietHoursAt } from '../guard-rails/quiet-hours.ts'
import { decideCaps, lockPeople, type CapCandidate } from '../guard-rails/frequency-caps.ts'
import { loadPeople, type Person } from './people.ts'
import { mapLimit } from './map-limit.ts'

/** Outbox states a result may still change (a settled send is never rewritten). */
const OPEN_STATES = ['queued', 'sending']

/** Sends whose delivery keeps failing are given up after this many provider calls. */
export const MAX_SEND_ATTEMPTS = 5

/** One send to decide and deliver. Its outbox row (`journey_sends`, keyed by `key`) already exists. */
export interface DeliveryItem {
  key: string
  profileId: string
  category: Category
  /** The channel asked for, then its fallbacks. */
  preferred: readonly string[]
  message: MessageSpec
  context: Record<string, unknown>
  attribution: SendAttribution
  /** `queued`: guard rails still to apply. `sending`: let through earlier, outcome unknown (a crash, a retry). */
  state: 'queued' | 'sending'
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
  /** Provider calls in flight at once when the sender has no batch call. */
  concurrency?: number
}

/**
 * Delivers sends with every guard rail, exactly once per key:
 *
 * 1. decide (one transaction): the channel (the sender's `resolveChannel`: preference, fallback,
 *    reachability), quiet hours (hold or skip), frequency caps (counted per person's calendar day,
 *    serialised per person); the row moves `queued → sending` with the decision time, or to
 *    `blocked` with its reason (a `Message Blocked` event and a fact), or is held to a later time;
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
  const queued = items.filter((i) => i.state === 'queued')
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
    await writeResults(trx, options, workspaceId, results, now)
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
  await db.transaction().execute(async (trx) => {
    await lockPeople(trx, dialect, workspaceId, candidates.map((c) => c.person.profileId))
    const capCandidates: CapCandidate[] = candidates.map((c) => ({ key: c.item.key, profileId: c.person.profileId, channel: c.channel, category: c.item.category, timeZone: c.person.timeZone }))
    const capped = await decideCaps(trx, { workspaceId, candidates: capCandidates, caps: rails.frequencyCaps, now })
    const byChannel = new Map<string, string[]>()
    for (const c of candidates) {
      const cap = capped.get(c.item.key)
      if (cap) {
        decided.push({ item: c.item, result: { kind: 'blocked', reason: 'frequency_cap', detail: cap } })
        continue
      }
      const keys = byChannel.get(c.channel) ?? []
      keys.push(c.item.key)
      byChannel.set(c.channel, keys)
    }
    const claimed = new Set<string>()
    for (const [channel, keys] of byChannel) {
      for (const part of chunks(keys)) {
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
    for (const c of candidates) if (claimed.has(c.item.key)) approved.push({ ...c.item, channel: c.channel, state: 'sending', person: { profileId: c.person.profileId, traits: c.person.traits } })
    // A row another worker already took (not `queued` any more) is left to it.
    await writeResults(trx, options, workspaceId, decided, now)
    if (options.onSettled && decided.length > 0) await options.onSettled(trx, decided)
  })
  // Sends decided after a restart may belong to people since merged: deliver to the survivor.
  for (const item of approved) item.profileId = people.get(item.profileId)?.profileId ?? item.profileId
  return { approved, decided }
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

/** Writes results to the outbox, the facts and (for blocked sends) the log. */
async function writeResults(trx: Kysely<Schema>, options: DeliveryOptions, workspaceId: string, settlements: readonly Settlement[], now: number): Promise<void> {
  if (settlements.length === 0) return
  const { dialect } = options.database
  const facts: Fact[] = []
  const events: SystemEvent[] = []
  const sent = settlements.filter((s) => s.result.kind === 'sent')
  for (const part of chunks(sent)) {
    await markSent(trx, dialect, part.map((s) => ({ key: s.item.key, ...(s.result as { channel: string; providerMessageId: string | null }) })), now)
  }
  for (const s of settlements) {
    const { item, result } = s
    const base = factBase(workspaceId, item, now)
    switch (result.kind) {
      case 'sent':
        facts.push({ ...base, kind: 'sent', detail: result.channel })
        if (!result.logged) {
          events.push({
            profileId: item.profileId,
            event: 'Message Sent',
            messageId: `sent:${item.key}`,
            timestamp: now,
            channel: result.channel,
            source: 'journeys',
            properties: { idempotencyKey: item.key, channel: result.channel, category: item.category, ...(result.providerMessageId ? { providerMessageId: result.providerMessageId } : {}), ...attributionProperties(item.attribution) },
          })
        }
        break
      case 'blocked':
        await trx
          .updateTable('journey_sends')
          .set({ state: 'blocked', reason: result.detail ? `${result.reason}: ${result.detail}` : result.reason, decided_at: null, updated_at: now })
          .where('key', '=', item.key)
          .where('state', 'in', OPEN_STATES)
          .execute()
        facts.push({ ...base, kind: 'blocked', detail: result.reason })
        if (result.logged) break
        events.push({
          profileId: item.profileId,
          event: 'Message Blocked',
          messageId: `blocked:${item.key}`,
          timestamp: now,
          channel: item.channel,
          source: 'journeys',
          properties: {
            reason: result.reason,
            ...(result.detail ? { detail: result.detail } : {}),
            idempotencyKey: item.key,
            category: item.category,
            channel: item.channel ?? item.preferred[0] ?? null,
            ...attributionProperties(item.attribution),
          },
        })
        break
      case 'held':
        await trx.updateTable('journey_sends').set({ due_at: result.until, reason: result.reason, updated_at: now }).where('key', '=', item.key).where('state', '=', 'queued').execute()
        facts.push({ ...base, kind: 'held', detail: result.reason })
        break
      case 'retry':
        await trx
          .updateTable('journey_sends')
          .set({ due_at: result.at, reason: result.reason.slice(0, 500), updated_at: now, attempts: item.state === 'sending' ? sql`attempts + 1` : sql`attempts` })
          .where('key', '=', item.key)
          .where('state', 'in', OPEN_STATES)
          .execute()
        break
      case 'failed':
        await trx
          .updateTable('journey_sends')
          .set({ state: 'failed', reason: result.reason.slice(0, 500), decided_at: null, updated_at: now, attempts: sql`attempts + 1` })
          .where('key', '=', item.key)
          .where('state', 'in', OPEN_STATES)
          .execute()
        facts.push({ ...base, kind: 'errored', detail: result.reason.slice(0, 200) })
        break
    }
  }
  await recordFacts(trx, dialect, facts)
  if (events.length > 0) await appendSystemEvents(trx, dialect, workspaceId, events, now)
}

/**
 * Marks many sends `sent`, each with its own provider id and channel, in one statement: an
 * UPDATE joined to a VALUES list (SQLite 3.33+ and PostgreSQL both have UPDATE … FROM), a primary
 * key lookup per row where a CASE over the batch would compare every row with every key.
 */
async function markSent(trx: Kysely<Schema>, dialect: DialectName, rows: Array<{ key: string; channel: string; providerMessageId: string | null }>, now: number): Promise<void> {
  if (rows.length === 0) return
  const params: unknown[] = [now, now]
  const tuples = rows.map((r) => {
    params.push(r.key, r.providerMessageId, r.channel)
    const n = params.length
    return dialect === 'postgres' ? `($${n - 2}::text, $${n - 1}::text, $${n}::text)` : '(?, ?, ?)'
  })
  const query =
    dialect === 'postgres'
      ? `update journey_sends as t set state = 'sent', sent_at = $1::bigint, updated_at = $2::bigint, attempts = t.attempts + 1, provider_id = v.provider, channel = v.channel from (values ${tuples.join(', ')}) as v(key, provider, channel) where t.key = v.key and t.state = 'sending'`
      : `update journey_sends set state = 'sent', sent_at = ?, updated_at = ?, attempts = attempts + 1, provider_id = v.column2, channel = v.column3 from (values ${tuples.join(', ')}) as v where journey_sends.key = v.column1 and journey_sends.state = 'sending'`
  await trx.executeQuery(CompiledQuery.raw(query, params))
}

function factBase(workspaceId: string, item: DeliveryItem, at: number): Omit<Fact, 'kind'> {
  const a = item.attribution
  return { workspaceId, journeyId: a.journeyId ?? null, version: a.version ?? null, nodeId: a.nodeId ?? null, broadcastId: a.broadcastId ?? null, runId: a.runId ?? null, sendKey: item.key, at }
}

function attributionProperties(a: SendAttribution): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (a.journeyId) out.journeyId = a.journeyId
  if (a.version !== undefined) out.journeyVersion = a.version
  if (a.nodeId) out.nodeId = a.nodeId
  if (a.broadcastId) out.broadcastId = a.broadcastId
  return out
}

function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
