import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import type { RepeatSummary } from './bg-nbd.ts'
import type { SpendSummary } from './gamma-gamma.ts'
import { matcherScope, ORDER_EVENT } from './event-matcher.ts'
import { scanPersonEvents } from './person-log.ts'
import { DAY_MS } from './time-window.ts'

/**
 * A person's purchase history as the repeat-buying models see it: orders (events with an amount,
 * in one currency) of one UTC day merged into one transaction with their amounts summed — as the
 * CDNOW data in Fader, Hardie & Lee (2005) counts purchase occasions, and as the BTYD and lifetimes
 * packages prepare transaction logs.
 */
export interface Transaction {
  /** The first order of the day (epoch ms). */
  at: number
  minor: number
}

/**
 * Every person's transactions before `to`, in time order.
 *
 * @example const histories = await loadTransactions(db, workspaceId, { currency: 'CNY', to: Date.now() })
 */
export async function loadTransactions(db: Kysely<Schema>, workspaceId: string, options: { currency: string; to: number }): Promise<Map<string, Transaction[]>> {
  const byDay = new Map<string, Map<number, Transaction>>()
  const scope = matcherScope([{ event: ORDER_EVENT, where: [] }])
  for await (const page of scanPersonEvents(db, { workspaceId, to: options.to, scope })) {
    for (const e of page) {
      if (e.orderMinor === null || e.orderCurrency !== options.currency) continue
      let days = byDay.get(e.person)
      if (!days) byDay.set(e.person, (days = new Map()))
      const day = Math.floor(e.timestamp / DAY_MS)
      const t = days.get(day)
      if (!t) days.set(day, { at: e.timestamp, minor: e.orderMinor })
      else {
        t.minor += e.orderMinor
        t.at = Math.min(t.at, e.timestamp)
      }
    }
  }
  const out = new Map<string, Transaction[]>()
  for (const [person, days] of byDay) out.set(person, [...days.values()].sort((a, b) => a.at - b.at))
  return out
}

/**
 * The BG/NBD summary (x, t_x, T in `unitMs` units) and the Gamma-Gamma summary (repeat
 * transactions and their mean value) of a history cut at `cutoff`; null when the first purchase is
 * not before the cutoff.
 */
export function summariseAt(history: readonly Transaction[], cutoff: number, unitMs: number): { repeat: RepeatSummary; spend: SpendSummary } | null {
  const first = history[0]
  if (!first || first.at >= cutoff) return null
  let x = 0
  let last = first.at
  let repeatValue = 0
  for (let i = 1; i < history.length && history[i]!.at < cutoff; i++) {
    x++
    last = history[i]!.at
    repeatValue += history[i]!.minor
  }
  return {
    repeat: { x, tx: (last - first.at) / unitMs, T: (cutoff - first.at) / unitMs },
    spend: { x, mean: x > 0 ? repeatValue / x : 0 },
  }
}

/** Transactions and revenue in [from, to). */
export function activityBetween(history: readonly Transaction[], from: number, to: number): { transactions: number; minor: number } {
  let transactions = 0
  let minor = 0
  for (const t of history) {
    if (t.at >= from && t.at < to) {
      transactions++
      minor += t.minor
    }
  }
  return { transactions, minor }
}
