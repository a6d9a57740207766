/** Shapes of the media-mix API (src/measurement/media-mix), as the dashboard reads them. Money is in major units (yuan). */
export interface FitMetrics {
  r2: number | null
  nrmse: number | null
  mape: number | null
  periods: number
}

export interface ResponsePoint {
  spend: number
  response: number
  marginal: number | null
  roi: number | null
}

export interface MmmChannel {
  channel: string
  spend: number
  meanSpend: number
  contribution: number
  share: number
  shareOfOutcome: number
  roi: number | null
  marginalRoi: number | null
  responseCurve: ResponsePoint[]
}

export interface AttributionRecommendation {
  method: 'attribution-roas-heuristic'
  assumptions: string[]
  budget: number
  channels: Array<{ channel: string; cost: number; attributedRevenue: number; roas: number; recommendedSpend: number; change: number; expectedRevenue: number }>
  excluded: Array<{ channel: string; reason: string }>
  currentRevenue: number
  expectedRevenue: number
  expectedUplift: number
}

export type MmmRunStatus = 'queued' | 'running' | 'fitted' | 'insufficient_history' | 'failed'

export interface MmmRun {
  id: string
  status: MmmRunStatus
  progress: number
  stage: string
  options: { outcome: 'revenue' | 'conversions'; cadence: 'day' | 'week'; iterations: number }
  dataset: {
    from: string
    to: string
    cadence: 'day' | 'week'
    periods: number
    currency: string
    conversion: { key: string; name: string }
    outcome: { name: 'revenue' | 'conversions'; total: number }
    channels: Array<{ channel: string; spend: number; activePeriods: number }>
    notes: string[]
  } | null
  report: {
    split: { train: { from: string; to: string; periods: number }; holdout: { from: string; to: string; periods: number } }
    metrics: { train: FitMetrics; holdout: FitMetrics }
    channels: MmmChannel[]
    notes: string[]
  } | null
  insufficientHistory: {
    periods: number
    requiredPeriods: number
    message: string
    recommendation: AttributionRecommendation | null
    recommendationNote: string | null
  } | null
  error: string | null
  createdAt: string
  finishedAt: string | null
}

export interface PlannedChannel {
  channel: string
  currentSpend: number
  recommendedSpend: number
  change: number
  lower: number
  upper: number
  atBound: 'lower' | 'upper' | null
  currentResponse: number
  recommendedResponse: number
  recommendedMarginal: number | null
}

export interface BudgetPlan {
  kind: 'planned'
  budget: number
  currentBudget: number
  channels: PlannedChannel[]
  currentResponse: number
  recommendedResponse: number
  uplift: number
  upliftRelativeToOutcome: number | null
}

export type OptimiseAnswer = { basis: 'mmm'; plan: BudgetPlan } | { basis: 'attribution'; recommendation: AttributionRecommendation }

export interface Scenario {
  channels: Array<{ channel: string; spend: number; response: number; currentSpend: number; currentResponse: number }>
  totalSpend: number
  totalResponse: number
  currentSpend: number
  currentResponse: number
  change: number
  changeRelativeToOutcome: number | null
}

/** Roles the API lets start a fit (the others may read). */
export const FIT_ROLES = ['admin', 'marketer', 'analyst'] as const
