/** Campaign planner (src/campaigns): the plan is one validated JSON document per campaign. */
export interface CampaignsTable {
  id: string
  workspace_id: string
  name: string
  brand: string
  /** `planning`, `running` or `finished`. */
  status: string
  starts_at: number
  ends_at: number
  timezone: string
  currency: string
  house_id: string | null
  plan: string
  plan_version: number
  created_by: string
  created_at: number
  updated_at: number
}

export interface CampaignPlanEditsTable {
  id: string
  workspace_id: string
  campaign_id: string
  plan_version: number
  section: string
  changes: string
  reason: string | null
  actor: string
  at: number
}

export interface CampaignAlertsTable {
  id: string
  workspace_id: string
  campaign_id: string
  kind: string
  subject: string
  /** `open`, `confirmed`, `dismissed` or `resolved`. */
  status: string
  message: string
  data: string
  actions: string
  raised_at: number
  decided_at: number | null
  decided_by: string | null
  decision: string | null
}

export interface CampaignReviewsTable {
  campaign_id: string
  workspace_id: string
  report: string
  markdown: string
  generated_by: string
  generated_at: number
}

export interface CampaignLessonsTable {
  id: string
  workspace_id: string
  campaign_id: string | null
  title: string
  body: string
  channels: string
  metrics: string
  tags: string
  created_by: string
  created_at: number
}
