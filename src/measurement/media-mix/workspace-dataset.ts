import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import type { MmmDatasetInput } from '../mmm/index.ts'
import { getConversion } from '../touchpoints/conversion-store.ts'
import type { ConversionDefinition } from '../touchpoints/conversion-definition.ts'
import { dailySpend } from '../spend/spend-store.ts'
import { majorAmount } from '../spend/currency.ts'
import { resolvePeriod } from '../roi/period.ts'
import { dailyOutcome } from './daily-outcome.ts'
import type { MmmFitRequest } from './fit-request.ts'

/** What a run was fitted on, for people reading it later. Money in major units of `currency`. */
export interface DatasetSummary {
  from: string
  to: string
  cadence: 'day' | 'week'
  periods: number
  currency: string
  conversion: { key: string; name: string }
  outcome: { name: 'revenue' | 'conversions'; total: number }
  channels: { channel: string; spend: number; activePeriods: number }[]
  /** Conversions in another currency, counted with no value. */
  otherCurrencyConversions: number
  notes: string[]
}

export type WorkspaceDataset =
  | { kind: 'dataset'; dataset: MmmDatasetInput; summary: DatasetSummary; conversion: ConversionDefinition }
  | { kind: 'BadPeriod' | 'UnknownConversion' | 'NoSpend' | 'UnknownChannel'; message: string }

/**
 * The media-mix dataset of a workspace: spend per channel per day (or week) from the imported
 * exports in the workspace currency, and the conversion's count or value per day from the log.
 * Days without spend are zeros (spend exports list only days a campaign ran); the period runs
 * from the first to the last day with spend unless given.
 *
 * @example
 * const built = await workspaceDataset({ db, workspaceId, request: MmmFitRequest.parse({}), timeZone: 'Asia/Shanghai', currency: 'CNY' })
 * if (built.kind === 'dataset') fitMmm(built.dataset)
 */
export async function workspaceDataset(input: { db: Kysely<Schema>; workspaceId: string; request: MmmFitRequest; timeZone: string; currency: string }): Promise<WorkspaceDataset> {
  const { db, workspaceId, request, currency } = input
  const stored = await getConversion(db, workspaceId, request.conversion, currency)
  if (!stored) return { kind: 'UnknownConversion', message: `no conversion '${request.conversion}'; list them with GET /api/v1/measurement/conversions` }
  const range = await spendRange(db, workspaceId, currency)
  if (!range) return { kind: 'NoSpend', message: `no spend in ${currency} has been imported: import an ad platform export first (POST /api/v1/measurement/spend/csv or chorus spend import)` }
  const fromDate = request.from ?? range.first
  const toDate = request.to ?? range.last
  const resolved = resolvePeriod(fromDate, toDate, input.timeZone)
  if (!resolved.ok) return { kind: 'BadPeriod', message: resolved.message }

  const rows = (await dailySpend(db, { workspaceId, fromDate, toDate })).filter((r) => r.currency === currency)
  const known = [...new Set(rows.map((r) => r.channel))].sort()
  const wanted = request.channels ?? known
  const unknown = wanted.filter((c) => !known.includes(c))
  if (unknown.length > 0) {
    return { kind: 'UnknownChannel', message: `no ${currency} spend between ${fromDate} and ${toDate} for ${unknown.map((c) => `'${c}'`).join(', ')}; channels with spend: ${known.join(', ') || 'none'}` }
  }
  if (wanted.length === 0) return { kind: 'NoSpend', message: `no ${currency} spend between ${fromDate} and ${toDate}` }

  const days = daysBetween(fromDate, toDate)
  const dayIndex = new Map(days.map((d, i) => [d, i]))
  const spend = new Map(wanted.map((c) => [c, new Array<number>(days.length).fill(0)]))
  for (const row of rows) {
    const series = spend.get(row.channel)
    const i = dayIndex.get(row.date)
    if (series && i !== undefined) series[i]! += majorAmount(row.costMinor, row.currency)
  }
  const { days: outcomes, otherCurrency } = await dailyOutcome({ db, workspaceId, conversion: stored.definition, from: resolved.period.from, to: resolved.period.to, timeZone: input.timeZone })
  const outcome = days.map((d) => {
    const day = outcomes.get(d)
    if (!day) return 0
    return request.outcome === 'revenue' ? majorAmount(day.revenueMinor, currency) : day.conversions
  })

  const notes: string[] = []
  const size = request.cadence === 'week' ? 7 : 1
  const periods = Math.floor(days.length / size)
  if (periods * size < days.length) notes.push(`the last ${days.length - periods * size} day(s) do not fill a week and are left out`)
  const bucket = (series: readonly number[]) => Array.from({ length: periods }, (_, p) => series.slice(p * size, p * size + size).reduce((s, v) => s + v, 0))
  const dates = Array.from({ length: periods }, (_, p) => days[p * size]!)
  const channels = wanted.map((name) => ({ name, spend: bucket(spend.get(name)!) }))
  const outcomeSeries = bucket(outcome)
  return {
    kind: 'dataset',
    conversion: stored.definition,
    dataset: { dates, outcome: { name: request.outcome, values: outcomeSeries }, channels },
    summary: {
      from: fromDate,
      to: periods > 0 ? days[periods * size - 1]! : toDate,
      cadence: request.cadence,
      periods,
      currency,
      conversion: { key: stored.definition.key, name: stored.definition.name },
      outcome: { name: request.outcome, total: outcomeSeries.reduce((s, v) => s + v, 0) },
      channels: channels.map((c) => ({ channel: c.name, spend: c.spend.reduce((s, v) => s + v, 0), activePeriods: c.spend.filter((v) => v > 0).length })),
      otherCurrencyConversions: otherCurrency,
      notes,
    },
  }
}

async function spendRange(db: Kysely<Schema>, workspaceId: string, currency: string): Promise<{ first: string; last: string } | null> {
  const row = await db
    .selectFrom('measurement_spend')
    .select((eb) => [eb.fn.min('date').as('first'), eb.fn.max('date').as('last')])
    .where('workspace_id', '=', workspaceId)
    .where('currency', '=', currency)
    .executeTakeFirst()
  return row?.first && row.last ? { first: String(row.first), last: String(row.last) } : null
}

/** Every calendar day from `from` to `to`, both included (YYYY-MM-DD). */
function daysBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let at = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); at <= end; at += 86_400_000) out.push(new Date(at).toISOString().slice(0, 10))
  return out
}
