import { spendTotals } from '../../measurement/index.ts'
import type { Database } from '../../platform/index.ts'
import { localDate } from '../plan/time.ts'

/**
 * Where the money actually spent comes from: the measurement module's spend store (one row per
 * day, channel and ad campaign, imported from the ad platforms' exports). With no rows in the
 * window spend is unknown (null), and ROI, CAC and CPA say so instead of guessing.
 */
export interface SpendSummary {
  totalMinor: number
  byChannel: Map<string, number>
  /** Rows in other currencies, left out. */
  otherCurrencies: Record<string, number>
  /** The local dates read, inclusive. */
  dates: { from: string; to: string }
}

export interface SpendSource {
  spend(input: { workspaceId: string; from: number; to: number; timezone: string; currency: string }): Promise<SpendSummary | null>
}

/**
 * Spend from the measurement module's store (`spendTotals`). Dates there are the ad account's
 * local dates, read in the campaign's time zone: a window covers every day it touches.
 *
 * @example
 * const spend = await measurementSpend(database).spend({ workspaceId, from, to, timezone: 'Asia/Shanghai', currency: 'CNY' })
 */
export function measurementSpend(database: Database): SpendSource {
  return {
    async spend(input) {
      if (input.to <= input.from) return null
      const dates = { from: localDate(input.from, input.timezone), to: localDate(input.to - 1, input.timezone) }
      const rows = await spendTotals(database.db, { workspaceId: input.workspaceId, fromDate: dates.from, toDate: dates.to })
      if (rows.length === 0) return null
      const byChannel = new Map<string, number>()
      const otherCurrencies: Record<string, number> = {}
      for (const r of rows) {
        if (r.currency === input.currency) byChannel.set(r.channel, (byChannel.get(r.channel) ?? 0) + r.costMinor)
        else otherCurrencies[r.currency] = (otherCurrencies[r.currency] ?? 0) + r.costMinor
      }
      return { totalMinor: [...byChannel.values()].reduce((s, n) => s + n, 0), byChannel, otherCurrencies, dates }
    },
  }
}
