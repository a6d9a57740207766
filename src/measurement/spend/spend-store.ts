import type { Kysely } from 'kysely'
import { chunked, insertRows, type Database, type Schema } from '../../platform/index.ts'
import type { SpendRecord } from './spend-row.ts'

/** How a set of spend rows landed: new day-campaign rows, and rows that replaced earlier imports. */
export interface SpendStoreOutcome {
  stored: number
  replaced: number
}

/**
 * Stores spend rows, one per day, channel and campaign: a row that exists is replaced, so
 * importing a corrected or repeated export never counts a day twice. One transaction: all or
 * nothing.
 *
 * @example await storeSpend(database, { workspaceId, records, source: 'spend.csv', now: Date.now() })
 */
export async function storeSpend(database: Database, input: { workspaceId: string; records: readonly SpendRecord[]; source: string | null; now: number }): Promise<SpendStoreOutcome> {
  const { workspaceId, records } = input
  if (records.length === 0) return { stored: 0, replaced: 0 }
  return database.db.transaction().execute(async (trx) => {
    const keys = new Set(records.map(keyOf))
    let replaced = 0
    const dates = [...new Set(records.map((r) => r.date))]
    for (const part of chunked(dates, 1000)) {
      const existing = await trx
        .selectFrom('measurement_spend')
        .select(['date', 'channel', 'campaign'])
        .where('workspace_id', '=', workspaceId)
        .where('date', 'in', part)
        .execute()
      for (const row of existing) if (keys.has(keyOf(row))) replaced++
    }
    await insertRows(
      trx,
      database.dialect,
      'measurement_spend',
      ['workspace_id', 'date', 'channel', 'campaign', 'impressions', 'clicks', 'cost_minor', 'currency', 'source', 'updated_at'],
      records.map((r) => [workspaceId, r.date, r.channel, r.campaign, r.impressions, r.clicks, r.costMinor, r.currency, input.source, input.now]),
      { upsertOn: ['workspace_id', 'date', 'channel', 'campaign'] },
    )
    return { stored: records.length, replaced }
  })
}

function keyOf(r: { date: string; channel: string; campaign: string }): string {
  return `${r.date}\u0000${r.channel}\u0000${r.campaign}`
}

export interface SpendQuery {
  workspaceId: string
  /** Inclusive dates, YYYY-MM-DD. */
  fromDate: string
  toDate: string
  channel?: string
}

/**
 * Spend summed per channel and campaign over a date range, per currency.
 *
 * @example await spendTotals(db, { workspaceId, fromDate: '2025-03-01', toDate: '2025-03-31' })
 */
export async function spendTotals(db: Kysely<Schema>, query: SpendQuery): Promise<(Omit<SpendRecord, 'date'> & { days: number })[]> {
  let q = db
    .selectFrom('measurement_spend')
    .select((eb) => [
      'channel',
      'campaign',
      'currency',
      eb.fn.sum<number>('impressions').as('impressions'),
      eb.fn.sum<number>('clicks').as('clicks'),
      eb.fn.sum<number>('cost_minor').as('cost_minor'),
      eb.fn.count<number>('date').as('days'),
    ])
    .where('workspace_id', '=', query.workspaceId)
    .where('date', '>=', query.fromDate)
    .where('date', '<=', query.toDate)
  if (query.channel) q = q.where('channel', '=', query.channel)
  const rows = await q.groupBy(['channel', 'campaign', 'currency']).orderBy('channel').orderBy('campaign').execute()
  return rows.map((r) => ({
    channel: r.channel,
    campaign: r.campaign,
    currency: r.currency,
    impressions: Number(r.impressions),
    clicks: Number(r.clicks),
    costMinor: Number(r.cost_minor),
    days: Number(r.days),
  }))
}

/** Daily spend per channel over a date range (for media-mix models). */
export async function dailySpend(db: Kysely<Schema>, query: SpendQuery): Promise<{ date: string; channel: string; costMinor: number; impressions: number; currency: string }[]> {
  const rows = await db
    .selectFrom('measurement_spend')
    .select((eb) => ['date', 'channel', 'currency', eb.fn.sum<number>('cost_minor').as('cost_minor'), eb.fn.sum<number>('impressions').as('impressions')])
    .where('workspace_id', '=', query.workspaceId)
    .where('date', '>=', query.fromDate)
    .where('date', '<=', query.toDate)
    .groupBy(['date', 'channel', 'currency'])
    .orderBy('date')
    .execute()
  return rows.map((r) => ({ date: r.date, channel: r.channel, currency: r.currency, costMinor: Number(r.cost_minor), impressions: Number(r.impressions) }))
}

/** A page of stored rows, by date then channel and campaign; `cursor` continues after the last. */
export async function listSpend(
  db: Kysely<Schema>,
  query: SpendQuery & { limit: number; cursor?: string },
): Promise<{ items: SpendRecord[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('measurement_spend')
    .selectAll()
    .where('workspace_id', '=', query.workspaceId)
    .where('date', '>=', query.fromDate)
    .where('date', '<=', query.toDate)
  if (query.channel) q = q.where('channel', '=', query.channel)
  if (query.cursor) {
    const [date, channel, campaign] = decodeCursor(query.cursor)
    q = q.where((eb) =>
      eb.or([
        eb('date', '>', date),
        eb.and([eb('date', '=', date), eb('channel', '>', channel)]),
        eb.and([eb('date', '=', date), eb('channel', '=', channel), eb('campaign', '>', campaign)]),
      ]),
    )
  }
  const rows = await q.orderBy('date').orderBy('channel').orderBy('campaign').limit(query.limit + 1).execute()
  const items = rows.slice(0, query.limit).map((r) => ({
    date: r.date,
    channel: r.channel,
    campaign: r.campaign,
    impressions: Number(r.impressions),
    clicks: Number(r.clicks),
    costMinor: Number(r.cost_minor),
    currency: r.currency,
  }))
  const last = items.at(-1)
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.date, last.channel, last.campaign]) : null }
}

/** Deletes the rows of a date range (and channel); returns how many went. */
export async function deleteSpend(db: Kysely<Schema>, query: SpendQuery): Promise<number> {
  let q = db.deleteFrom('measurement_spend').where('workspace_id', '=', query.workspaceId).where('date', '>=', query.fromDate).where('date', '<=', query.toDate)
  if (query.channel) q = q.where('channel', '=', query.channel)
  const result = await q.executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Thrown for a cursor that was not made by {@link listSpend}. */
export class InvalidSpendCursor extends Error {}

function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url')
}

function decodeCursor(cursor: string): [string, string, string] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(parts) && parts.length === 3 && parts.every((p) => typeof p === 'string')) return parts as [string, string, string]
  } catch {
    // fall through
  }
  throw new InvalidSpendCursor('the cursor is not one this API returned; start again without it')
}
