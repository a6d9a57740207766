import { absorbingChain, solveAbsorption, type AbsorptionSolver, type AbsorbingChain } from './absorption.ts'
import { emptyCredits, type ChannelCredits } from './credits.ts'
import { buildMarkovGraphs, MAX_MARKOV_ORDER, type MarkovGraph } from './markov-graph.ts'
import { chooseOrder, orderScore, type OrderScore } from './markov-order.ts'
import type { PathSet } from './path-set.ts'

/** Options of {@link markovModel}. */
export interface MarkovOptions {
  /** Chain order 1–4, or `auto` to pick it by BIC (see {@link orderScore}). Default 1. */
  order?: number | 'auto'
  /** Highest order `auto` considers. Default 4. */
  maxOrder?: number
  /** Linear solver; `auto` is dense LU up to 256 states, Gauss–Seidel beyond. */
  solver?: AbsorptionSolver
}

/** One transition probability of the fitted chain, states named like ChannelAttribution's. */
export interface Transition {
  from: string
  to: string
  probability: number
}

/** A removal effect per channel id, for conversions and for value. */
export interface RemovalEffects {
  readonly conversions: Float64Array
  readonly value: Float64Array
}

export interface MarkovResult {
  order: number
  credits: ChannelCredits
  removalEffects: RemovalEffects
  /** P(conversion) of a journey from `(start)`. */
  conversionProbability: number
  /** Expected conversion value of a journey from `(start)`. */
  valuePerJourney: number
  transitions: Transition[]
  /** The candidates scored when the order was chosen automatically, else `null`. */
  orderScores: OrderScore[] | null
}

export const START_STATE = '(start)'
export const CONVERSION_STATE = '(conversion)'
export const NULL_STATE = '(null)'

/**
 * Markov-chain attribution by removal effects (Anderl, Becker, von Wangenheim & Schumann 2016,
 * "Mapping the customer journey"; conventions of ChannelAttribution, see {@link MarkovGraph}),
 * computed exactly by solving the absorbing chain rather than by simulation.
 *
 * The removal effect of channel c is `1 − P(conversion | c removed) / P(conversion)`, where
 * removing c sends every transition into a state that contains c to `(null)`. It equals the
 * share of converting journeys of the chain that pass through c, which is what
 * ChannelAttribution's simulation estimates. The value removal effect is the same with conversion
 * value as the absorbing weight (expected value instead of probability, see
 * {@link absorbingChain}), matching ChannelAttribution's `removal_effects_conversion_value`.
 * Total conversions are then split in proportion to the conversion removal effects and total
 * value in proportion to the value removal effects, so both add up to the totals exactly.
 *
 * @example
 * const result = markovModel(paths, { order: 'auto' })
 * result.order // → the order BIC picked
 * result.removalEffects.conversions[channelId]
 */
export function markovModel(paths: PathSet, options: MarkovOptions = {}): MarkovResult {
  const requested = options.order ?? 1
  let graph: MarkovGraph
  let orderScores: OrderScore[] | null = null
  if (requested === 'auto') {
    const maxOrder = options.maxOrder ?? MAX_MARKOV_ORDER
    const orders = Array.from({ length: maxOrder }, (_, i) => i + 1)
    const graphs = buildMarkovGraphs(paths, orders)
    orderScores = graphs.map(orderScore)
    const chosen = chooseOrder(orderScores)
    graph = graphs[chosen - 1]!
  } else {
    graph = buildMarkovGraphs(paths, [requested])[0]!
  }
  return markovFromGraph(paths, graph, { solver: options.solver, orderScores })
}

/**
 * Removal effects, credits and transitions of an already built graph.
 *
 * @example
 * const [second] = buildMarkovGraphs(paths, [2])
 * markovFromGraph(paths, second!).removalEffects
 */
export function markovFromGraph(
  paths: PathSet,
  graph: MarkovGraph,
  options: { solver?: AbsorptionSolver; orderScores?: OrderScore[] | null } = {},
): MarkovResult {
  const chain = absorbingChain(graph)
  const full = solveAbsorption(chain, { solver: options.solver })
  const channelCount = paths.channels.length
  const removalEffects = { conversions: new Float64Array(channelCount), value: new Float64Array(channelCount) }
  const statesOf = statesByChannel(graph)
  const removed = new Uint8Array(graph.stateCount)
  for (let c = 0; c < channelCount; c++) {
    const states = statesOf[c]!
    if (states.length === 0) continue
    removed.fill(0)
    for (const s of states) removed[s] = 1
    const without = solveAbsorption(chain, { removed, solver: options.solver, warmStart: full.vectors })
    removalEffects.conversions[c] = full.conversion > 0 ? 1 - without.conversion / full.conversion : 0
    removalEffects.value[c] = full.value > 0 ? 1 - without.value / full.value : 0
  }
  return {
    order: graph.order,
    credits: creditsByRemovalEffects(paths, removalEffects),
    removalEffects,
    conversionProbability: full.conversion,
    valuePerJourney: full.value,
    transitions: transitionList(graph, chain),
    orderScores: options.orderScores ?? null,
  }
}

/** The states whose window holds each channel. */
function statesByChannel(graph: MarkovGraph): number[][] {
  const statesOf: number[][] = graph.channels.map(() => [])
  for (let s = 0; s < graph.stateCount; s++) {
    for (let d = 0; d < graph.order; d++) {
      const c = graph.stateChannels[s * graph.order + d]!
      if (c < 0) break
      const list = statesOf[c]!
      if (list[list.length - 1] !== s) list.push(s)
    }
  }
  return statesOf
}

function creditsByRemovalEffects(paths: PathSet, effects: RemovalEffects): ChannelCredits {
  const credits = emptyCredits(paths)
  let totalConversions = 0
  let totalValue = 0
  for (let i = 0; i < paths.size; i++) {
    totalConversions += paths.conversions[i]!
    totalValue += paths.values[i]!
  }
  let sumConversions = 0
  let sumValue = 0
  for (let c = 0; c < credits.channels.length; c++) {
    sumConversions += effects.conversions[c]!
    sumValue += effects.value[c]!
  }
  for (let c = 0; c < credits.channels.length; c++) {
    if (sumConversions > 0) credits.conversions[c] = (effects.conversions[c]! / sumConversions) * totalConversions
    if (sumValue > 0) credits.value[c] = (effects.value[c]! / sumValue) * totalValue
  }
  return credits
}

/** The fitted transition probabilities, sorted by source then target name. */
function transitionList(graph: MarkovGraph, chain: AbsorbingChain): Transition[] {
  const names = Array.from({ length: graph.stateCount }, (_, s) => stateName(graph, s))
  const list: Transition[] = []
  for (let s = 0; s < graph.stateCount; s++) {
    if (chain.startProbabilities[s]! > 0) list.push({ from: START_STATE, to: names[s]!, probability: chain.startProbabilities[s]! })
  }
  for (let s = 0; s < graph.stateCount; s++) {
    for (let e = graph.rowOffsets[s]!; e < graph.rowOffsets[s + 1]!; e++) {
      list.push({ from: names[s]!, to: names[graph.targets[e]!]!, probability: chain.probabilities[e]! })
    }
    let out = graph.conversions[s]! + graph.nulls[s]!
    for (let e = graph.rowOffsets[s]!; e < graph.rowOffsets[s + 1]!; e++) out += graph.weights[e]!
    if (graph.conversions[s]! > 0) list.push({ from: names[s]!, to: CONVERSION_STATE, probability: chain.conversionRates[s]! })
    if (graph.nulls[s]! > 0) list.push({ from: names[s]!, to: NULL_STATE, probability: graph.nulls[s]! / out })
  }
  return list.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to))
}

/** A state's name: its channels joined by `,`, as ChannelAttribution names higher-order states. */
function stateName(graph: MarkovGraph, s: number): string {
  const parts: string[] = []
  for (let d = 0; d < graph.order; d++) {
    const c = graph.stateChannels[s * graph.order + d]!
    if (c < 0) break
    parts.push(graph.channels[c]!)
  }
  return parts.join(',')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
