import type { FastifyRequest } from 'fastify'
import { principalOf } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import type { CampaignPlanner } from './planner.ts'
import type { CampaignRecord } from './store/campaigns.ts'
import type { Outcome } from './store/outcome.ts'

/** The value of an outcome, or the HTTP error its refusal means: 404, 400 with every problem, 409. */
export function answer<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value
  if (outcome.kind === 'NotFound') throw new HttpError(404, 'NotFound', outcome.message)
  if (outcome.kind === 'Conflict') throw new HttpError(409, 'Conflict', outcome.message)
  throw new HttpError(400, 'InvalidPlan', outcome.message, outcome.problems)
}

/** The campaign named in the path, in the caller's workspace, or 404. */
export async function campaignOf(planner: CampaignPlanner, request: FastifyRequest, id: string): Promise<CampaignRecord> {
  const campaign = await planner.get(principalOf(request).workspaceId, id)
  if (!campaign) throw new HttpError(404, 'NotFound', `no campaign ${id}`)
  return campaign
}

/** Who acts (recorded in the plan's audit and on decisions). */
export function actorOf(request: FastifyRequest): string {
  return principalOf(request).tokenId
}
