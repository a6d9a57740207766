import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../server/context.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import { HttpError } from '../../server/errors.ts'
import { BroadcastInput } from '../broadcasts/schema.ts'
import { changeBroadcast, createBroadcast, getBroadcast, listBroadcasts } from '../broadcasts/store.ts'
import { JOURNEY_CHANNELS } from '../channels.ts'
import { audienceExists } from '../../audiences/index.ts'

const IdParams = z.object({ id: z.string().min(1).describe('Broadcast id (bc_…)') })

/** Broadcasts: one message to an audience, now or at a time, rate-limited, with the journeys' guard rails. */
export async function broadcastRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')

  app.post(
    '/broadcasts',
    { preHandler: write, schema: { description: 'Send one message to an audience now, at a time, or at a local time per person; optionally rate-limited', tags: ['broadcasts'], body: BroadcastInput } },
    async (request, reply) => {
      const { workspaceId } = principalOf(request)
      for (const channel of [request.body.channel, ...request.body.fallback]) {
        if (!JOURNEY_CHANNELS.includes(channel)) throw new HttpError(400, 'UnknownChannel', `Unknown channel ${JSON.stringify(channel)}; expected one of ${JOURNEY_CHANNELS.join(', ')}`)
      }
      if (!(await audienceExists(db, workspaceId, request.body.audienceId))) throw new HttpError(400, 'UnknownAudience', `No audience ${JSON.stringify(request.body.audienceId)} in this workspace`)
      const broadcast = await createBroadcast(ctx.database, { workspaceId, input: request.body, now: ctx.clock.now() })
      return reply.status(201).send(broadcast)
    },
  )

  app.get(
    '/broadcasts',
    {
      preHandler: read,
      schema: { description: 'Broadcasts with their progress, newest first, cursor-paginated', tags: ['broadcasts'], querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().optional() }) },
    },
    async (request) => listBroadcasts(ctx.database, principalOf(request).workspaceId, request.query),
  )

  app.get('/broadcasts/:id', { preHandler: read, schema: { description: 'A broadcast and its progress: sent, blocked by reason, delivered, opened, clicked', tags: ['broadcasts'], params: IdParams } }, async (request) => {
    const broadcast = await getBroadcast(ctx.database, principalOf(request).workspaceId, request.params.id)
    if (!broadcast) throw new HttpError(404, 'NotFound', `No broadcast ${request.params.id}`)
    return broadcast
  })

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    const descriptions = { pause: 'Pause sending after the batch in flight', resume: 'Resume a paused broadcast', cancel: 'Cancel: messages not yet sent are never sent' }
    app.post(`/broadcasts/:id/${action}`, { preHandler: write, schema: { description: descriptions[action], tags: ['broadcasts'], params: IdParams } }, async (request) => {
      const outcome = await changeBroadcast(ctx.database, { workspaceId: principalOf(request).workspaceId, id: request.params.id, action, now: ctx.clock.now() })
      if (outcome.kind === 'NotFound') throw new HttpError(404, 'NotFound', `No broadcast ${request.params.id}`)
      if (outcome.kind === 'WrongStatus') throw new HttpError(409, 'WrongStatus', outcome.message)
      return outcome.broadcast
    })
  }
}
