import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission } from '../server/auth.ts'
import type { CampaignPlanner } from './planner.ts'
import { actorOf, answer, campaignOf } from './routes-support.ts'

const Id = z.object({ id: z.string().min(1).describe('Campaign id') })
const AlertParams = Id.extend({ alertId: z.string().min(1) })
const tags = ['campaigns']

/** Stage 4: live KPIs from the log, pacing, alerts and the decisions on them. */
export async function monitoringRoutes(fastify: FastifyInstance, ctx: AppContext, planner: CampaignPlanner): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')

  app.get('/campaigns/:id/kpis', { preHandler: read, schema: { description: 'KPIs from the log since the start, spend, ROI, CAC, each goal against its pace, each channel with CPA', tags, params: Id } }, async (request) =>
    planner.monitor(await campaignOf(planner, request, request.params.id), ctx.clock.now()),
  )

  app.post('/campaigns/:id/alerts/evaluate', { preHandler: write, schema: { description: 'Check pacing and CPA now; raise, refresh or resolve alerts. Answers the open alerts', tags, params: Id } }, async (request) => {
    const { open } = await planner.evaluateAlerts(await campaignOf(planner, request, request.params.id), ctx.clock.now())
    return { items: open }
  })

  app.get(
    '/campaigns/:id/alerts',
    { preHandler: read, schema: { description: 'Alerts with their suggested actions and decisions, newest first', tags, params: Id, querystring: z.object({ status: z.enum(['open', 'confirmed', 'dismissed', 'resolved']).optional() }) } },
    async (request) => ({ items: await planner.alerts(await campaignOf(planner, request, request.params.id), request.query.status) }),
  )

  app.post(
    '/campaigns/:id/alerts/:alertId/confirm',
    {
      preHandler: write,
      schema: {
        description: 'Confirm one suggested action: it is applied to the plan (pause a channel, shift budget) and the decision recorded',
        tags,
        params: AlertParams,
        body: z.object({ actionId: z.string().min(1), note: z.string().optional() }),
      },
    },
    async (request) => {
      const out = answer(await planner.decide({ campaign: await campaignOf(planner, request, request.params.id), alertId: request.params.alertId, decision: 'confirm', actionId: request.body.actionId, note: request.body.note, actor: actorOf(request), now: ctx.clock.now() }))
      return { alert: out.alert, planVersion: out.campaign.planVersion }
    },
  )

  app.post(
    '/campaigns/:id/alerts/:alertId/dismiss',
    { preHandler: write, schema: { description: 'Dismiss an alert (recorded; the same alert stays quiet for a day)', tags, params: AlertParams, body: z.object({ note: z.string().optional() }).default({}) } },
    async (request) => {
      const out = answer(await planner.decide({ campaign: await campaignOf(planner, request, request.params.id), alertId: request.params.alertId, decision: 'dismiss', note: request.body?.note, actor: actorOf(request), now: ctx.clock.now() }))
      return { alert: out.alert }
    },
  )
}
