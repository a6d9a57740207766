import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppContext } from '../server/context.ts'
import { principalOf, requirePermission } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { getWorkspace, DEFAULT_SETTINGS } from '../workspaces/index.ts'
import { AttributionRequest, attributeLog, RoiRequest, roiReport } from './roi/index.ts'

/** Attribution on the log (every model, spend, Markov) and the ROI report. */
export async function attributionRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const tags = ['measurement']
  const settingsOf = async (workspaceId: string) => (await getWorkspace(db, workspaceId))?.settings ?? DEFAULT_SETTINGS

  app.post(
    '/measurement/attribution',
    {
      preHandler: read,
      schema: {
        description:
          'Multi-touch attribution on the event log: per model and channel (or campaign, or journey) credited conversions and revenue, cost from spend, ROAS and CPA, a comparison table, the Markov transition matrix and removal effects',
        tags,
        body: AttributionRequest,
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const settings = await settingsOf(workspaceId)
      const outcome = await attributeLog({ database: ctx.database, workspaceId, request: request.body, timeZone: settings.timezone, currency: settings.currency })
      if (outcome.kind === 'BadPeriod') throw new HttpError(400, 'BadPeriod', outcome.message)
      if (outcome.kind === 'UnknownConversion') throw new HttpError(404, 'UnknownConversion', outcome.message)
      return outcome.report
    },
  )

  app.get(
    '/measurement/roi',
    {
      preHandler: read,
      schema: { description: 'ROI, ROAS, CPA and CAC (new customers: first conversion ever in the period) per channel or campaign under one attribution model', tags, querystring: RoiRequest },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const settings = await settingsOf(workspaceId)
      const outcome = await roiReport({ database: ctx.database, workspaceId, request: request.query, timeZone: settings.timezone, currency: settings.currency })
      if (outcome.kind === 'BadPeriod') throw new HttpError(400, 'BadPeriod', outcome.message)
      if (outcome.kind === 'UnknownConversion') throw new HttpError(404, 'UnknownConversion', outcome.message)
      return outcome.report
    },
  )
}
