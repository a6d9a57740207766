/** Each workspace's ordered channel rules (measurement/grouping); `version` guards concurrent edits. */
export interface MeasurementChannelRulesTable {
  workspace_id: string
  rules: string
  version: number
  updated_at: number
}

/** Named conversion definitions (measurement/touchpoints). */
export interface MeasurementConversionsTable {
  workspace_id: string
  key: string
  definition: string
  created_at: number
  updated_at: number
}

/** Daily ad spend per channel and campaign, money in minor units (measurement/spend). */
export interface MeasurementSpendTable {
  workspace_id: string
  /** The ad account's local date, YYYY-MM-DD. */
  date: string
  channel: string
  /** '' when the export has no campaign. */
  campaign: string
  impressions: number
  clicks: number
  cost_minor: number
  currency: string
  source: string | null
  updated_at: number
}

/** Events per quarter hour and touch facts (see `src/events`); `facts` is '' for events that are not touches. */
export interface EventCountsTable {
  workspace_id: string
  /** Start of the quarter hour, epoch ms (UTC). */
  bucket: number
  facts: string
  events: number
}

/** Media-mix model runs (measurement/media-mix): job progress, the fitted model and its report. */
export interface MeasurementMmmModelsTable {
  id: string
  workspace_id: string
  /** `queued`, `running`, `fitted`, `insufficient_history` or `failed`. */
  status: string
  /** 0–1. */
  progress: number
  stage: string
  options: string
  dataset: string | null
  model: string | null
  result: string | null
  error: string | null
  created_by: string | null
  created_at: number
  updated_at: number
  finished_at: number | null
}
