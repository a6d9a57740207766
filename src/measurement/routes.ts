import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../server/context.ts'
import { attributionRoutes } from './routes-attribution.ts'
import { channelRuleRoutes } from './routes-channel-rules.ts'
import { conversionRoutes } from './routes-conversions.ts'
import { spendRoutes } from './routes-spend.ts'
import { mmmRoutes } from './media-mix/mmm-routes.ts'

/**
 * The measurement admin API under `/api/v1/measurement`: channel rules, conversions, spend,
 * attribution on the log and ROI, media-mix models. Spend's CSV upload gets its own scope so its `text/csv` body
 * parser applies to it alone.
 */
export async function measurementRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  await channelRuleRoutes(fastify, ctx)
  await conversionRoutes(fastify, ctx)
  await attributionRoutes(fastify, ctx)
  await mmmRoutes(fastify, ctx)
  await fastify.register(async (scope) => spendRoutes(scope, ctx))
}
