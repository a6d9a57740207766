import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { AppContext } from './context.ts'
import { errorHandler } from './errors.ts'
import { segmentRoutes } from '../ingest/segment/routes.ts'
import { sensorsRoutes } from '../ingest/sensors/routes.ts'
import { profileRoutes } from '../profiles/index.ts'
import { identityRoutes } from '../identity/index.ts'
import { sourceRoutes } from '../workspaces/index.ts'
import { channelRoutes, channelTrackingRoutes } from '../channels/index.ts'
import { userRoutes } from '../users/index.ts'
import { profileSearchRoutes } from '../profiles/search.ts'
import { dashboardRoutes } from './static.ts'
import { contentRoutes } from '../content/index.ts'
import { campaignRoutes } from '../campaigns/index.ts'
import { measurementRoutes } from '../measurement/index.ts'
import { customerMetricsRoutes } from '../measurement/customers/routes.ts'
import { audienceRoutes } from '../audiences/index.ts'
import { activationRoutes } from '../journeys/index.ts'
import { eventRoutes } from '../events/index.ts'
import { importRoutes } from '../ingest/import/import-routes.ts'

/**
 * Assembles the HTTP app from each module's routes. Tracking endpoints live at the paths SDKs
 * expect (`/v1/*` for Segment); the admin API is under `/api/v1` with its OpenAPI document at
 * `/api/openapi.json`.
 */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    // One log line per request would dwarf the work at tens of thousands of events a second.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: true,
    // Analytics clients hold connections open between flushes.
    keepAliveTimeout: 65_000,
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler(errorHandler(ctx.logger))
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NotFound', message: `No route ${request.method} ${request.url.split('?')[0]}` } }),
  )

  await app.register(swagger, {
    openapi: {
      info: { title: 'Chorus API', version: '0.1.0', description: 'Chorus (和声) integrated marketing platform: tracking and admin API' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, writeKey: { type: 'http', scheme: 'basic' } } },
    },
    transform: jsonSchemaTransform,
  })

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  await app.register(async (scope) => segmentRoutes(scope, ctx), { prefix: '/v1' })
  await app.register(async (scope) => sensorsRoutes(scope, ctx))
  await app.register(async (scope) => channelTrackingRoutes(scope, ctx))
  await app.register(
    async (scope) => {
      await profileRoutes(scope, ctx)
      await identityRoutes(scope, ctx)
      await sourceRoutes(scope, ctx)
      await channelRoutes(scope, ctx)
      await userRoutes(scope, ctx)
      await profileSearchRoutes(scope, ctx)
      await contentRoutes(scope, ctx)
      await campaignRoutes(scope, ctx)
      await measurementRoutes(scope, ctx)
      await customerMetricsRoutes(scope, ctx)
      await audienceRoutes(scope, ctx)
      await activationRoutes(scope, ctx)
      await eventRoutes(scope, ctx)
      await importRoutes(scope, ctx)
      // Each module adds its admin routes here.
    },
    { prefix: '/api/v1' },
  )
  await app.register(async (scope) => dashboardRoutes(scope))
  return app
}
