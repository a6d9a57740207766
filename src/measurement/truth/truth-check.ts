import { MODEL_NAMES, type ModelName } from '../attribution/index.ts'
import { fitMmm, mmmReadiness, type MmmDatasetInput, type MmmFitOptionsInput } from '../mmm/index.ts'
import { getChannelRules } from '../grouping/rule-store.ts'
import { ConversionDefinition } from '../touchpoints/conversion-definition.ts'
import type { TouchKind } from '../touchpoints/touch-kinds.ts'
import { extractPaths } from '../touchpoints/extract-paths.ts'
import { dailySpend } from '../spend/spend-store.ts'
import { majorAmount } from '../spend/currency.ts'
import { runModels } from '../roi/attribution-report.ts'
import { localDate, resolvePeriod } from '../roi/period.ts'
import type { Database } from '../../platform/index.ts'
import { accuracy, type Accuracy } from './accuracy.ts'
import type { TruthFile } from './truth-file.ts'

/** One channel: what the truth says and what a method estimated. */
export interface ChannelComparison {
  channel: string
  trueOrders: number
  estimatedOrders: number
  trueRevenueMinor: number
  estimatedRevenueMinor: number
}

export interface MethodAccuracy {
  method: string
  channels: ChannelComparison[]
  orders: Accuracy
  revenue: Accuracy
  /** Conversions the method credited to channels the truth does not list (direct, marketplaces, organic…). */
  creditedElsewhere: number
}

export interface TruthCheckReport {
  period: { start: string; end: string; timeZone: string }
  touchpoints: TouchKind[]
  lookbackDays: number
  truth: { orders: number; incrementalOrders: number; sumOfChannelIncrementalOrders: number }
  log: { conversions: number; journeys: number; people: number; conversionsWithoutTouch: number; seconds: number }
  attribution: MethodAccuracy[]
  mmm:
    | { kind: 'fitted'; accuracy: MethodAccuracy; holdoutR2: number | null; periods: number; iterations: number; /** False when the history was too short for day-of-week terms and the model went without them. */ weekdayTerms: boolean }
    | { kind: 'skipped'; reason: string }
}

export interface TruthCheckInput {
  database: Database
  workspaceId: string
  truth: TruthFile
  models?: readonly ModelName[]
  markovOrder?: number | 'auto'
  /** Fit a media-mix model on the daily spend and orders when the history allows. Default true. */
  mmm?: boolean
  mmmIterations?: number
  seed?: number
  /** Kinds of touchpoint that count (default: the conversion default, see `DEFAULT_TOUCH_KINDS`). */
  touchpoints?: readonly TouchKind[]
  lookbackDays?: number
}

/**
 * Checks measurement against the demo brand's ground truth: attribution models on the event log
 * (every model by default) and, when the spend history is long enough, a media-mix model on daily
 * spend and orders, each compared per channel with the incremental orders the counterfactual
 * simulation measured. Attribution splits every order among touched channels, so its totals are
 * far above the incremental ones; `shareMape` judges the split alone. The numbers are what they
 * are: nothing here is tuned to the truth.
 *
 * @example
 * const report = await truthCheck({ database, workspaceId, truth })
 * report.attribution.map((m) => [m.method, m.orders.spearman])
 */
export async function truthCheck(input: TruthCheckInput): Promise<TruthCheckReport> {
  const { truth } = input
  const resolved = resolvePeriod(truth.start, truth.end, truth.timeZone)
  if (!resolved.ok) throw new Error(`the truth file's period is not valid: ${resolved.message}`)
  const period = resolved.period
  const conversion = ConversionDefinition.parse({
    key: 'truth',
    name: truth.conversionEvent,
    events: [truth.conversionEvent],
    currency: truth.currency,
    ...(input.touchpoints ? { touchpoints: [...input.touchpoints] } : {}),
    ...(input.lookbackDays ? { lookbackDays: input.lookbackDays } : {}),
  })
  const { rules } = await getChannelRules(input.database.db, input.workspaceId)
  const daily = new Map<string, number>()
  const extraction = await extractPaths({
    database: input.database,
    workspaceId: input.workspaceId,
    from: period.from,
    to: period.to,
    conversion,
    rules,
    onConversion: (at) => {
      const day = localDate(at, truth.timeZone)
      daily.set(day, (daily.get(day) ?? 0) + 1)
    },
  })
  const models = input.models ?? MODEL_NAMES
  const report = runModels(extraction, models, { markovOrder: input.markovOrder ?? 1, halfLifeDays: 7 })
  const truthChannels = new Set(truth.channels.map((c) => c.channel))
  const attribution: MethodAccuracy[] = []
  for (const model of MODEL_NAMES) {
    const credits = report.models[model]
    if (!credits) continue
    const byChannel = new Map<string, { orders: number; revenue: number }>()
    let elsewhere = 0
    credits.channels.forEach((label, id) => {
      const channel = extraction.labels.get(label)?.channel ?? label
      if (!truthChannels.has(channel)) {
        elsewhere += credits.conversions[id]!
        return
      }
      const sum = byChannel.get(channel) ?? { orders: 0, revenue: 0 }
      sum.orders += credits.conversions[id]!
      sum.revenue += credits.value[id]!
      byChannel.set(channel, sum)
    })
    attribution.push(compare(model, truth, (c) => byChannel.get(c) ?? { orders: 0, revenue: 0 }, elsewhere))
  }
  const stats = extraction.stats
  return {
    period: { start: truth.start, end: truth.end, timeZone: truth.timeZone },
    touchpoints: conversion.touchpoints,
    lookbackDays: conversion.lookbackDays,
    truth: { orders: truth.actual.orders, incrementalOrders: truth.marketing.incrementalOrders, sumOfChannelIncrementalOrders: truth.marketing.sumOfChannelIncrementalOrders },
    log: { conversions: stats.convertingJourneys, journeys: stats.journeys, people: stats.people, conversionsWithoutTouch: stats.conversionsWithoutTouch, seconds: stats.seconds },
    attribution,
    mmm: input.mmm === false ? { kind: 'skipped', reason: 'not asked for' } : await checkMmm(input, period.fromDate, period.toDate, daily),
  }
}

function compare(method: string, truth: TruthFile, estimateOf: (channel: string) => { orders: number; revenue: number }, elsewhere: number, only?: ReadonlySet<string>): MethodAccuracy {
  const channels = truth.channels
    .filter((c) => !only || only.has(c.channel))
    .map((c) => {
      const estimate = estimateOf(c.channel)
      return { channel: c.channel, trueOrders: c.incrementalOrders, estimatedOrders: estimate.orders, trueRevenueMinor: c.incrementalRevenueMinor, estimatedRevenueMinor: estimate.revenue }
    })
  return {
    method,
    channels,
    orders: accuracy(channels.map((c) => ({ estimate: c.estimatedOrders, truth: c.trueOrders }))),
    revenue: accuracy(channels.map((c) => ({ estimate: c.estimatedRevenueMinor, truth: c.trueRevenueMinor }))),
    creditedElsewhere: elsewhere,
  }
}

/** A daily media-mix model of orders on the paid channels' spend, when the history is long enough. */
async function checkMmm(input: TruthCheckInput, fromDate: string, toDate: string, daily: Map<string, number>): Promise<TruthCheckReport['mmm']> {
  const { truth } = input
  const rows = (await dailySpend(input.database.db, { workspaceId: input.workspaceId, fromDate, toDate })).filter((r) => r.currency === truth.currency)
  if (rows.length === 0) return { kind: 'skipped', reason: `no spend in ${truth.currency} between ${fromDate} and ${toDate}: import spend.csv first (chorus spend import)` }
  const dates: string[] = []
  for (let day = fromDate; day <= toDate; day = nextDay(day)) dates.push(day)
  const index = new Map(dates.map((d, i) => [d, i]))
  const spend = new Map<string, number[]>()
  for (const row of rows) {
    let series = spend.get(row.channel)
    if (!series) spend.set(row.channel, (series = new Array<number>(dates.length).fill(0)))
    const i = index.get(row.date)
    if (i !== undefined) series[i]! += majorAmount(row.costMinor, row.currency)
  }
  const dataset: MmmDatasetInput = {
    dates,
    outcome: { name: 'orders', values: dates.map((d) => daily.get(d) ?? 0) },
    channels: [...spend].map(([name, values]) => ({ name, spend: values })),
  }
  let options: MmmFitOptionsInput = { iterations: input.mmmIterations ?? 1000, seed: input.seed ?? 1 }
  let ready = mmmReadiness(dataset, options)
  let weekdayTerms = true
  if (ready.kind !== 'ready') {
    // Six day-of-week terms are the first thing a short daily history cannot afford (90 days
    // and four channels need 110 days with them, 50 without): fit without them rather than not at all.
    const withoutWeekdays = { ...options, weeklyHarmonics: 0 }
    const second = mmmReadiness(dataset, withoutWeekdays)
    if (second.kind !== 'ready') return { kind: 'skipped', reason: ready.message }
    ;[options, ready, weekdayTerms] = [withoutWeekdays, second, false]
  }
  const fit = fitMmm(dataset, options)
  if (fit.kind !== 'fitted') return { kind: 'skipped', reason: fit.message }
  const contribution = new Map(fit.report.channels.map((c) => [c.channel, c.contribution]))
  const accuracy = compare('mmm', truth, (c) => ({ orders: contribution.get(c) ?? 0, revenue: 0 }), 0, new Set(contribution.keys()))
  return { kind: 'fitted', accuracy, holdoutR2: fit.report.metrics.holdout.r2 ?? null, periods: dates.length, iterations: input.mmmIterations ?? 1000, weekdayTerms }
}

function nextDay(date: string): string {
  const at = Date.parse(`${date}T00:00:00Z`) + 86_400_000
  return new Date(at).toISOString().slice(0, 10)
}
