import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission, principalOf } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { createSource, deleteSource, listSources } from './store.ts'

/** Sources and their write keys: one per app, site, mini-program or import. */
export async function sourceRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  app.get('/sources', { preHandler: requirePermission(db, 'read'), schema: { description: 'Sources and their write keys', tags: ['sources'] } }, async (request) => ({
    items: await listSources(db, principalOf(request).workspaceId),
    nextCursor: null,
  }))
  app.post(
    '/sources',
    {
      preHandler: requirePermission(db, 'admin'),
      schema: {
        description: 'Create a source with a new write key',
        tags: ['sources'],
        body: z.object({ name: z.string().min(1).max(200), kind: z.enum(['segment', 'sensors', 'import', 'webhook']).default('segment') }),
      },
    },
    async (request, reply) => {
      const source = await createSource(db, { workspaceId: principalOf(request).workspaceId, name: request.body.name, kind: request.body.kind, now: ctx.clock.now() })
      return reply.status(201).send(source)
    },
  )
  app.delete(
    '/sources/:id',
    { preHandler: requirePermission(db, 'admin'), schema: { description: 'Delete a source; its write key stops working within 30 seconds', tags: ['sources'], params: z.object({ id: z.string() }) } },
    async (request) => {
      const sources = await listSources(db, principalOf(request).workspaceId)
      const source = sources.find((s) => s.id === request.params.id)
      if (!source || !(await deleteSource(db, principalOf(request).workspaceId, source.id))) throw new HttpError(404, 'NotFound', `No source ${request.params.id}`)
      ctx.writeKeys.forget(source.writeKey)
      return { deleted: true }
    },
  )
}
