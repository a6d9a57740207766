import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission, principalOf } from '../server/auth.ts'
import { IdentityRules } from './rules.ts'
import { getIdentityRules, setIdentityRules } from './rules-store.ts'

/** Identity resolution rules per workspace: priority, limits per type, blocked values. */
export async function identityRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  app.get('/identity/rules', { preHandler: requirePermission(db, 'read'), schema: { description: 'The identity resolution rules in force', tags: ['identity'] } }, async (request) =>
    getIdentityRules(db, principalOf(request).workspaceId),
  )
  app.put(
    '/identity/rules',
    {
      preHandler: requirePermission(db, 'admin'),
      schema: { description: 'Replace the identity resolution rules; they apply to events written from now on', tags: ['identity'], body: IdentityRules },
    },
    async (request) => {
      await setIdentityRules(db, principalOf(request).workspaceId, request.body, ctx.clock.now())
      return getIdentityRules(db, principalOf(request).workspaceId)
    },
  )
}
