import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../server/context.ts'
import { CampaignPlanner } from './planner.ts'
import { planRoutes } from './routes-plan.ts'
import { monitoringRoutes } from './routes-monitoring.ts'
import { reviewRoutes } from './routes-review.ts'

/** The campaign planner's admin API under `/api/v1/campaigns` (and `/api/v1/lessons`). */
export async function campaignRoutes(fastify: FastifyInstance, ctx: AppContext, options: { planner?: CampaignPlanner } = {}): Promise<void> {
  const planner = options.planner ?? (await CampaignPlanner.open({ database: ctx.database }))
  await planRoutes(fastify, ctx, planner)
  await monitoringRoutes(fastify, ctx, planner)
  await reviewRoutes(fastify, ctx, planner)
}
