/** Saved funnel definitions (measurement/customers). */
export interface CustomerFunnelsTable {
  id: string
  workspace_id: string
  name: string
  definition: string
  created_at: number
  updated_at: number
}

/** One model run (LTV, propensity, churn): its options, progress and, once done, its result. */
export interface CustomerModelsTable {
  id: string
  workspace_id: string
  kind: string
  /** `queued`, `running`, `succeeded` or `failed`. */
  status: string
  /** 0–1. */
  progress: number
  stage: string
  options: string
  result: string | null
  error: string | null
  created_at: number
  updated_at: number
  finished_at: number | null
}

/** The latest score of each kind per canonical profile (propensity, churn, predicted LTV…). */
export interface CustomerScoresTable {
  workspace_id: string
  kind: string
  profile_id: string
  score: number
  model_id: string
  computed_at: number
}

export interface CustomerLifecycleRulesTable {
  workspace_id: string
  rules: string
  updated_at: number
}
