import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppContext } from '../../server/context.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import { GuardRails, getGuardRails, putGuardRails } from '../guard-rails/settings.ts'

/** The workspace's guard rails for journey and broadcast sends: frequency caps and quiet hours. */
export async function guardRailRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  app.get('/guard-rails', { preHandler: requirePermission(db, 'read'), schema: { description: 'Frequency caps and quiet hours applied to every journey and broadcast send', tags: ['journeys', 'broadcasts'] } }, async (request) =>
    getGuardRails(db, principalOf(request).workspaceId),
  )
  app.put(
    '/guard-rails',
    {
      preHandler: requirePermission(db, 'write'),
      schema: { description: 'Replace the frequency caps and quiet hours; they apply to every send decided from now on', tags: ['journeys', 'broadcasts'], body: GuardRails },
    },
    async (request) => putGuardRails(db, principalOf(request).workspaceId, request.body, ctx.clock.now()),
  )
}
