import { z } from 'zod'
import {
  attribute,
  MAX_MARKOV_ORDER,
  MODEL_NAMES,
  ModelName,
  type AttributionReport,
  type ChannelCredits,
  type PathSet,
  type Transition,
} from '../attribution/index.ts'
import { getChannelRules } from '../grouping/rule-store.ts'
import { ConversionKey, DEFAULT_CONVERSION_KEY, type ConversionDefinition } from '../touchpoints/conversion-definition.ts'
import { getConversion } from '../touchpoints/conversion-store.ts'
import { GroupBy, type PathExtraction, type PathExtractionStats } from '../touchpoints/extract-paths.ts'
import { TouchKind } from '../touchpoints/touch-kinds.ts'
import { spendTotals } from '../spend/spend-store.ts'
import type { Database } from '../../platform/index.ts'
import { cachedExtractPaths } from './extraction-cache.ts'
import { CostIndex, rowKeyOf, type RowKey, type SpendLine } from './cost-index.ts'
import { resolvePeriod, type Period } from './period.ts'

/**
 * `POST /api/v1/measurement/attribution`: which models, over which period, for which conversion.
 *
 * @example AttributionRequest.parse({ from: '2025-03-01', to: '2025-05-29', models: ['last_touch', 'markov'] })
 */
export const AttributionRequest = z.object({
  from: z.string().describe('First day (YYYY-MM-DD, in the workspace time zone) or an ISO time with offset'),
  to: z.string().describe('Last day, included (YYYY-MM-DD), or an ISO time with offset, excluded'),
  conversion: ConversionKey.default(DEFAULT_CONVERSION_KEY).describe('Key of a conversion definition'),
  models: z.array(ModelName).min(1).default([...MODEL_NAMES]),
  groupBy: GroupBy.default('channel'),
  markovOrder: z.union([z.number().int().min(1).max(MAX_MARKOV_ORDER), z.literal('auto')]).default(1),
  halfLifeDays: z.number().positive().max(365).default(7),
  visitWindowMinutes: z.number().int().min(1).max(1440).default(30),
  topPaths: z.number().int().min(0).max(200).default(20),
  touchpoints: z.array(TouchKind).min(1).optional().describe("Kinds of touchpoint that count, instead of the conversion's"),
  lookbackDays: z.number().int().min(1).max(365).optional().describe("Look-back window in days, instead of the conversion's"),
})
export type AttributionRequest = z.infer<typeof AttributionRequest>
export type AttributionRequestInput = z.input<typeof AttributionRequest>

/** One channel (or campaign, or journey) under one model. */
export interface CreditedRow extends RowKey {
  conversions: number
  revenueMinor: number
  costMinor: number | null
  /** Credited revenue ÷ cost. */
  roas: number | null
  /** Cost ÷ credited conversions, minor units. */
  cpa: number | null
}

export interface ComparisonRow extends RowKey {
  costMinor: number | null
  models: Partial<Record<ModelName, { conversions: number; revenueMinor: number }>>
}

export interface LogAttributionReport {
  period: { from: string; to: string; fromDate: string; toDate: string; timeZone: string }
  conversion: ConversionDefinition
  groupBy: GroupBy
  currency: string
  totals: { conversions: number; revenueMinor: number; journeys: number; nullJourneys: number; people: number; costMinor: number }
  models: Partial<Record<ModelName, CreditedRow[]>>
  comparison: ComparisonRow[]
  markov: {
    order: number
    conversionProbability: number
    removalEffects: { label: string; conversions: number; value: number }[]
    transitions: Transition[]
    orderScores: { order: number; states: number; parameters: number; logLikelihood: number; bic: number }[] | null
  } | null
  topPaths: { path: string[]; conversions: number; revenueMinor: number; nulls: number }[]
  spend: { costMinor: number; unattributed: { channel: string; campaign: string | null; costMinor: number }[]; otherCurrencies: { currency: string; costMinor: number }[] }
  scan: PathExtractionStats
  warnings: string[]
}

export type LogAttributionOutcome =
  | { kind: 'report'; report: LogAttributionReport; extraction: PathExtraction; attribution: AttributionReport }
  | { kind: 'BadPeriod'; message: string }
  | { kind: 'UnknownConversion'; message: string }

export interface LogAttributionInput {
  database: Database
  workspaceId: string
  request: AttributionRequestInput
  /** The workspace's settings: report days are local days, values in its currency by default. */
  timeZone: string
  currency: string
  pageSize?: number
}

/**
 * Attribution on the event log: paths from one streaming scan, every requested model, credited
 * conversions and revenue per channel (campaign, journey) joined with spend for ROAS and CPA, and
 * the Markov chain's transition matrix and removal effects. Every model splits every conversion,
 * so each model's rows add up to `totals` (spend-only rows credit nothing).
 *
 * @example
 * const outcome = await attributeLog({ database, workspaceId, request: { from: '2025-03-01', to: '2025-03-31' }, timeZone: 'Asia/Shanghai', currency: 'CNY' })
 * if (outcome.kind === 'report') outcome.report.models.markov
 */
export async function attributeLog(input: LogAttributionInput): Promise<LogAttributionOutcome> {
  const request = AttributionRequest.parse(input.request)
  const resolved = resolvePeriod(request.from, request.to, input.timeZone)
  if (!resolved.ok) return { kind: 'BadPeriod', message: resolved.message }
  const period = resolved.period
  const stored = await getConversion(input.database.db, input.workspaceId, request.conversion, input.currency)
  if (!stored) return { kind: 'UnknownConversion', message: `no conversion '${request.conversion}'; list them with GET /api/v1/measurement/conversions` }
  const conversion: ConversionDefinition = {
    ...stored.definition,
    ...(request.touchpoints ? { touchpoints: request.touchpoints } : {}),
    ...(request.lookbackDays ? { lookbackDays: request.lookbackDays } : {}),
  }
  const { rules } = await getChannelRules(input.database.db, input.workspaceId)
  const extraction = await cachedExtractPaths({
    database: input.database,
    workspaceId: input.workspaceId,
    from: period.from,
    to: period.to,
    conversion,
    rules,
    groupBy: request.groupBy,
    visitWindowMinutes: request.visitWindowMinutes,
    pageSize: input.pageSize,
  })
  const attribution = runModels(extraction, request.models, request)
  const spend = await periodSpend(input.database, input.workspaceId, period, conversion.currency)
  const report = buildReport({ request, period, conversion, extraction, attribution, spend })
  return { kind: 'report', report, extraction, attribution }
}

/** Runs the models over the extracted paths; direct traffic is every label in the direct group. */
export function runModels(extraction: PathExtraction, models: readonly ModelName[], settings: { markovOrder: number | 'auto'; halfLifeDays: number }, paths: PathSet = extraction.paths): AttributionReport {
  return attribute(paths, {
    models: [...models],
    markovOrder: settings.markovOrder,
    halfLifeDays: settings.halfLifeDays,
    directChannels: extraction.directLabels.length > 0 ? extraction.directLabels : ['direct'],
  })
}

/** Spend over the period's local dates, in the report currency, and what was in other currencies. */
export async function periodSpend(database: Database, workspaceId: string, period: Period, currency: string): Promise<{ lines: SpendLine[]; otherCurrencies: { currency: string; costMinor: number }[] }> {
  const totals = await spendTotals(database.db, { workspaceId, fromDate: period.fromDate, toDate: period.toDate })
  const lines = totals.filter((t) => t.currency === currency)
  const other = new Map<string, number>()
  for (const t of totals) if (t.currency !== currency) other.set(t.currency, (other.get(t.currency) ?? 0) + t.costMinor)
  return { lines, otherCurrencies: [...other].map(([c, costMinor]) => ({ currency: c, costMinor })) }
}

function buildReport(input: {
  request: AttributionRequest
  period: Period
  conversion: ConversionDefinition
  extraction: PathExtraction
  attribution: AttributionReport
  spend: { lines: SpendLine[]; otherCurrencies: { currency: string; costMinor: number }[] }
}): LogAttributionReport {
  const { request, period, conversion, extraction, attribution, spend } = input
  const costs = new CostIndex(spend.lines, request.groupBy)
  const keys = extraction.paths.channels.map((label) => rowKeyOf(extraction.labels.get(label)!))
  const costByLabel = keys.map((key) => costs.take(key))
  const spendOnly = costs.untaken()
  const models: Partial<Record<ModelName, CreditedRow[]>> = {}
  const comparison: ComparisonRow[] = [
    ...keys.map((key, id) => ({ ...key, costMinor: costByLabel[id]?.costMinor ?? null, models: {} })),
    ...spendOnly.map((line) => ({ ...rowKey(line), costMinor: line.costMinor, models: {} })),
  ]
  for (const model of MODEL_NAMES) {
    const credits = attribution.models[model]
    if (!credits) continue
    const rows = [
      ...keys.map((key, id) => creditedRow(key, credits, id, costByLabel[id]?.costMinor ?? null)),
      ...spendOnly.map((line) => creditedRow(rowKey(line), null, -1, line.costMinor)),
    ]
    rows.forEach((row, i) => (comparison[i]!.models[model] = { conversions: row.conversions, revenueMinor: row.revenueMinor }))
    models[model] = [...rows].sort((a, b) => b.conversions - a.conversions || b.revenueMinor - a.revenueMinor || a.label.localeCompare(b.label))
  }
  comparison.sort((a, b) => rowOrder(b) - rowOrder(a) || a.label.localeCompare(b.label))
  const markov = attribution.markov
  const stats = extraction.stats
  const totals = attribution.totals
  const costMinor = spend.lines.reduce((sum, l) => sum + l.costMinor, 0)
  const warnings: string[] = []
  if (stats.conversionsWithoutTouch > 0) warnings.push(`${stats.conversionsWithoutTouch} conversions had no touchpoint in their ${conversion.lookbackDays}-day window; they are credited to (none)`)
  if (stats.currencyMismatches > 0) warnings.push(`${stats.currencyMismatches} conversions were in a currency other than ${conversion.currency}; they count, with no value`)
  for (const other of spend.otherCurrencies) warnings.push(`spend in ${other.currency} (${other.costMinor} minor units) is left out of ROAS and CPA, which are in ${conversion.currency}`)
  if (stats.unassigned > 0) warnings.push(`${stats.unassigned} touchpoints matched no channel rule and were left out; add a catch-all rule`)
  return {
    period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), fromDate: period.fromDate, toDate: period.toDate, timeZone: period.timeZone },
    conversion,
    groupBy: request.groupBy,
    currency: conversion.currency,
    totals: { conversions: totals.conversions, revenueMinor: totals.value, journeys: stats.journeys, nullJourneys: totals.nulls, people: stats.people, costMinor },
    models,
    comparison,
    markov: markov
      ? {
          order: markov.order,
          conversionProbability: markov.conversionProbability,
          removalEffects: markov.credits.channels.map((label, id) => ({ label, conversions: markov.removalEffects.conversions[id]!, value: markov.removalEffects.value[id]! })),
          transitions: markov.transitions,
          orderScores: markov.orderScores ? markov.orderScores.map((s) => ({ order: s.order, states: s.states, parameters: s.parameters, logLikelihood: s.logLikelihood, bic: s.bic })) : null,
        }
      : null,
    topPaths: topPaths(extraction.paths, request.topPaths),
    spend: {
      costMinor,
      unattributed: spendOnly.map((l) => ({ channel: l.channel, campaign: l.campaign, costMinor: l.costMinor })),
      otherCurrencies: spend.otherCurrencies,
    },
    scan: stats,
    warnings,
  }
}

function rowKey(key: RowKey): RowKey {
  return { label: key.label, channel: key.channel, group: key.group, campaign: key.campaign, journey: key.journey }
}

function rowOrder(row: ComparisonRow): number {
  const credited = Object.values(row.models).map((m) => m?.conversions ?? 0)
  return credited.length > 0 ? Math.max(...credited) : 0
}

function creditedRow(key: RowKey, credits: ChannelCredits | null, id: number, costMinor: number | null): CreditedRow {
  const conversions = credits ? credits.conversions[id]! : 0
  const revenueMinor = credits ? credits.value[id]! : 0
  return {
    ...rowKey(key),
    conversions,
    revenueMinor,
    costMinor,
    roas: costMinor !== null && costMinor > 0 ? revenueMinor / costMinor : null,
    cpa: costMinor !== null && conversions > 0 ? costMinor / conversions : null,
  }
}

/** The most converting distinct paths (then the most travelled), as channel lists. */
function topPaths(paths: PathSet, limit: number): LogAttributionReport['topPaths'] {
  if (limit === 0) return []
  const byPath = new Map<string, { ids: number[]; conversions: number; value: number; nulls: number }>()
  for (let i = 0; i < paths.size; i++) {
    const ids = Array.from(paths.touches.subarray(paths.offsets[i]!, paths.offsets[i + 1]!))
    const key = ids.join(',')
    let entry = byPath.get(key)
    if (!entry) byPath.set(key, (entry = { ids, conversions: 0, value: 0, nulls: 0 }))
    entry.conversions += paths.conversions[i]!
    entry.value += paths.values[i]!
    entry.nulls += paths.nulls[i]!
  }
  return [...byPath.values()]
    .sort((a, b) => b.conversions - a.conversions || b.nulls - a.nulls)
    .slice(0, limit)
    .map((e) => ({ path: e.ids.map((id) => paths.channels[id]!), conversions: e.conversions, revenueMinor: e.value, nulls: e.nulls }))
}
