import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { principalOf, requirePermission } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { DEFAULT_SETTINGS, getWorkspace } from '../workspaces/index.ts'
import { eventSummary } from './summary.ts'

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD')

/** Event volume: how many events the log holds per channel over a range of days. */
export async function eventRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db

  app.get(
    '/events/summary',
    {
      preHandler: requirePermission(db, 'read'),
      schema: {
        description:
          "Events logged per channel between two dates (both included) in the workspace's time zone. Channels come from the workspace's channel grouping rules, as in attribution; events that are not a touch of any channel (orders, product views, navigation inside a visit) are counted under channel null.",
        tags: ['events'],
        querystring: z.object({
          from: LocalDate.describe('First day, YYYY-MM-DD, in the workspace time zone'),
          to: LocalDate.describe('Last day, YYYY-MM-DD, included'),
        }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const timeZone = (await getWorkspace(db, workspaceId))?.settings.timezone ?? DEFAULT_SETTINGS.timezone
      const outcome = await eventSummary(db, { workspaceId, from: request.query.from, to: request.query.to, timeZone })
      if (outcome.kind === 'InvalidPeriod') throw new HttpError(400, 'InvalidPeriod', outcome.message)
      return outcome.summary
    },
  )
}
