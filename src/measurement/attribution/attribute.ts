import { z } from 'zod'
import { creditRecord, pathTotals, type ChannelCredit, type ChannelCredits, type PathTotals } from './credits.ts'
import { MAX_MARKOV_ORDER } from './markov-graph.ts'
import { markovModel, type MarkovResult, type Transition } from './markov-model.ts'
import type { PathSet } from './path-set.ts'
import { firstTouch, lastNonDirect, lastTouch, linear, positionBased } from './rule-models.ts'
import { orderedShapley, shapley, type OrderedShapleyCredits } from './shapley.ts'
import { timeDecay } from './time-decay.ts'

/** The models, by the names used in options, JSON output and the CLI. */
export const MODEL_NAMES = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'time_decay',
  'position_based',
  'markov',
  'shapley',
  'shapley_ordered',
] as const
export const ModelName = z.enum(MODEL_NAMES)
export type ModelName = z.infer<typeof ModelName>

/**
 * Which models to run and their settings.
 *
 * @example
 * AttributionOptions.parse({ models: ['linear', 'markov'], markovOrder: 'auto' })
 */
export const AttributionOptions = z.object({
  models: z.array(ModelName).min(1, 'choose at least one model').default([...MODEL_NAMES]),
  /** Markov chain order 1–4, or `auto` (lowest BIC). */
  markovOrder: z
    .union([z.number().int().min(1).max(MAX_MARKOV_ORDER), z.literal('auto')])
    .default(1),
  halfLifeDays: z.number().positive().finite().default(7),
  directChannels: z.array(z.string().min(1)).default(['direct']),
  firstShare: z.number().min(0).max(1).default(0.4),
  lastShare: z.number().min(0).max(1).default(0.4),
})
export type AttributionOptions = z.input<typeof AttributionOptions>

/** Every requested model's credits over one path set. */
export interface AttributionReport {
  totals: PathTotals
  models: Partial<Record<ModelName, ChannelCredits>>
  /** The full Markov result (order, removal effects, transitions) when `markov` ran. */
  markov: MarkovResult | null
  /** Ordered Shapley credits by touch position when `shapley_ordered` ran. */
  orderedShapley: OrderedShapleyCredits | null
}

/**
 * Runs the requested models over one path set.
 *
 * @example
 * const { paths } = await readPathFile('../shared/data/ChannelAttribution_Data.csv')
 * const report = attribute(paths, { models: ['last_touch', 'markov'], markovOrder: 'auto' })
 * attributionJson(report).models.markov
 */
export function attribute(paths: PathSet, options: AttributionOptions = {}): AttributionReport {
  const settings = AttributionOptions.parse(options)
  if (settings.firstShare + settings.lastShare > 1) {
    throw new RangeError('position-based first and last shares must add up to at most 1')
  }
  const report: AttributionReport = { totals: pathTotals(paths), models: {}, markov: null, orderedShapley: null }
  for (const model of new Set(settings.models)) {
    switch (model) {
      case 'first_touch':
        report.models[model] = firstTouch(paths)
        break
      case 'last_touch':
        report.models[model] = lastTouch(paths)
        break
      case 'last_non_direct':
        report.models[model] = lastNonDirect(paths, { directChannels: settings.directChannels })
        break
      case 'linear':
        report.models[model] = linear(paths)
        break
      case 'time_decay':
        report.models[model] = timeDecay(paths, { halfLifeDays: settings.halfLifeDays })
        break
      case 'position_based':
        report.models[model] = positionBased(paths, { firstShare: settings.firstShare, lastShare: settings.lastShare })
        break
      case 'markov':
        report.markov = markovModel(paths, { order: settings.markovOrder })
        report.models[model] = report.markov.credits
        break
      case 'shapley':
        report.models[model] = shapley(paths)
        break
      case 'shapley_ordered':
        report.orderedShapley = orderedShapley(paths)
        report.models[model] = report.orderedShapley
        break
    }
  }
  return report
}

/** The report as plain JSON: what `chorus attribution paths --json` prints. */
export interface AttributionJson {
  totals: PathTotals
  models: Partial<Record<ModelName, Record<string, ChannelCredit>>>
  markov: {
    order: number
    removalEffects: Record<string, ChannelCredit>
    transitions: Transition[]
  } | null
}

/**
 * Shapes a report as JSON: channels in name order, removal effects as
 * `{ channel: { conversions, value } }` (the conversion and the value removal effect).
 *
 * @example
 * JSON.stringify(attributionJson(attribute(paths)))
 */
export function attributionJson(report: AttributionReport): AttributionJson {
  const models: AttributionJson['models'] = {}
  for (const name of MODEL_NAMES) {
    const credits = report.models[name]
    if (credits) models[name] = creditRecord(credits)
  }
  const markov = report.markov
  return {
    totals: report.totals,
    models,
    markov: markov
      ? {
          order: markov.order,
          removalEffects: creditRecord({
            channels: markov.credits.channels,
            conversions: markov.removalEffects.conversions,
            value: markov.removalEffects.value,
          }),
          transitions: markov.transitions,
        }
      : null,
  }
}
