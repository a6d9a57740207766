/**
 * Multi-touch attribution over customer paths: rule-based models, Markov-chain removal effects
 * (exact, orders 1–4 or chosen by BIC) and Shapley values, all reading one columnar
 * {@link PathSet} built from aggregated path tables or timestamped event-log paths.
 * See docs/attribution.md.
 */
export { AggregatedPath, Touch, TouchPath, DAY_MS } from './path.ts'
export { PathSetBuilder, buildPathSet, type PathSet, type PathSetReport } from './path-set.ts'
export {
  PathFileOptions,
  readPathFile,
  readPathLines,
  splitRecord,
  type PathFileReport,
  type PathFileResult,
} from './path-file.ts'
export {
  creditRecord,
  channelOrder,
  emptyCredits,
  pathTotals,
  type ChannelCredit,
  type ChannelCredits,
  type PathTotals,
} from './credits.ts'
export {
  firstTouch,
  lastTouch,
  lastNonDirect,
  linear,
  positionBased,
  type LastNonDirectOptions,
  type PositionBasedOptions,
} from './rule-models.ts'
export { timeDecay, type TimeDecayOptions } from './time-decay.ts'
export { shapley, orderedShapley, type OrderedShapleyCredits } from './shapley.ts'
export { buildMarkovGraphs, countMarkovGraph, coarsenGraph, MAX_MARKOV_ORDER, type MarkovGraph } from './markov-graph.ts'
export { orderScore, chooseOrder, type OrderScore } from './markov-order.ts'
export {
  absorbingChain,
  solveAbsorption,
  DIRECT_SOLVE_MAX_STATES,
  type AbsorbingChain,
  type Absorption,
  type AbsorptionSolver,
  type AbsorptionVectors,
} from './absorption.ts'
export {
  markovModel,
  markovFromGraph,
  START_STATE,
  CONVERSION_STATE,
  NULL_STATE,
  type MarkovOptions,
  type MarkovResult,
  type RemovalEffects,
  type Transition,
} from './markov-model.ts'
export {
  attribute,
  attributionJson,
  AttributionOptions,
  MODEL_NAMES,
  ModelName,
  type AttributionJson,
  type AttributionReport,
} from './attribute.ts'
