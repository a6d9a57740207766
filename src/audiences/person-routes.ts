import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission, principalOf } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { personAudiences } from './person-audiences.ts'
import { decodeCursor, encodeCursor } from './route-answers.ts'

const PersonAudienceView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['dynamic', 'static']),
  status: z.string().describe('active, or paused (membership frozen as it was)'),
  enteredAt: z.string().describe('When the person entered (ISO 8601, UTC)'),
})

/** The audiences side of a person: which audiences they are in now. */
export async function personAudienceRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db

  app.get(
    '/profiles/:id/audiences',
    {
      preHandler: requirePermission(db, 'read'),
      schema: {
        description: 'The audiences a person is in now, with when they entered, in audience creation order, cursor-paginated. An id merged into another profile answers for the surviving profile.',
        tags: ['audiences', 'profiles'],
        params: z.object({ id: z.string().min(1).describe('Profile id (a merged-away id is followed to its survivor)') }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), cursor: z.string().optional() }),
        response: { 200: z.object({ profileId: z.string().describe('The surviving profile id'), items: z.array(PersonAudienceView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const after = request.query.cursor ? decodeCursor(request.query.cursor) : null
      const found = await personAudiences(db, workspaceId, request.params.id, { after, limit: request.query.limit })
      if (found.kind === 'NotFound') throw new HttpError(404, 'NotFound', `No profile ${request.params.id}`)
      const last = found.audiences[found.audiences.length - 1]
      return {
        profileId: found.profileId,
        items: found.audiences.map((a) => ({ id: a.id, name: a.name, kind: a.kind, status: a.status, enteredAt: new Date(a.enteredAt).toISOString() })),
        nextCursor: found.audiences.length === request.query.limit && last ? encodeCursor(last.id) : null,
      }
    },
  )
}
