import type { Kysely } from 'kysely'
import { readJson, type Schema } from '../platform/index.ts'
import { normaliseIdentifierValue } from '../identity/index.ts'

export interface ProfileView {
  id: string
  traits: Record<string, unknown>
  identities: Array<{ type: string; value: string }>
  firstSeen: string | null
  lastSeen: string | null
  eventCount: number
  orderCount: number
  lifetimeRevenue: { amountMinor: number; currency: string }
  revenueByCurrency: Record<string, number>
  channels: string[]
  /** Profiles that were merged into this one. */
  mergedFrom: string[]
  createdAt: string
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** The surviving profile for an id: merges are followed, so an old id still finds its person. */
export async function canonicalProfileId(db: Kysely<Schema>, workspaceId: string, id: string): Promise<string | null> {
  const row = await db.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  if (!row) return null
  return row.merged_into ?? row.id
}

/** The profile and every profile merged into it (events keep the id they were written with). */
export async function profileGroup(db: Kysely<Schema>, workspaceId: string, canonicalId: string): Promise<string[]> {
  const merged = await db.selectFrom('profiles').select('id').where('workspace_id', '=', workspaceId).where('merged_into', '=', canonicalId).execute()
  return [canonicalId, ...merged.map((r) => r.id)]
}

export async function getProfile(db: Kysely<Schema>, workspaceId: string, id: string): Promise<ProfileView | null> {
  const canonical = await canonicalProfileId(db, workspaceId, id)
  if (!canonical) return null
  const row = await db.selectFrom('profiles').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', canonical).executeTakeFirst()
  if (!row) return null
  const [identities, group, workspace] = await Promise.all([
    db.selectFrom('identities').select(['type', 'value']).where('workspace_id', '=', workspaceId).where('profile_id', '=', canonical).orderBy('type').orderBy('value').execute(),
    profileGroup(db, workspaceId, canonical),
    db.selectFrom('workspaces').select('settings').where('id', '=', workspaceId).executeTakeFirst(),
  ])
  const currency = readJson<{ currency?: string }>(workspace?.settings, {}).currency ?? 'CNY'
  const stats = await profileStats(db, workspaceId, group)
  return {
    id: row.id,
    traits: readJson(row.traits, {}),
    identities,
    firstSeen: iso(stats.firstSeen),
    lastSeen: iso(stats.lastSeen),
    eventCount: stats.eventCount,
    orderCount: stats.orderCount,
    lifetimeRevenue: { amountMinor: stats.revenueByCurrency[currency] ?? 0, currency },
    revenueByCurrency: stats.revenueByCurrency,
    channels: stats.channels,
    mergedFrom: group.slice(1),
    createdAt: new Date(row.created_at).toISOString(),
  }
}

export interface ProfileStats {
  firstSeen: number | null
  lastSeen: number | null
  eventCount: number
  orderCount: number
  revenueByCurrency: Record<string, number>
  /** Channels in the order the person first came through them. */
  channels: string[]
}

/**
 * A person's basics computed from the log over every profile merged into them — counts, first and
 * last seen, orders, lifetime revenue by currency, channels — so they are always consistent with
 * the events and cost nothing at ingest. Index-backed: `events(workspace_id, profile_id, timestamp)`.
 */
export async function profileStats(db: Kysely<Schema>, workspaceId: string, group: string[]): Promise<ProfileStats> {
  const scope = db.selectFrom('events').where('workspace_id', '=', workspaceId).where('profile_id', 'in', group)
  const [totals, revenue, channels] = await Promise.all([
    scope
      .select((eb) => [eb.fn.countAll<number>().as('events'), eb.fn.min('timestamp').as('first'), eb.fn.max('timestamp').as('last'), eb.fn.count<number>('order_minor').as('orders')])
      .executeTakeFirstOrThrow(),
    scope.select((eb) => ['order_currency', eb.fn.sum<number>('order_minor').as('amount')]).where('order_minor', 'is not', null).groupBy('order_currency').execute(),
    scope.select((eb) => ['channel', eb.fn.min('timestamp').as('first')]).where('channel', 'is not', null).groupBy('channel').orderBy('first').execute(),
  ])
  const revenueByCurrency: Record<string, number> = {}
  for (const r of revenue) if (r.order_currency) revenueByCurrency[r.order_currency] = Number(r.amount)
  return {
    firstSeen: totals.first === null ? null : Number(totals.first),
    lastSeen: totals.last === null ? null : Number(totals.last),
    eventCount: Number(totals.events),
    orderCount: Number(totals.orders),
    revenueByCurrency,
    channels: channels.map((c) => c.channel!),
  }
}

/** Finds the profile holding an identifier; the value is normalised as it was at ingest. */
export async function lookupProfile(db: Kysely<Schema>, workspaceId: string, type: string, value: string, defaultCountryCode = '86'): Promise<ProfileView | null> {
  const normalised = normaliseIdentifierValue(type, value, defaultCountryCode)
  if (normalised === null) return null
  const row = await db
    .selectFrom('identities')
    .select('profile_id')
    .where('workspace_id', '=', workspaceId)
    .where('value', '=', normalised)
    .where('type', '=', type)
    .executeTakeFirst()
  return row ? getProfile(db, workspaceId, row.profile_id) : null
}

export interface TimelineItem {
  messageId: string
  type: string
  event: string | null
  timestamp: string
  receivedAt: string
  channel: string | null
  properties: Record<string, unknown>
  traits?: Record<string, unknown>
  context: Record<string, unknown>
}

/**
 * A person's events, newest first, across every profile merged into them. The cursor is opaque
 * (timestamp and sequence of the last item), so pages stay stable while new events arrive.
 */
export async function profileTimeline(
  db: Kysely<Schema>,
  workspaceId: string,
  id: string,
  options: { limit: number; cursor?: string },
): Promise<{ items: TimelineItem[]; nextCursor: string | null } | null> {
  const canonical = await canonicalProfileId(db, workspaceId, id)
  if (!canonical) return null
  const group = await profileGroup(db, workspaceId, canonical)
  let query = db
    .selectFrom('events')
    .select(['seq', 'message_id', 'type', 'event', 'timestamp', 'received_at', 'channel', 'payload'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', group)
  const after = decodeCursor(options.cursor)
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('timestamp', '<', after.timestamp), eb.and([eb('timestamp', '=', after.timestamp), eb('seq', '<', after.seq)])]),
    )
  }
  const rows = await query.orderBy('timestamp', 'desc').orderBy('seq', 'desc').limit(options.limit + 1).execute()
  const page = rows.slice(0, options.limit)
  const items = page.map((r) => {
    const payload = readJson<Record<string, unknown>>(r.payload, {})
    const item: TimelineItem = {
      messageId: r.message_id,
      type: r.type,
      event: r.event,
      timestamp: new Date(r.timestamp).toISOString(),
      receivedAt: new Date(r.received_at).toISOString(),
      channel: r.channel,
      properties: (payload.properties as Record<string, unknown>) ?? {},
      context: (payload.context as Record<string, unknown>) ?? {},
    }
    if (payload.traits) item.traits = payload.traits as Record<string, unknown>
    return item
  })
  const last = page[page.length - 1]
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor(last.timestamp, last.seq) : null }
}

function encodeCursor(timestamp: number, seq: number): string {
  return Buffer.from(`${timestamp}:${seq}`).toString('base64url')
}

function decodeCursor(cursor: string | undefined): { timestamp: number; seq: number } | null {
  if (!cursor) return null
  const [t, s] = Buffer.from(cursor, 'base64url').toString('utf8').split(':')
  const timestamp = Number(t)
  const seq = Number(s)
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(seq)) throw new InvalidCursor()
  return { timestamp, seq }
}

export class InvalidCursor extends Error {
  constructor() {
    super('The cursor is not one this API returned')
  }
}

export interface MergeView {
  kind: string
  survivorId: string | null
  mergedId: string | null
  messageId: string | null
  identifiers: Array<{ type: string; value: string }>
  reason: string
  actor: string
  at: string
}

/** The audit of merges and refused links that involve this person, newest first. */
export async function profileMerges(db: Kysely<Schema>, workspaceId: string, id: string): Promise<MergeView[] | null> {
  const canonical = await canonicalProfileId(db, workspaceId, id)
  if (!canonical) return null
  const group = await profileGroup(db, workspaceId, canonical)
  const rows = await db
    .selectFrom('merges')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('survivor_id', 'in', group), eb('merged_id', 'in', group)]))
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute()
  return rows.map((r) => ({
    kind: r.kind,
    survivorId: r.survivor_id,
    mergedId: r.merged_id,
    messageId: r.message_id,
    identifiers: readJson(r.identifiers, []),
    reason: r.reason,
    actor: r.actor,
    at: new Date(r.created_at).toISOString(),
  }))
}
