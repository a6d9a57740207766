/** Shapes of the measurement API (src/measurement), as the dashboard reads them. */
export const MODELS = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'markov', 'shapley', 'shapley_ordered'] as const
export type ModelName = (typeof MODELS)[number]

export interface RowKey {
  label: string
  channel: string
  group: string
  campaign: string | null
  journey: string | null
}

export interface CreditedRow extends RowKey {
  conversions: number
  revenueMinor: number
  costMinor: number | null
  roas: number | null
  cpa: number | null
}

export interface AttributionReport {
  period: { from: string; to: string; fromDate: string; toDate: string; timeZone: string }
  currency: string
  totals: { conversions: number; revenueMinor: number; journeys: number; nullJourneys: number; people: number; costMinor: number }
  models: Partial<Record<ModelName, CreditedRow[]>>
  comparison: Array<RowKey & { costMinor: number | null; models: Partial<Record<ModelName, { conversions: number; revenueMinor: number }>> }>
  markov: { order: number; conversionProbability: number; removalEffects: Array<{ label: string; conversions: number; value: number }> } | null
  topPaths: Array<{ path: string[]; conversions: number; revenueMinor: number; nulls: number }>
  warnings: string[]
}

export interface RoiRow extends RowKey {
  costMinor: number
  impressions: number
  clicks: number
  conversions: number
  revenueMinor: number
  newCustomers: number
  roas: number | null
  roi: number | null
  cpa: number | null
  cac: number | null
}

export interface RoiReport {
  model: ModelName
  currency: string
  rows: RoiRow[]
  totals: Omit<RoiRow, keyof RowKey>
  warnings: string[]
}

export interface Conversion {
  key: string
  name?: string
  [field: string]: unknown
}
