import { z } from 'zod'
import type { Kysely } from 'kysely'
import { readJson, type Schema } from '../../platform/index.ts'
import { scanPersonEvents } from './person-log.ts'
import { firstTouch, loadTouches } from './touch-channel.ts'
import { Instant, isoOf, parseInstant, periodIndex, periodLabel } from './time-window.ts'

/**
 * Historical lifetime value: the order amounts (`order_minor`) each person has paid, in one
 * currency, summed per acquisition cohort (first-seen week or month) or acquisition channel (first
 * touch). Alongside the totals, a cumulative curve: average revenue per person within k periods of
 * their first-seen period.
 */
export const HistoricalLtvQuery = z.object({
  groupBy: z.enum(['cohort-week', 'cohort-month', 'channel']).default('cohort-month'),
  currency: z.string().length(3).optional().describe('ISO 4217 code; default the workspace currency'),
  asOf: Instant.optional(),
  periods: z.number().int().min(0).max(60).default(12).describe('Length of the cumulative curve, in the cohort period (months for channel groups)'),
})
export type HistoricalLtvQuery = z.infer<typeof HistoricalLtvQuery>

export interface LtvGroup {
  group: string
  people: number
  customers: number
  orders: number
  revenueMinor: number
  perPersonMinor: number
  perCustomerMinor: number | null
  /** Average cumulative revenue per person by the end of period k after the first-seen period. */
  cumulativePerPersonMinor: Array<{ period: number; minor: number; complete: boolean }>
}

export interface HistoricalLtvReport {
  currency: string
  asOf: string
  groupBy: HistoricalLtvQuery['groupBy']
  groups: LtvGroup[]
  total: LtvGroup
}

interface PersonValue {
  firstSeen: number
  orders: Array<{ at: number; minor: number }>
}

/** The workspace's reporting currency (settings.currency, CNY by default, as profiles use). */
export async function workspaceCurrency(db: Kysely<Schema>, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('workspaces').select('settings').where('id', '=', workspaceId).executeTakeFirst()
  return readJson<{ currency?: string }>(row?.settings, {}).currency ?? 'CNY'
}

/**
 * @example historicalLtv(db, workspaceId, HistoricalLtvQuery.parse({ groupBy: 'channel' }), Date.now())
 */
export async function historicalLtv(db: Kysely<Schema>, workspaceId: string, query: HistoricalLtvQuery, now: number): Promise<HistoricalLtvReport> {
  const asOf = query.asOf ? parseInstant(query.asOf, 'asOf') : now
  const currency = (query.currency ?? (await workspaceCurrency(db, workspaceId))).toUpperCase()
  const people = new Map<string, PersonValue>()
  for await (const page of scanPersonEvents(db, { workspaceId, to: asOf })) {
    for (const e of page) {
      if (e.system) continue
      let p = people.get(e.person)
      if (!p) people.set(e.person, (p = { firstSeen: e.timestamp, orders: [] }))
      else if (e.timestamp < p.firstSeen) p.firstSeen = e.timestamp
      if (e.orderMinor !== null && e.orderCurrency === currency) p.orders.push({ at: e.timestamp, minor: e.orderMinor })
    }
  }
  const unit = query.groupBy === 'cohort-week' ? 'week' : 'month'
  const touches = query.groupBy === 'channel' ? await loadTouches(db, workspaceId, { to: asOf }) : null
  const groups = new Map<string, PersonValue[]>()
  for (const [person, p] of people) {
    const key = touches ? firstTouch(touches.get(person)) : periodLabel(periodIndex(p.firstSeen, unit), unit)
    let list = groups.get(key)
    if (!list) groups.set(key, (list = []))
    list.push(p)
  }
  const asOfPeriod = periodIndex(asOf - 1, unit)
  const summarise = (group: string, list: PersonValue[]) => summary(group, list, unit, query.periods, asOfPeriod)
  const ordered = [...groups].sort(([a, la], [b, lb]) => (touches ? lb.length - la.length || a.localeCompare(b) : a.localeCompare(b)))
  return {
    currency,
    asOf: isoOf(asOf),
    groupBy: query.groupBy,
    groups: ordered.map(([group, list]) => summarise(group, list)),
    total: summarise('all', [...people.values()]),
  }
}

function summary(group: string, list: PersonValue[], unit: 'week' | 'month', periods: number, asOfPeriod: number): LtvGroup {
  let revenue = 0
  let orders = 0
  let customers = 0
  const byPeriod = new Array<number>(periods + 1).fill(0)
  const eligible = new Array<number>(periods + 1).fill(0)
  for (const p of list) {
    if (p.orders.length > 0) customers++
    const start = periodIndex(p.firstSeen, unit)
    for (let k = 0; k <= periods && start + k <= asOfPeriod; k++) eligible[k]!++
    for (const o of p.orders) {
      revenue += o.minor
      orders++
      const k = periodIndex(o.at, unit) - start
      if (k >= 0 && k <= periods) byPeriod[k]! += o.minor
    }
  }
  let running = 0
  const cumulativePerPersonMinor = byPeriod.map((minor, k) => {
    running += minor
    // Average over everyone in the group; periods some people have not reached yet are flagged.
    return { period: k, minor: list.length === 0 ? 0 : running / list.length, complete: eligible[k] === list.length }
  })
  return {
    group,
    people: list.length,
    customers,
    orders,
    revenueMinor: revenue,
    perPersonMinor: list.length === 0 ? 0 : revenue / list.length,
    perCustomerMinor: customers === 0 ? null : revenue / customers,
    cumulativePerPersonMinor,
  }
}
