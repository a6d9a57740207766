import type { FastifyInstance, FastifyRequest } from 'fastify'
import cors from '@fastify/cors'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { canonicalProfileId } from '../../profiles/index.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import type { AppContext } from '../../server/context.ts'
import { HttpError } from '../../server/errors.ts'
import { inboxOwner, inboxPage, InvalidInboxCursor, markInboxRead } from '../inbox-store.ts'
import { channelSettings } from '../settings-store.ts'
import { inboxKey, inboxUserHash, safeEqual } from '../tracking/tokens.ts'

const Identifier = z.object({
  type: z.string().min(1).describe('Identifier type the app knows the person by: user_id, anonymous_id, device_id…'),
  value: z.string().min(1),
})
const Page = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().optional(), unread: z.enum(['true', 'false']).optional() })

/**
 * The in-app inbox. Apps read it with their source's write key (HTTP Basic user name, as the
 * tracking API takes it, or `X-Write-Key`) and the person's identifier. Write keys ship inside
 * apps, so by default (`inboxVerification`) the app's server must also vouch for the person:
 * `X-Chorus-User-Hash: hex(HMAC-SHA256(inbox key, "<type>:<value>"))`, the inbox key coming from
 * `GET /api/v1/channels/settings`. Admins read any person's inbox with a bearer token.
 */
export async function inboxRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db
  // Registered in a child scope, so the CORS headers apply to the inbox only.
  await fastify.register(async (child) => {
    await child.register(cors, { origin: true, methods: ['GET', 'POST', 'OPTIONS'], allowedHeaders: ['Authorization', 'Content-Type', 'X-Write-Key', 'X-Chorus-User-Hash'], maxAge: 86_400 })
    const app = child.withTypeProvider<ZodTypeProvider>()

    const person = async (request: FastifyRequest, identifier: { type: string; value: string }) => {
      const writeKey = writeKeyOf(request)
      if (!writeKey) throw new HttpError(401, 'Unauthorized', 'Send the write key as the HTTP Basic user name or in X-Write-Key')
      const source = await ctx.writeKeys.lookup(writeKey)
      if (!source) throw new HttpError(401, 'Unauthorized', 'The write key is not valid')
      const settings = await channelSettings(db, source.workspaceId, ctx.clock.now())
      if (settings.inboxVerification) {
        const given = request.headers['x-chorus-user-hash']
        if (typeof given !== 'string' || !safeEqual(given.toLowerCase(), inboxUserHash(inboxKey(settings.secret), identifier.type, identifier.value))) {
          throw new HttpError(401, 'UserHashRequired', 'This workspace requires X-Chorus-User-Hash: hex HMAC-SHA256 of "<type>:<value>" under the inbox key, computed on your server')
        }
      }
      const profileId = await inboxOwner(db, source.workspaceId, identifier.type, identifier.value)
      return { workspaceId: source.workspaceId, profileId }
    }
    const page = async (workspaceId: string, profileId: string, q: z.infer<typeof Page>) => {
      try {
        return await inboxPage(db, workspaceId, profileId, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}), unreadOnly: q.unread === 'true' })
      } catch (error) {
        if (error instanceof InvalidInboxCursor) throw new HttpError(400, 'InvalidCursor', error.message)
        throw error
      }
    }

    app.get(
      '/inbox',
      { schema: { description: "An app reads a person's inbox, newest first, with the unread count (write key + identifier)", tags: ['inbox'], querystring: Identifier.extend(Page.shape), security: [{ writeKey: [] }] } },
      async (request) => {
        const { workspaceId, profileId } = await person(request, request.query)
        if (!profileId) return { items: [], unread: 0, nextCursor: null }
        return page(workspaceId, profileId, request.query)
      },
    )

    app.post(
      '/inbox/read',
      {
        schema: {
          description: 'An app marks messages read (ids, or all); the first read of each records Message Opened',
          tags: ['inbox'],
          body: Identifier.extend({ ids: z.array(z.string().min(1)).max(500).optional(), all: z.boolean().optional() }).refine((b) => b.all === true || (b.ids?.length ?? 0) > 0, { message: 'Give ids, or all: true' }),
          security: [{ writeKey: [] }],
        },
      },
      async (request) => {
        const { workspaceId, profileId } = await person(request, request.body)
        if (!profileId) return { marked: 0 }
        return { marked: await markInboxRead(ctx, workspaceId, profileId, request.body.all ? 'all' : request.body.ids!) }
      },
    )
  })

  const app = fastify.withTypeProvider<ZodTypeProvider>()
  app.get(
    '/inbox/:profileId',
    { preHandler: requirePermission(db, 'read'), schema: { description: "A person's inbox, for admins", tags: ['inbox'], params: z.object({ profileId: z.string().min(1) }), querystring: Page } },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const id = await canonicalProfileId(db, workspaceId, request.params.profileId)
      if (!id) throw new HttpError(404, 'NotFound', `No profile ${request.params.profileId}`)
      try {
        return await inboxPage(db, workspaceId, id, { limit: request.query.limit, ...(request.query.cursor ? { cursor: request.query.cursor } : {}), unreadOnly: request.query.unread === 'true' })
      } catch (error) {
        if (error instanceof InvalidInboxCursor) throw new HttpError(400, 'InvalidCursor', error.message)
        throw error
      }
    },
  )
}

/** The write key from HTTP Basic (user name) or X-Write-Key, as the tracking API accepts it. */
function writeKeyOf(request: FastifyRequest): string | null {
  const auth = request.headers.authorization
  if (auth?.toLowerCase().startsWith('basic ')) {
    const user = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8').split(':')[0]
    if (user) return user
  }
  const header = request.headers['x-write-key']
  return typeof header === 'string' && header ? header : null
}
