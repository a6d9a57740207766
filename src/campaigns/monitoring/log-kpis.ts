import { sql, type Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import type { GoalMetric } from '../plan/schema.ts'
import { scanCredits } from './credit-scan.ts'
import { creditsAnswer, type CreditQuery, type Credits } from './last-touch.ts'

/**
 * The campaign's KPIs read straight from the event log for a window [from, to):
 *
 * - reach — distinct people with any event (a merged profile counts once: its canonical id);
 * - traffic — page and screen views, and distinct visitors, by source (`events.channel`, or
 *   `direct` when the event names none);
 * - leads — distinct people with a lead event (`Signed Up`, `$SignUp`, `Lead Generated` unless
 *   the plan lists others);
 * - conversions — conversion events (`Order Completed` unless the plan lists others);
 * - revenue — the sum of `order_minor` of orders in the campaign's currency;
 * - new customers — people whose first order ever falls in the window.
 *
 * `sources` narrows reach and traffic to events from those channels (a goal about one channel).
 */
export interface LogKpis {
  reach: number
  traffic: { views: number; visitors: number; bySource: Array<{ source: string; views: number; visitors: number }> }
  leads: number
  conversions: number
  revenueMinor: number
  /** Orders in other currencies, left out of revenue. */
  otherCurrencies: Record<string, number>
  newCustomers: number
}

export interface KpiQuery {
  workspaceId: string
  from: number
  to: number
  currency: string
  leadEvents: readonly string[]
  conversionEvents: readonly string[]
  sources?: readonly string[]
}

type Db = Kysely<Schema>

const person = sql`coalesce(p.merged_into, e.profile_id)`
const visitor = sql`coalesce(p.merged_into, e.profile_id, e.anonymous_id)`
const fromEvents = sql`events e left join profiles p on p.workspace_id = e.workspace_id and p.id = e.profile_id`

function inList(values: readonly string[]) {
  return sql.join(values.map((v) => sql`${v}`))
}

/** The window's filter, and with `sources` the narrower one for reach and traffic. */
function filters(q: KpiQuery) {
  const window = sql`e.workspace_id = ${q.workspaceId} and e.timestamp >= ${q.from} and e.timestamp < ${q.to}`
  const scoped = q.sources && q.sources.length > 0 ? sql`${window} and lower(e.channel) in (${inList(q.sources.map((s) => s.toLowerCase()))})` : window
  return { window, scoped }
}

async function reachOf(db: Db, q: KpiQuery): Promise<number> {
  const r = await sql<{ n: number }>`select count(distinct ${person}) as n from ${fromEvents} where ${filters(q).scoped} and e.profile_id is not null`.execute(db)
  return Number(r.rows[0]?.n ?? 0)
}

async function trafficOf(db: Db, q: KpiQuery): Promise<LogKpis['traffic']> {
  // One pass: views per source and visitor, from which both the per-source and the overall
  // distinct visitors follow (a visitor seen from two sources counts once overall).
  const rows = await sql<{ source: string; visitor: string | null; views: number }>`select coalesce(e.channel, 'direct') as source, ${visitor} as visitor, count(*) as views
    from ${fromEvents} where ${filters(q).scoped} and e.type in ('page', 'screen') group by coalesce(e.channel, 'direct'), ${visitor}`.execute(db)
  const sources = new Map<string, { views: number; visitors: number }>()
  const everyone = new Set<string>()
  for (const r of rows.rows) {
    const row = sources.get(r.source) ?? { views: 0, visitors: 0 }
    row.views += Number(r.views)
    if (r.visitor !== null) {
      row.visitors += 1
      everyone.add(r.visitor)
    }
    sources.set(r.source, row)
  }
  const bySource = [...sources].map(([source, r]) => ({ source, views: r.views, visitors: r.visitors })).sort((a, b) => b.views - a.views || (a.source < b.source ? -1 : 1))
  return { views: bySource.reduce((s, r) => s + r.views, 0), visitors: everyone.size, bySource }
}

async function leadsOf(db: Db, q: KpiQuery): Promise<number> {
  if (q.leadEvents.length === 0) return 0
  // count(distinct) skips events with no person; leaving out a `profile_id is not null` test
  // lets the database walk the (workspace, event, timestamp) index instead of every event.
  const r = await sql<{ n: number }>`select count(distinct ${person}) as n from ${fromEvents} where ${filters(q).window} and e.event in (${inList(q.leadEvents)})`.execute(db)
  return Number(r.rows[0]?.n ?? 0)
}

async function conversionsOf(db: Db, q: KpiQuery): Promise<number> {
  if (q.conversionEvents.length === 0) return 0
  const r = await sql<{ n: number }>`select count(*) as n from events e where ${filters(q).window} and e.event in (${inList(q.conversionEvents)})`.execute(db)
  return Number(r.rows[0]?.n ?? 0)
}

async function revenueOf(db: Db, q: KpiQuery): Promise<{ revenueMinor: number; otherCurrencies: Record<string, number> }> {
  const r = await sql<{ currency: string; amount: number }>`select e.order_currency as currency, sum(e.order_minor) as amount from events e
    where ${filters(q).window} and e.order_minor is not null group by e.order_currency`.execute(db)
  const otherCurrencies: Record<string, number> = {}
  let revenueMinor = 0
  for (const row of r.rows) {
    if (row.currency === q.currency) revenueMinor += Number(row.amount)
    else otherCurrencies[row.currency ?? 'unknown'] = Number(row.amount)
  }
  return { revenueMinor, otherCurrencies }
}

async function newCustomersOf(db: Db, q: KpiQuery): Promise<number> {
  // Orders without a person are dropped after grouping, so the orders-only index is the one read.
  const r = await sql<{ n: number }>`select count(*) as n from (
      select ${person} as person, min(e.timestamp) as first_order from ${fromEvents}
      where e.workspace_id = ${q.workspaceId} and e.order_minor is not null
      group by ${person}
    ) firsts where person is not null and first_order >= ${q.from} and first_order < ${q.to}`.execute(db)
  return Number(r.rows[0]?.n ?? 0)
}

/**
 * @example
 * const kpis = await logKpis(db, { workspaceId, from, to, currency: 'CNY', leadEvents: ['Signed Up'], conversionEvents: ['Order Completed'] })
 * kpis.revenueMinor // fen
 */
export async function logKpis(db: Db, q: KpiQuery): Promise<LogKpis> {
  const [reach, traffic, leads, conversions, revenue, newCustomers] = await Promise.all([reachOf(db, q), trafficOf(db, q), leadsOf(db, q), conversionsOf(db, q), revenueOf(db, q), newCustomersOf(db, q)])
  return { reach, traffic, leads, conversions, ...revenue, newCustomers }
}

/**
 * One KPI from the log, running only the query it needs (a goal scoped to a channel or with its
 * own deadline asks for one number, not the whole set). ROI and CAC also need spend: their log
 * part is revenue or new customers.
 */
export async function logMetric(db: Db, q: KpiQuery, metric: GoalMetric): Promise<Partial<LogKpis>> {
  switch (metric) {
    case 'reach':
      return { reach: await reachOf(db, q) }
    case 'traffic':
      return { traffic: await trafficOf(db, q) }
    case 'leads':
      return { leads: await leadsOf(db, q) }
    case 'conversions':
      return { conversions: await conversionsOf(db, q) }
    case 'revenue':
    case 'roi':
      return revenueOf(db, q)
    case 'new_customers':
    case 'cac':
      return { newCustomers: await newCustomersOf(db, q) }
  }
}

/**
 * Conversions and their revenue credited to the plan's channels by last touch: the latest event
 * from one of a channel's sources (`events.channel`) by the same person at most `lookbackMs`
 * before the conversion (the conversion itself excluded). Conversions with no such touch are
 * `unattributed`. A simple, explainable model; measurement's models are for the review. The rule
 * is in `last-touch.ts`, shared with the kept read that extends it (`incremental-credits.ts`).
 */
export async function lastTouchCredits(db: Db, q: CreditQuery): Promise<Credits> {
  return creditsAnswer(await scanCredits(db, q))
}
