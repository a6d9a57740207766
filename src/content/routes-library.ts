import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import type { ContentHub } from './store/index.ts'
import { actorOf, answer, found } from './routes-outcome.ts'

/** Channel profiles (defaults and the workspace's edits), assets, and full-text search. */
export async function libraryRoutes(fastify: FastifyInstance, ctx: AppContext, hub: ContentHub): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')
  const tags = ['content']
  const ChannelId = z.object({ id: z.string().min(1).describe('Channel profile id, e.g. xiaohongshu-note') })

  app.get('/content/channels', { preHandler: read, schema: { description: 'Channel profiles in force: the shipped defaults and the workspace\'s own versions', tags } }, async (request) => ({
    items: await hub.channelProfiles(actorOf(request).workspaceId),
  }))

  app.get('/content/channels/:id', { preHandler: read, schema: { description: 'One channel profile with its rules', tags, params: ChannelId } }, async (request) =>
    found(await hub.channelProfile(actorOf(request).workspaceId, request.params.id), `channel profile ${request.params.id}`),
  )

  app.put(
    '/content/channels/:id',
    { preHandler: write, schema: { description: 'Save a whole profile for this workspace (replaces the default of that id, or defines a channel); variants on it are rechecked', tags, params: ChannelId, body: z.record(z.string(), z.unknown()) } },
    async (request) => {
      const actor = actorOf(request)
      return answer(await hub.putChannelProfile({ workspaceId: actor.workspaceId, channelId: request.params.id, input: request.body, actor, now: ctx.clock.now() }))
    },
  )

  app.patch(
    '/content/channels/:id',
    {
      preHandler: write,
      schema: {
        description: 'Edit the profile in force: upsert rules by id, remove rule ids, rename, change expected pillars; variants on it are rechecked',
        tags,
        params: ChannelId,
        body: z.object({
          name: z.string().min(1).optional(),
          expectedPillars: z.number().int().min(1).max(7).optional(),
          upsert: z.array(z.record(z.string(), z.unknown())).default([]),
          remove: z.array(z.string()).default([]),
        }),
      },
    },
    async (request) => {
      const actor = actorOf(request)
      return answer(await hub.changeChannelProfile({ workspaceId: actor.workspaceId, channelId: request.params.id, change: request.body, actor, now: ctx.clock.now() }))
    },
  )

  app.delete('/content/channels/:id', { preHandler: write, schema: { description: 'Drop the workspace\'s version: the shipped default comes back', tags, params: ChannelId } }, async (request) =>
    answer(await hub.resetChannelProfile({ workspaceId: actorOf(request).workspaceId, channelId: request.params.id, now: ctx.clock.now() })),
  )

  const AssetId = z.object({ id: z.string().min(1).describe('Asset id') })
  app.post('/content/assets', { preHandler: write, schema: { description: 'Register an image or a video link with tags', tags, body: z.record(z.string(), z.unknown()) } }, async (request, reply) => {
    const actor = actorOf(request)
    return reply.status(201).send(answer(await hub.createAsset({ workspaceId: actor.workspaceId, asset: request.body, actor, now: ctx.clock.now() })))
  })
  app.get(
    '/content/assets',
    {
      preHandler: read,
      schema: {
        description: 'Assets newest first, by tag and kind, with how many variants use each',
        tags,
        querystring: z.object({ tag: z.string().optional(), kind: z.enum(['image', 'video']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().optional() }),
      },
    },
    async (request) => hub.listAssets({ workspaceId: actorOf(request).workspaceId, ...request.query }),
  )
  app.get('/content/assets/:id', { preHandler: read, schema: { description: 'An asset and every variant that uses it', tags, params: AssetId } }, async (request) =>
    found(await hub.getAsset({ workspaceId: actorOf(request).workspaceId, assetId: request.params.id }), `asset ${request.params.id}`),
  )
  app.patch('/content/assets/:id', { preHandler: write, schema: { description: 'Change title, description, tags or meta', tags, params: AssetId, body: z.record(z.string(), z.unknown()) } }, async (request) =>
    answer(await hub.updateAsset({ workspaceId: actorOf(request).workspaceId, assetId: request.params.id, change: request.body, now: ctx.clock.now() })),
  )
  app.delete('/content/assets/:id', { preHandler: requirePermission(db, 'delete'), schema: { description: 'Delete an asset no variant uses', tags, params: AssetId } }, async (request) =>
    answer(await hub.deleteAsset({ workspaceId: actorOf(request).workspaceId, assetId: request.params.id })),
  )

  app.get(
    '/content/search',
    {
      preHandler: read,
      schema: {
        description: 'Full-text search over variants, message houses, assets and lessons, in Chinese and English, ranked by BM25',
        tags,
        querystring: z.object({
          q: z.string().trim().min(1).describe('Words to find, e.g. 活力 or hydration'),
          kind: z.string().optional().describe('Comma-separated: variant, house, asset, lesson'),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          cursor: z.string().optional(),
        }),
      },
    },
    async (request) => {
      const kinds = request.query.kind?.split(',').map((k) => k.trim()).filter(Boolean)
      try {
        return await hub.search({ workspaceId: actorOf(request).workspaceId, query: request.query.q, kinds, limit: request.query.limit, cursor: request.query.cursor })
      } catch (error) {
        if (error instanceof RangeError) throw new HttpError(400, 'InvalidCursor', error.message)
        throw error
      }
    },
  )
}
