import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../server/context.ts'
import { funnelRoutes } from './funnel-routes.ts'
import { reportRoutes } from './report-routes.ts'
import { modelRoutes } from './model-routes.ts'

/**
 * Customer and funnel metrics under /api/v1/measurement: funnels, retention, lifecycle, LTV,
 * scores, model runs and experiments.
 */
export async function customerMetricsRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  await funnelRoutes(fastify, ctx)
  await reportRoutes(fastify, ctx)
  await modelRoutes(fastify, ctx)
}
