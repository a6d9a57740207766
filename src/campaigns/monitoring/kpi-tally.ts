import type { KpiQuery, LogKpis } from './log-kpis.ts'

/** The measures a kept KPI read holds (a goal's single metric needs only its own). */
export type Measure = 'reach' | 'traffic' | 'leads' | 'conversions' | 'revenue' | 'newCustomers'

export const ALL_MEASURES: readonly Measure[] = ['reach', 'traffic', 'leads', 'conversions', 'revenue', 'newCustomers']

/**
 * What a KPI read keeps to be extended exactly, rather than the numbers alone: a count of
 * distinct people cannot be corrected when two of them become one, nor a sum when a person's
 * events are erased. So each measure keeps who it counted, and what it summed per person:
 *
 * - reach, leads, new customers — the people counted (canonical profile ids);
 * - traffic — views per source and visitor (a visitor is a person, or an anonymous id);
 * - conversions — conversions per person (`null`: events without a person);
 * - revenue — orders and their sum per person and currency (the number of orders, so a currency
 *   whose orders all went with an erased person disappears as it does from a fresh scan).
 */
export interface KpiTally {
  reach?: Set<string>
  traffic?: Map<string, Map<string | null, number>>
  leads?: Set<string>
  conversions?: Map<string | null, number>
  revenue?: Map<string | null, Map<string | null, { orders: number; amount: number }>>
  newCustomers?: Set<string>
}

/** One event as a tally reads it; `person` and `visitor` are as the profiles stood when read. */
export interface KpiRow {
  person: string | null
  visitor: string | null
  timestamp: number
  type: string
  event: string | null
  channel: string | null
  orderMinor: number | null
  orderCurrency: string | null
}

export function emptyTally(measures: readonly Measure[]): KpiTally {
  const tally: KpiTally = {}
  for (const m of measures) {
    if (m === 'reach' || m === 'leads' || m === 'newCustomers') tally[m] = new Set()
    else if (m === 'traffic' || m === 'conversions' || m === 'revenue') (tally as Record<string, unknown>)[m] = new Map()
  }
  return tally
}

/** A deep copy: a kept tally is never changed in place (two reads may extend it at once). */
export function copyTally(tally: KpiTally): KpiTally {
  return structuredClone(tally)
}

/** Entries held, for the bound on what is kept. */
export function tallySize(tally: KpiTally): number {
  let n = (tally.reach?.size ?? 0) + (tally.leads?.size ?? 0) + (tally.newCustomers?.size ?? 0) + (tally.conversions?.size ?? 0)
  for (const visitors of tally.traffic?.values() ?? []) n += visitors.size
  for (const currencies of tally.revenue?.values() ?? []) n += currencies.size
  return n
}

/** Whether an event counts for reach and traffic: in the window, and from one of `sources` when given. */
function scoped(q: KpiQuery, row: KpiRow): boolean {
  if (!q.sources || q.sources.length === 0) return true
  return row.channel !== null && q.sources.some((s) => s.toLowerCase() === row.channel!.toLowerCase())
}

/**
 * Adds one event in the window [q.from, q.to) to every measure but new customers (a question
 * about a person's whole history, asked again for the people touched: see `kpi-extend.ts`).
 * The same rules as the queries of `log-kpis.ts`.
 */
export function foldRow(tally: KpiTally, q: KpiQuery, row: KpiRow): void {
  if (row.timestamp < q.from || row.timestamp >= q.to) return
  const inScope = scoped(q, row)
  if (tally.reach && inScope && row.person !== null) tally.reach.add(row.person)
  if (tally.traffic && inScope && (row.type === 'page' || row.type === 'screen')) {
    const source = row.channel ?? 'direct'
    let visitors = tally.traffic.get(source)
    if (!visitors) tally.traffic.set(source, (visitors = new Map()))
    visitors.set(row.visitor, (visitors.get(row.visitor) ?? 0) + 1)
  }
  if (tally.leads && row.person !== null && row.event !== null && q.leadEvents.includes(row.event)) tally.leads.add(row.person)
  if (tally.conversions && row.event !== null && q.conversionEvents.includes(row.event)) tally.conversions.set(row.person, (tally.conversions.get(row.person) ?? 0) + 1)
  if (tally.revenue && row.orderMinor !== null) {
    let currencies = tally.revenue.get(row.person)
    if (!currencies) tally.revenue.set(row.person, (currencies = new Map()))
    const sum = currencies.get(row.orderCurrency) ?? { orders: 0, amount: 0 }
    currencies.set(row.orderCurrency, { orders: sum.orders + 1, amount: sum.amount + row.orderMinor })
  }
}

/**
 * A person's counted history moved to the person their profile belongs to now (`to`), or dropped
 * (`to` undefined: erased). Two counted people becoming one count once.
 */
export function movePerson(tally: KpiTally, from: string, to: string | undefined): void {
  for (const set of [tally.reach, tally.leads]) {
    if (set?.delete(from) && to !== undefined) set.add(to)
  }
  // Whether the survivor is a new customer is asked again from the log (see `kpi-extend.ts`).
  tally.newCustomers?.delete(from)
  for (const visitors of tally.traffic?.values() ?? []) moveCount(visitors, from, to)
  if (tally.conversions) moveCount(tally.conversions, from, to)
  if (tally.revenue) {
    const moved = tally.revenue.get(from)
    tally.revenue.delete(from)
    if (moved && to !== undefined) {
      const into = tally.revenue.get(to) ?? new Map<string | null, { orders: number; amount: number }>()
      for (const [currency, sum] of moved) {
        const had = into.get(currency) ?? { orders: 0, amount: 0 }
        into.set(currency, { orders: had.orders + sum.orders, amount: had.amount + sum.amount })
      }
      tally.revenue.set(to, into)
    }
  }
  // A source all of whose views were the erased person's is gone from a fresh scan too.
  for (const [source, visitors] of tally.traffic ?? []) if (visitors.size === 0) tally.traffic!.delete(source)
}

function moveCount(counts: Map<string | null, number>, from: string, to: string | undefined): void {
  const n = counts.get(from)
  if (n === undefined) return
  counts.delete(from)
  if (to !== undefined) counts.set(to, (counts.get(to) ?? 0) + n)
}

/** The numbers a fresh scan answers, for the measures the tally holds. */
export function tallyAnswer(tally: KpiTally, q: KpiQuery): Partial<LogKpis> {
  const answer: Partial<LogKpis> = {}
  if (tally.reach) answer.reach = tally.reach.size
  if (tally.traffic) {
    const everyone = new Set<string>()
    const bySource = [...tally.traffic].map(([source, visitors]) => {
      let views = 0
      let counted = 0
      for (const [visitor, n] of visitors) {
        views += n
        if (visitor === null) continue
        counted += 1
        everyone.add(visitor)
      }
      return { source, views, visitors: counted }
    })
    bySource.sort((a, b) => b.views - a.views || (a.source < b.source ? -1 : 1))
    answer.traffic = { views: bySource.reduce((s, r) => s + r.views, 0), visitors: everyone.size, bySource }
  }
  if (tally.leads) answer.leads = tally.leads.size
  if (tally.conversions) answer.conversions = [...tally.conversions.values()].reduce((s, n) => s + n, 0)
  if (tally.revenue) {
    const totals = new Map<string | null, { orders: number; amount: number }>()
    for (const currencies of tally.revenue.values()) {
      for (const [currency, sum] of currencies) {
        const had = totals.get(currency) ?? { orders: 0, amount: 0 }
        totals.set(currency, { orders: had.orders + sum.orders, amount: had.amount + sum.amount })
      }
    }
    const otherCurrencies: Record<string, number> = {}
    let revenueMinor = 0
    for (const [currency, sum] of totals) {
      if (sum.orders === 0) continue
      if (currency === q.currency) revenueMinor += sum.amount
      else otherCurrencies[currency ?? 'unknown'] = sum.amount
    }
    answer.revenueMinor = revenueMinor
    answer.otherCurrencies = otherCurrencies
  }
  if (tally.newCustomers) answer.newCustomers = tally.newCustomers.size
  return answer
}
