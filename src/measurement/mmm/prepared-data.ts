/**
 * Turns a validated dataset and fit options into the columns the regression sees, the media
 * series the transformations act on, and the time-ordered split:
 *
 *   [0, validationStart)          fitted while searching
 *   [validationStart, holdoutStart) scores search candidates
 *   [0, holdoutStart)             "train": the final model is fitted here
 *   [holdoutStart, n)             hold-out: only ever predicted, for honest figures
 */
import type { MmmDataset } from './dataset.ts'
import type { MmmFitOptions } from './fit-options.ts'
import { buildTimeTerms } from './time-terms.ts'

export interface FixedColumn {
  name: string
  group: 'trend' | 'seasonality' | 'control'
  values: Float64Array
}

export interface MediaSeries {
  name: string
  /** What the transformations act on: spend or impressions. */
  input: Float64Array
  spend: Float64Array
  exposurePerSpend: number
  /** False when the channel has no input in the training periods. */
  modelled: boolean
}

export interface PreparedData {
  dates: readonly string[]
  outcomeName: string
  y: Float64Array
  n: number
  fixed: FixedColumn[]
  media: MediaSeries[]
  adstockWindow: number
  cadenceDays: number
  validationStart: number
  holdoutStart: number
  notes: string[]
}

export type PrepareOutcome =
  | { kind: 'prepared'; data: PreparedData }
  | {
      kind: 'InsufficientHistory'
      periods: number
      requiredPeriods: number
      variables: number
      message: string
    }

/**
 * @example
 * const outcome = prepareData(dataset, MmmFitOptions.parse({}))
 * if (outcome.kind === 'prepared') console.log(outcome.data.holdoutStart)
 */
export function prepareData(dataset: MmmDataset, options: MmmFitOptions): PrepareOutcome {
  const n = dataset.dates.length
  const time = buildTimeTerms(dataset.dates, {
    trend: options.trend,
    yearlyHarmonics: options.yearlyHarmonics,
    weeklyHarmonics: options.weeklyHarmonics,
  })
  const fixed: FixedColumn[] = [
    ...time.terms.map((t) => ({ name: t.name, group: t.group, values: t.values })),
    ...dataset.controls.map((c) => ({ name: c.name, group: 'control' as const, values: Float64Array.from(c.values) })),
  ]
  const variables = fixed.length + dataset.channels.length
  const holdout = Math.max(1, Math.round(n * options.holdoutFraction))
  const validation = Math.max(1, Math.round(n * options.validationFraction))
  const holdoutStart = n - holdout
  const validationStart = holdoutStart - validation
  const requiredPeriods = requiredPeriodsFor(variables, options)
  if (n < requiredPeriods || validationStart <= variables + 1) {
    return {
      kind: 'InsufficientHistory',
      periods: n,
      requiredPeriods,
      variables,
      message:
        `${n} periods are too few for a marketing-mix model with ${variables} explanatory variables ` +
        `(need at least ${requiredPeriods}: ${options.minPeriodsPerVariable} per variable). ` +
        'Use fewer channels, controls or seasonality terms, collect more history, or use the ' +
        'attribution ROAS reallocation (recommendFromAttribution) until then.',
    }
  }

  const notes = [...time.notes]
  const media: MediaSeries[] = dataset.channels.map((channel) => {
    const spend = Float64Array.from(channel.spend)
    let input = spend
    let exposurePerSpend = 1
    if (options.mediaInput === 'impressions') {
      if (!channel.impressions) {
        throw new Error(`channel '${channel.name}' has no impressions; map an impressions column or model spend`)
      }
      input = Float64Array.from(channel.impressions)
      const totalSpend = sum(spend)
      // Response curves are in spend; a constant cost per impression converts between the two.
      exposurePerSpend = totalSpend > 0 ? sum(input) / totalSpend : 0
    }
    let trainInput = 0
    for (let t = 0; t < holdoutStart; t++) trainInput += input[t] as number
    const modelled = trainInput > 0
    if (!modelled) notes.push(`channel '${channel.name}' has no ${options.mediaInput} before the hold-out and is left out`)
    return { name: channel.name, input, spend, exposurePerSpend, modelled }
  })

  return {
    kind: 'prepared',
    data: {
      dates: dataset.dates,
      outcomeName: dataset.outcome.name,
      y: Float64Array.from(dataset.outcome.values),
      n,
      fixed,
      media,
      adstockWindow: options.adstockWindow ?? n,
      cadenceDays: time.cadenceDays,
      validationStart,
      holdoutStart,
      notes,
    },
  }
}

/**
 * Periods needed for `variables` explanatory variables: Robyn's ten per variable by default, and
 * always enough that the search fit has more rows than unknowns once the validation and hold-out
 * blocks are set aside.
 *
 * @example
 * requiredPeriodsFor(14, MmmFitOptions.parse({})) // 140
 */
export function requiredPeriodsFor(variables: number, options: MmmFitOptions): number {
  return Math.max(
    Math.ceil(options.minPeriodsPerVariable * variables),
    Math.ceil((variables + 2) / (1 - options.holdoutFraction - options.validationFraction)),
  )
}

function sum(values: Float64Array): number {
  let s = 0
  for (const v of values) s += v
  return s
}
