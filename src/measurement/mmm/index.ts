/**
 * Marketing-mix modelling (MMM) and budget optimisation: fit adstock + Hill saturation media
 * effects with a non-negative ridge regression, read contributions, ROI and response curves,
 * and split a budget where marginal returns are highest. See docs/mmm.md.
 */
export { MmmDataset, MmmChannel, MmmControl, parseMmmDataset, type MmmDatasetInput } from './dataset.ts'
export {
  ColumnMapping,
  datasetFromCsv,
  datasetFromTable,
  readDatasetCsv,
  type ColumnMappingInput,
  type DatasetLoad,
  type RowRejection,
} from './dataset-loader.ts'
export { parseCsv, type CsvRecord, type CsvTable } from './csv-table.ts'
export {
  AdstockSpec,
  GeometricAdstock,
  WeibullAdstock,
  adstockWeights,
  applyAdstock,
  carryoverMultiplier,
  type AdstockType,
} from './adstock.ts'
export { hill, hillDerivative, hillInflexionPoint, robynHalfSaturation, saturateSeries } from './saturation.ts'
export { fitConstrainedRidge, type RidgeFit, type RidgeProblem } from './constrained-ridge.ts'
export { fitMetrics, FitMetrics } from './fit-metrics.ts'
export { MmmFitOptions, ChannelSearchBounds, type MmmFitOptionsInput } from './fit-options.ts'
export { fitMmm, fitMmmWithProgress, mmmReadiness, type FitOutcome, type Readiness } from './fit-model.ts'
export { FitReport, ChannelReport } from './fit-report.ts'
export { MmmModel, ChannelModel, ModelTerm } from './model.ts'
export {
  channelResponseCurve,
  sampleResponseCurve,
  ResponsePoint,
  type ResponseCurve,
} from './response-curve.ts'
export {
  allocateBudget,
  type AllocatedChannel,
  type AllocationOutcome,
  type AllocationProblem,
  type SpendBounds,
} from './budget-allocator.ts'
export {
  ChannelBoundSpec,
  parseBoundSpecs,
  resolveSpendBounds,
  DEFAULT_MIN_RATIO,
  DEFAULT_MAX_RATIO,
} from './budget-bounds.ts'
export {
  optimiseBudget,
  evaluateAllocation,
  BudgetRequest,
  type BudgetPlan,
  type PlannedChannel,
  type ScenarioResult,
  type ScenarioChannel,
} from './model-budget.ts'
export {
  recommendFromAttribution,
  AttributionReallocationInput,
  type AttributionRecommendation,
} from './attribution-reallocation.ts'
export { searchUnitCube, searchSteps, type SearchProblem, type SearchResult } from './hyperparameter-search.ts'
export { createSeededRandom, type SeededRandom } from './seeded-random.ts'
export {
  simulateMediaDataset,
  type SimulatedChannel,
  type Simulation,
  type SimulationSpec,
} from './simulated-dataset.ts'
