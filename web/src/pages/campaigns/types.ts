/** Shapes of the campaigns API (src/campaigns), as the dashboard reads them. */
export type CampaignStatus = 'planning' | 'running' | 'finished'
export const JOURNEY_STAGES = ['awareness', 'consideration', 'decision', 'loyalty'] as const
export type JourneyStage = (typeof JOURNEY_STAGES)[number]
export const GOAL_METRICS = ['reach', 'traffic', 'leads', 'conversions', 'revenue', 'new_customers', 'roi', 'cac'] as const
export type GoalMetric = (typeof GOAL_METRICS)[number]
export const MONEY_METRICS = new Set<GoalMetric>(['revenue', 'cac'])
export const DEPARTMENTS = ['marketing', 'sales', 'product', 'service', 'it'] as const
export const CHANNEL_ROLES = ['reach', 'engage', 'convert', 'serve'] as const

export interface Goal {
  id: string
  statement: string
  metric?: GoalMetric
  target?: number
  baseline?: { kind: 'previous-period' } | { kind: 'value'; value: number; note?: string }
  deadline?: string
  why?: string
  channel?: string
}

export interface ChannelMixEntry {
  channel: string
  roles: Partial<Record<JourneyStage, (typeof CHANNEL_ROLES)[number]>>
  assumedRoas?: number
  cpaThresholdMinor?: number
  paused?: boolean
  notes?: string
  [field: string]: unknown
}

export interface Task {
  id: string
  name: string
  owner: string
  department: (typeof DEPARTMENTS)[number]
  start: string
  end: string
  dependsOn: string[]
  deliverables?: unknown[]
}

export interface CampaignPlan {
  insight: { goals: Goal[]; audiences: Array<{ audienceId: string; name?: string; role?: string }>; personas: unknown[]; competitors: unknown[]; resources: { budgetMinor?: number; team: unknown[]; constraints: string[] } }
  strategy: { houseId?: string | null; channelMix: ChannelMixEntry[]; budget?: { totalMinor: number; lines: Array<{ channel: string; amountMinor: number; note?: string }>; test?: { amountMinor: number; channels: string[]; hypothesis: string } } }
  execution: { tasks: Task[] }
  monitoring: Record<string, unknown>
}

export interface Campaign {
  id: string
  name: string
  brand: string
  status: CampaignStatus
  startsAt: string
  endsAt: string
  timezone: string
  currency: string
  houseId: string | null
  plan: CampaignPlan
  planVersion: number
  updatedAt: string
}

export interface GoalAssessment {
  goalId: string
  smart: boolean
  missing: Array<'S' | 'M' | 'A' | 'R' | 'T'>
  letters: Record<'S' | 'M' | 'A' | 'R' | 'T', { status: string; message: string }>
}

export interface BudgetForecast {
  method: string
  currency: string
  channels: Array<{ channel: string; plannedMinor: number; basis: 'history' | 'assumed-roas' | 'none'; forecastRevenueMinor: number | null; forecastRoas: number | null; recommendedMinor: number | null }>
  plannedMinor: number
  forecastRevenueMinor: number
  forecastRoas: number | null
  recommendationNote: string | null
  assumptions: string[]
}

export interface GanttData {
  range: { start: string; end: string }
  rows: Array<{ id: string; name: string; owner: string; department: string; start: string; end: string; critical: boolean; slackDays: number; dependsOn: string[]; deliverables: number }>
  links: Array<{ from: string; to: string }>
}

export interface Schedule {
  projectStart: string | null
  projectFinish: string | null
  criticalPath: string[]
  criticalTasks: string[]
  conflicts: Array<{ kind: string; message: string }>
  gantt: GanttData
}

export interface GoalProgress {
  goalId: string
  statement: string
  metric: GoalMetric | null
  target: number | null
  actual: number | null
  expectedByNow: number | null
  projected: number | null
  status: 'ahead' | 'on-track' | 'behind' | 'not-started' | 'done' | 'unmeasurable'
  note: string | null
}

export interface ChannelRow {
  channel: string
  spendMinor: number | null
  conversions: number
  revenueMinor: number
  plannedMinor: number | null
  paused: boolean
  roas: number | null
  cpaMinor: number | null
}

export interface Snapshot {
  elapsed: number
  currency: string
  kpis: { reach: number; leads: number; conversions: number; revenueMinor: number; newCustomers: number; traffic: { views: number; visitors: number }; spendMinor: number | null; roi: number | null; roas: number | null; cacMinor: number | null }
  goals: GoalProgress[]
  channels: ChannelRow[]
}

export interface AlertView {
  id: string
  kind: string
  subject: string
  status: 'open' | 'confirmed' | 'dismissed' | 'resolved'
  message: string
  actions: Array<{ id: string; kind: string; description: string }>
  raisedAt: string
}

export interface Retrospective {
  generatedAt: string
  finished: boolean
  goals: Array<{ goalId: string; statement: string; metric: string | null; target: number | null; actual: number | null; verdict: 'achieved' | 'missed' | 'in-progress' | 'unmeasurable'; difference: number | null; differenceShare: number | null }>
  kpis: Snapshot['kpis']
  channels: { available: boolean; note: string; rows: ChannelRow[] }
  journeys: { available: boolean; note: string; items: Array<{ journeyId: string; name: string; entered: number; converted: number }> }
  content: { available: boolean; note: string; score: number | null; pillarsCarried: string[]; pillarsMissing: string[] }
  changes: Array<{ section?: string; reason?: string | null; at?: string; duringCampaign: boolean; [field: string]: unknown }>
  alerts: Array<{ id: string; kind: string; status: string; message: string }>
  lessons: Lesson[]
}

export interface Lesson {
  id: string
  campaignId: string | null
  title: string
  body: string
  channels: string[]
  tags: string[]
  createdAt: string
}
