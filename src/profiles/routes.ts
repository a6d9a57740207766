import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission, principalOf } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { getIdentityRules } from '../identity/index.ts'
import { getProfile, lookupProfile, profileMerges, profileTimeline, InvalidCursor } from './read.ts'
import { deleteProfile } from './privacy.ts'

const IdParams = z.object({ id: z.string().min(1).describe('Profile id; a merged profile id finds the surviving profile') })

/** The 360° view: look up by any identifier, read traits, identities, merges and the timeline; erase. */
export async function profileRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')

  app.get(
    '/profiles/lookup',
    {
      preHandler: read,
      schema: {
        description: 'Find the profile holding an identifier (values are normalised: emails lower-cased, phones to E.164)',
        tags: ['profiles'],
        querystring: z.object({
          type: z.string().min(1).describe('user_id, anonymous_id, email, phone, wechat_openid, wechat_unionid, device_id or a custom type'),
          value: z.string().min(1),
        }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const rules = await getIdentityRules(db, workspaceId)
      const profile = await lookupProfile(db, workspaceId, request.query.type, request.query.value, rules.defaultCountryCode)
      if (!profile) throw new HttpError(404, 'NotFound', `No profile holds ${request.query.type} ${request.query.value}`)
      return profile
    },
  )

  app.get('/profiles/:id', { preHandler: read, schema: { description: 'A profile: traits, identities, computed basics', tags: ['profiles'], params: IdParams } }, async (request) => {
    const profile = await getProfile(db, principalOf(request).workspaceId, request.params.id)
    if (!profile) throw new HttpError(404, 'NotFound', `No profile ${request.params.id}`)
    return profile
  })

  app.get(
    '/profiles/:id/events',
    {
      preHandler: read,
      schema: {
        description: "The person's events across every merged profile, newest first, cursor-paginated",
        tags: ['profiles'],
        params: IdParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().optional() }),
      },
    },
    async (request) => {
      try {
        const page = await profileTimeline(db, principalOf(request).workspaceId, request.params.id, request.query)
        if (!page) throw new HttpError(404, 'NotFound', `No profile ${request.params.id}`)
        return page
      } catch (error) {
        if (error instanceof InvalidCursor) throw new HttpError(400, 'InvalidCursor', error.message)
        throw error
      }
    },
  )

  app.get('/profiles/:id/merges', { preHandler: read, schema: { description: 'Merge audit: merges and refused links involving this person', tags: ['profiles'], params: IdParams } }, async (request) => {
    const merges = await profileMerges(db, principalOf(request).workspaceId, request.params.id)
    if (!merges) throw new HttpError(404, 'NotFound', `No profile ${request.params.id}`)
    return { items: merges }
  })

  app.delete(
    '/profiles/:id',
    {
      preHandler: requirePermission(db, 'delete'),
      schema: { description: 'Data-subject deletion: removes traits, events and identities, and suppresses the identifiers', tags: ['profiles', 'privacy'], params: IdParams },
    },
    async (request) => {
      const principal = principalOf(request)
      const outcome = await deleteProfile({ database: ctx.database, workspaceId: principal.workspaceId, profileId: request.params.id, now: ctx.clock.now(), actor: principal.tokenId, erasers: ctx.privacyErasers })
      if (outcome.kind === 'NotFound') throw new HttpError(404, 'NotFound', `No profile ${request.params.id}`)
      return { deleted: true, profileIds: outcome.profileIds, events: outcome.events, suppressedIdentifiers: outcome.suppressedIdentifiers }
    },
  )
}
