import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../server/context.ts'
import { ContentHub } from './store/index.ts'
import { houseRoutes } from './routes-houses.ts'
import { variantRoutes } from './routes-variants.ts'
import { libraryRoutes } from './routes-library.ts'

/**
 * The content hub's admin API under `/api/v1/content`: message houses (versioned), the content
 * matrix and review flow, channel profiles, assets and search. Marketers write; reviewers (the
 * `review` permission) approve and reject.
 */
export async function contentRoutes(fastify: FastifyInstance, ctx: AppContext, options: { hub?: ContentHub } = {}): Promise<void> {
  const hub = options.hub ?? (await ContentHub.open({ database: ctx.database }))
  await houseRoutes(fastify, ctx, hub)
  await variantRoutes(fastify, ctx, hub)
  await libraryRoutes(fastify, ctx, hub)
}
