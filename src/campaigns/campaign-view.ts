import type { CampaignPlan } from './plan/schema.ts'
import { iso } from './plan/time.ts'
import type { CampaignRecord, CampaignStatus } from './store/campaigns.ts'

/** A campaign as the API shows it: instants as ISO strings, the plan as stored. */
export interface CampaignView {
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
  createdBy: string
  createdAt: string
  updatedAt: string
}

export function campaignView(c: CampaignRecord): CampaignView {
  return {
    id: c.id,
    name: c.name,
    brand: c.brand,
    status: c.status,
    startsAt: iso(c.startsAt),
    endsAt: iso(c.endsAt),
    timezone: c.timezone,
    currency: c.currency,
    houseId: c.houseId,
    plan: c.plan,
    planVersion: c.planVersion,
    createdBy: c.createdBy,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  }
}
