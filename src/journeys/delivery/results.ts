import { CompiledQuery, sql, type Kysely } from 'kysely'
import { chunked, type DialectName, type Schema } from '../../platform/index.ts'
import { appendSystemEvents, type SystemEvent } from '../../ingest/index.ts'
import { recordFacts, type Fact } from '../engine/facts.ts'
import type { SendAttribution } from '../ports.ts'
import type { DeliveryItem, Settlement } from './deliver.ts'

/** Outbox states a result may still change (a settled send is never rewritten). */
const OPEN_STATES = ['queued', 'sending']

/** Writes results to the outbox, the facts and (for blocked sends) the log. */
export async function writeResults(trx: Kysely<Schema>, dialect: DialectName, workspaceId: string, settlements: readonly Settlement[], now: number): Promise<void> {
  if (settlements.length === 0) return
  const facts: Fact[] = []
  const events: SystemEvent[] = []
  const sent = settlements.filter((s) => s.result.kind === 'sent')
  for (const part of chunked(sent, 500)) {
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
