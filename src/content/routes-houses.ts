import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission } from '../server/auth.ts'
import type { ContentHub } from './store/index.ts'
import { actorOf, answer, found } from './routes-outcome.ts'

const HouseId = z.object({ id: z.string().min(1).describe('Message house id') })
const HouseBody = z.object({
  name: z.string().trim().min(1).describe('What the team calls this house, e.g. "活力健康 上市"'),
  campaignId: z.string().min(1).nullable().optional().describe('The campaign this house is for; none for a brand-wide house'),
  house: z.record(z.string(), z.unknown()).describe('The message house: brand, coreMessage, pillars, mandatoryElements, forbiddenWords … (docs/content-checks.md)'),
  note: z.string().optional().describe('What changed in this version'),
})

/** Message houses: create, read any version, save a new version, list versions. */
export async function houseRoutes(fastify: FastifyInstance, ctx: AppContext, hub: ContentHub): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')
  const tags = ['content']

  app.post('/content/houses', { preHandler: write, schema: { description: 'Create a message house (version 1)', tags, body: HouseBody } }, async (request, reply) => {
    const actor = actorOf(request)
    const house = answer(await hub.createHouse({ workspaceId: actor.workspaceId, ...request.body, actor, now: ctx.clock.now() }))
    return reply.status(201).send(house)
  })

  app.get(
    '/content/houses',
    {
      preHandler: read,
      schema: {
        description: 'Message houses, newest first, with the consistency score of their variants',
        tags,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().optional(), brand: z.string().optional() }),
      },
    },
    async (request) => hub.listHouses({ workspaceId: actorOf(request).workspaceId, ...request.query }),
  )

  app.get('/content/houses/:id', { preHandler: read, schema: { description: 'The current version of a house, with its consistency report', tags, params: HouseId } }, async (request) =>
    found(await hub.getHouse({ workspaceId: actorOf(request).workspaceId, houseId: request.params.id }), `message house ${request.params.id}`),
  )

  app.put(
    '/content/houses/:id',
    { preHandler: write, schema: { description: 'Save a new version of a house; every variant is rechecked against it', tags, params: HouseId, body: HouseBody.partial({ name: true }) } },
    async (request) => {
      const actor = actorOf(request)
      return answer(await hub.saveHouseVersion({ workspaceId: actor.workspaceId, houseId: request.params.id, ...request.body, actor, now: ctx.clock.now() }))
    },
  )

  app.get('/content/houses/:id/versions', { preHandler: read, schema: { description: 'Every version of a house, newest first', tags, params: HouseId } }, async (request) => ({
    items: found(await hub.listHouseVersions({ workspaceId: actorOf(request).workspaceId, houseId: request.params.id }), `message house ${request.params.id}`),
  }))

  app.get(
    '/content/houses/:id/versions/:version',
    { preHandler: read, schema: { description: 'One version of a house as it was saved', tags, params: HouseId.extend({ version: z.coerce.number().int().min(1) }) } },
    async (request) =>
      found(
        await hub.getHouse({ workspaceId: actorOf(request).workspaceId, houseId: request.params.id, version: request.params.version }),
        `version ${request.params.version} of message house ${request.params.id}`,
      ),
  )

  app.get('/content/houses/:id/report', { preHandler: read, schema: { description: 'Campaign-level consistency: score, pillars carried, contradictions between variants', tags, params: HouseId } }, async (request) =>
    found(await hub.houseReport({ workspaceId: actorOf(request).workspaceId, houseId: request.params.id }), `message house ${request.params.id}`),
  )
}
