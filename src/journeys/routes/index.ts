import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../server/context.ts'
import { journeyRoutes } from './journey-routes.ts'
import { broadcastRoutes } from './broadcast-routes.ts'
import { guardRailRoutes } from './guard-rail-routes.ts'

/** Every journeys admin route: `/journeys…`, `/broadcasts…`, `/guard-rails` (mounted under `/api/v1`). */
export async function activationRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  await journeyRoutes(fastify, ctx)
  await broadcastRoutes(fastify, ctx)
  await guardRailRoutes(fastify, ctx)
}
