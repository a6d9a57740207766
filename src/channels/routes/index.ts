import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../server/context.ts'
import { trackingRoutes } from '../tracking/tracking-routes.ts'
import { consentRoutes } from './consent-routes.ts'
import { inboxRoutes } from './inbox-routes.ts'
import { messageRoutes } from './message-routes.ts'
import { providerRoutes } from './provider-routes.ts'
import { receiptRoutes } from './receipt-routes.ts'
import { templateRoutes } from './template-routes.ts'

/**
 * Everything channels adds under `/api/v1`: providers, templates, sends and messages, consents and
 * settings, delivery receipts, the inbox.
 *
 * @example await app.register(async (scope) => channelRoutes(scope, ctx), { prefix: '/api/v1' })
 */
export async function channelRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await providerRoutes(app, ctx)
  await templateRoutes(app, ctx)
  await messageRoutes(app, ctx)
  await consentRoutes(app, ctx)
  await receiptRoutes(app, ctx)
  await inboxRoutes(app, ctx)
}

/**
 * The public addresses people reach from messages (`/r`, `/o`, `/u`), outside the API prefix.
 *
 * @example await app.register(async (scope) => channelTrackingRoutes(scope, ctx))
 */
export async function channelTrackingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await trackingRoutes(app, ctx)
}
