import { z } from 'zod'
import { MAX_MARKOV_ORDER, ModelName } from '../attribution/index.ts'
import { getChannelRules } from '../grouping/rule-store.ts'
import { ConversionKey, DEFAULT_CONVERSION_KEY, type ConversionDefinition } from '../touchpoints/conversion-definition.ts'
import { getConversion } from '../touchpoints/conversion-store.ts'
import { cachedExtractPaths } from './extraction-cache.ts'
import type { Database } from '../../platform/index.ts'
import { periodSpend, runModels } from './attribution-report.ts'
import { CostIndex, rowKeyOf, type RowKey } from './cost-index.ts'
import { resolvePeriod } from './period.ts'

/**
 * `GET /api/v1/measurement/roi`: return on spend per channel or campaign under one model.
 *
 * @example RoiRequest.parse({ from: '2025-03-01', to: '2025-03-31', model: 'markov' })
 */
export const RoiRequest = z.object({
  from: z.string().describe('First day (YYYY-MM-DD) or an ISO time with offset'),
  to: z.string().describe('Last day, included (YYYY-MM-DD), or an ISO time with offset, excluded'),
  model: ModelName.default('markov').describe('Attribution model that credits conversions, revenue and new customers'),
  conversion: ConversionKey.default(DEFAULT_CONVERSION_KEY),
  groupBy: z.enum(['channel', 'campaign']).default('channel'),
  markovOrder: z.union([z.coerce.number().int().min(1).max(MAX_MARKOV_ORDER), z.literal('auto')]).default(1),
  halfLifeDays: z.coerce.number().positive().max(365).default(7),
})
export type RoiRequest = z.infer<typeof RoiRequest>
export type RoiRequestInput = z.input<typeof RoiRequest>

/**
 * One channel's (or campaign's) return. Ratios are `null` when their denominator is 0.
 * - ROAS = credited revenue ÷ cost;
 * - CPA = cost ÷ credited conversions;
 * - CAC = cost ÷ credited new customers (people whose first conversion ever falls in the period);
 * - ROI = (credited revenue − cost) ÷ cost.
 */
export interface RoiRow extends RowKey {
  costMinor: number
  impressions: number
  clicks: number
  conversions: number
  revenueMinor: number
  newCustomers: number
  roas: number | null
  roi: number | null
  cpa: number | null
  cac: number | null
}

export interface RoiReport {
  period: { from: string; to: string; fromDate: string; toDate: string; timeZone: string }
  model: ModelName
  conversion: ConversionDefinition
  currency: string
  rows: RoiRow[]
  totals: Omit<RoiRow, keyof RowKey>
  warnings: string[]
}

export type RoiOutcome = { kind: 'report'; report: RoiReport } | { kind: 'BadPeriod'; message: string } | { kind: 'UnknownConversion'; message: string }

/**
 * ROI, ROAS, CPA and CAC per channel or campaign: the chosen model credits conversions and
 * revenue over all journeys, and new customers over the same journeys with only first-ever
 * conversions converting; spend comes from the imported exports over the period's local dates.
 *
 * @example
 * const outcome = await roiReport({ database, workspaceId, request: { from: '2025-03-01', to: '2025-03-31', model: 'linear' }, timeZone: 'Asia/Shanghai', currency: 'CNY' })
 */
export async function roiReport(input: { database: Database; workspaceId: string; request: RoiRequestInput; timeZone: string; currency: string; pageSize?: number }): Promise<RoiOutcome> {
  const request = RoiRequest.parse(input.request)
  const resolved = resolvePeriod(request.from, request.to, input.timeZone)
  if (!resolved.ok) return { kind: 'BadPeriod', message: resolved.message }
  const period = resolved.period
  const stored = await getConversion(input.database.db, input.workspaceId, request.conversion, input.currency)
  if (!stored) return { kind: 'UnknownConversion', message: `no conversion '${request.conversion}'; list them with GET /api/v1/measurement/conversions` }
  const conversion = stored.definition
  const { rules } = await getChannelRules(input.database.db, input.workspaceId)
  const extraction = await cachedExtractPaths({ database: input.database, workspaceId: input.workspaceId, from: period.from, to: period.to, conversion, rules, groupBy: request.groupBy, pageSize: input.pageSize })
  const settings = { markovOrder: request.markovOrder, halfLifeDays: request.halfLifeDays }
  const all = runModels(extraction, [request.model], settings).models[request.model]!
  const fresh = runModels(extraction, [request.model], settings, extraction.newCustomerPaths).models[request.model]!
  const spend = await periodSpend(input.database, input.workspaceId, period, conversion.currency)
  const costs = new CostIndex(spend.lines, request.groupBy)

  const rows: RoiRow[] = extraction.paths.channels.map((label, id) => {
    const key = rowKeyOf(extraction.labels.get(label)!)
    const line = costs.take(key)
    return roiRow(key, line?.costMinor ?? 0, line?.impressions ?? 0, line?.clicks ?? 0, all.conversions[id]!, all.value[id]!, fresh.conversions[id]!)
  })
  for (const line of costs.untaken()) rows.push(roiRow(line, line.costMinor, line.impressions, line.clicks, 0, 0, 0))
  rows.sort((a, b) => b.costMinor - a.costMinor || b.conversions - a.conversions || a.label.localeCompare(b.label))
  const sum = (pick: (r: RoiRow) => number) => rows.reduce((s, r) => s + pick(r), 0)
  const { label: _l, channel: _c, group: _g, campaign: _ca, journey: _j, ...totals } = roiRow(
    { label: '', channel: '', group: 'unassigned', campaign: null, journey: null },
    sum((r) => r.costMinor),
    sum((r) => r.impressions),
    sum((r) => r.clicks),
    sum((r) => r.conversions),
    sum((r) => r.revenueMinor),
    sum((r) => r.newCustomers),
  )
  const warnings = spend.otherCurrencies.map((o) => `spend in ${o.currency} (${o.costMinor} minor units) is left out: the report is in ${conversion.currency}`)
  return {
    kind: 'report',
    report: {
      period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), fromDate: period.fromDate, toDate: period.toDate, timeZone: period.timeZone },
      model: request.model,
      conversion,
      currency: conversion.currency,
      rows,
      totals,
      warnings,
    },
  }
}

function roiRow(key: RowKey, costMinor: number, impressions: number, clicks: number, conversions: number, revenueMinor: number, newCustomers: number): RoiRow {
  const hasCost = costMinor > 0
  return {
    label: key.label,
    channel: key.channel,
    group: key.group,
    campaign: key.campaign,
    journey: key.journey,
    costMinor,
    impressions,
    clicks,
    conversions,
    revenueMinor,
    newCustomers,
    roas: hasCost ? revenueMinor / costMinor : null,
    roi: hasCost ? (revenueMinor - costMinor) / costMinor : null,
    cpa: hasCost && conversions > 0 ? costMinor / conversions : null,
    cac: hasCost && newCustomers > 0 ? costMinor / newCustomers : null,
  }
}
