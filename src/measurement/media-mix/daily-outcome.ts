import { sql, type Kysely, type RawBuilder } from 'kysely'
import { readJson, type Schema } from '../../platform/index.ts'
import { ConversionMatcher } from '../touchpoints/conversion-match.ts'
import type { ConversionDefinition } from '../touchpoints/conversion-definition.ts'
import { eventRowOf } from '../touchpoints/payload-row.ts'
import { localDate } from '../roi/period.ts'

/** One local day's conversions of a definition and their value (minor units of its currency). */
export interface DayOutcome {
  conversions: number
  revenueMinor: number
}

export interface DailyOutcomeInput {
  db: Kysely<Schema>
  workspaceId: string
  conversion: ConversionDefinition
  /** Events with `from <= timestamp < to` (epoch ms). */
  from: number
  to: number
  timeZone: string
  /** Events per query; memory holds one page. Default 20,000. */
  pageSize?: number
}

/**
 * Conversions and their value per local day: what a media-mix model explains. Reads only the
 * conversion's events, on the `(workspace_id, event, timestamp)` index, keyset-paginated by
 * (timestamp, seq), and matches each with the definition's filters and value rule, exactly as
 * attribution matches them.
 * A conversion counts where it happened in time, whoever made it, so profile merges do not matter.
 *
 * @example
 * const days = await dailyOutcome({ db, workspaceId, conversion, from, to, timeZone: 'Asia/Shanghai' })
 * days.get('2025-03-01') // { conversions: 41, revenueMinor: 1_230_400 }
 */
export async function dailyOutcome(input: DailyOutcomeInput): Promise<{ days: Map<string, DayOutcome>; otherCurrency: number }> {
  const matcher = new ConversionMatcher(input.conversion)
  const pageSize = input.pageSize ?? 20_000
  const days = new Map<string, DayOutcome>()
  let otherCurrency = 0
  let after: { timestamp: number; seq: number } | null = null
  for (;;) {
    const keyset: RawBuilder<unknown> = after === null ? sql`` : sql` and ("timestamp" > ${after.timestamp} or ("timestamp" = ${after.timestamp} and "seq" > ${after.seq}))`
    const { rows }: { rows: RawConversion[] } = await sql<RawConversion>`select "seq", "timestamp", "type", "event", "order_minor", "order_currency", "payload" from "events"
      where "workspace_id" = ${input.workspaceId} and "event" in (${sql.join([...matcher.events])})
        and "timestamp" >= ${input.from} and "timestamp" < ${input.to}${keyset}
      order by "timestamp", "seq" limit ${pageSize}`.execute(input.db)
    for (const r of rows) {
      const row = eventRowOf(readJson<Record<string, unknown>>(r.payload, {}), {
        seq: Number(r.seq),
        timestamp: Number(r.timestamp),
        type: r.type,
        event: r.event,
        orderMinor: r.order_minor === null ? null : Number(r.order_minor),
        orderCurrency: r.order_currency,
        extraPaths: matcher.paths,
      })
      const match = matcher.match(row)
      if (!match) continue
      if (match.currencyMismatch) otherCurrency++
      const day = localDate(row.timestamp, input.timeZone)
      const sum = days.get(day) ?? { conversions: 0, revenueMinor: 0 }
      sum.conversions++
      sum.revenueMinor += match.valueMinor
      days.set(day, sum)
    }
    if (rows.length < pageSize) return { days, otherCurrency }
    const last: RawConversion = rows[rows.length - 1]!
    after = { timestamp: Number(last.timestamp), seq: Number(last.seq) }
  }
}

interface RawConversion {
  seq: number | string
  timestamp: number | string
  type: string
  event: string | null
  order_minor: number | string | null
  order_currency: string | null
  payload: unknown
}
