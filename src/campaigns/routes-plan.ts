import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { principalOf, requirePermission } from '../server/auth.ts'
import { campaignView } from './campaign-view.ts'
import type { CampaignPlanner } from './planner.ts'
import { actorOf, answer, campaignOf } from './routes-support.ts'

const Id = z.object({ id: z.string().min(1).describe('Campaign id') })
const Section = z.record(z.string(), z.unknown())
const tags = ['campaigns']

/** Stages 1–3 and the campaign's life: create, plan (insight, strategy, execution, monitoring settings), schedule, calendar, launch, finish. */
export async function planRoutes(fastify: FastifyInstance, ctx: AppContext, planner: CampaignPlanner): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')

  app.post(
    '/campaigns',
    {
      preHandler: write,
      schema: {
        description: 'Create a campaign (status planning) with an empty plan',
        tags,
        body: z.object({
          name: z.string().trim().min(1),
          brand: z.string().trim().min(1),
          startsAt: z.string().describe('YYYY-MM-DD (local midnight) or an ISO instant'),
          endsAt: z.string().describe('YYYY-MM-DD (the end of that day) or an ISO instant'),
          timezone: z.string().optional().describe('IANA zone; the workspace\'s by default'),
          currency: z.string().optional().describe('ISO 4217; the workspace\'s by default'),
        }),
      },
    },
    async (request, reply) => {
      const created = answer(await planner.create({ workspaceId: principalOf(request).workspaceId, ...request.body, actor: actorOf(request), now: ctx.clock.now() }))
      return reply.status(201).send(campaignView(created))
    },
  )

  app.get(
    '/campaigns',
    { preHandler: read, schema: { description: 'Campaigns, newest first', tags, querystring: z.object({ status: z.enum(['planning', 'running', 'finished']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().optional() }) } },
    async (request) => {
      const page = await planner.list({ workspaceId: principalOf(request).workspaceId, ...request.query })
      return { items: page.items.map(campaignView), nextCursor: page.nextCursor }
    },
  )

  app.get('/campaigns/:id', { preHandler: read, schema: { description: 'A campaign and its whole plan', tags, params: Id } }, async (request) => campaignView(await campaignOf(planner, request, request.params.id)))

  app.patch(
    '/campaigns/:id',
    {
      preHandler: write,
      schema: { description: 'Rename, re-brand or re-date a campaign (recorded in the audit)', tags, params: Id, body: z.object({ name: z.string().trim().min(1).optional(), brand: z.string().trim().min(1).optional(), startsAt: z.string().optional(), endsAt: z.string().optional(), reason: z.string().optional() }) },
    },
    async (request) => campaignView(answer(await planner.update({ campaign: await campaignOf(planner, request, request.params.id), ...request.body, actor: actorOf(request), now: ctx.clock.now() }))),
  )

  const reason = z.object({ reason: z.string().optional().describe('Why the plan changed (kept in the audit)') })
  app.put(
    '/campaigns/:id/insight',
    { preHandler: write, schema: { description: 'Stage 1: SMART goals, audiences, personas, competitors, resources. Answers the SMART assessment of every goal', tags, params: Id, body: Section, querystring: reason } },
    async (request) => {
      const out = answer(await planner.setInsight({ campaign: await campaignOf(planner, request, request.params.id), input: request.body, actor: actorOf(request), now: ctx.clock.now(), reason: request.query.reason }))
      return { campaign: campaignView(out.campaign), smart: out.smart }
    },
  )
  app.get('/campaigns/:id/smart', { preHandler: read, schema: { description: 'Which SMART letters each goal has and lacks, with history from the log', tags, params: Id } }, async (request) => ({
    goals: await planner.smart(await campaignOf(planner, request, request.params.id)),
  }))

  app.put(
    '/campaigns/:id/strategy',
    { preHandler: write, schema: { description: 'Stage 2: message house, channel mix with roles per stage, budget lines that add up, test budget. Answers the forecast', tags, params: Id, body: Section, querystring: reason } },
    async (request) => {
      const out = answer(await planner.setStrategy({ campaign: await campaignOf(planner, request, request.params.id), input: request.body, actor: actorOf(request), now: ctx.clock.now(), reason: request.query.reason }))
      return { campaign: campaignView(out.campaign), forecast: out.forecast }
    },
  )
  app.get('/campaigns/:id/forecast', { preHandler: read, schema: { description: 'Revenue forecast of the budget by channel, with its basis and assumptions', tags, params: Id } }, async (request) => ({
    forecast: await planner.forecast(await campaignOf(planner, request, request.params.id)),
  }))

  app.put(
    '/campaigns/:id/execution',
    { preHandler: write, schema: { description: 'Stage 3: tasks with owner, department, dates, dependencies, deliverables. Refused if cyclic or mis-dated; answers the schedule', tags, params: Id, body: Section, querystring: reason } },
    async (request) => {
      const out = answer(await planner.setExecution({ campaign: await campaignOf(planner, request, request.params.id), input: request.body, actor: actorOf(request), now: ctx.clock.now(), reason: request.query.reason }))
      return { campaign: campaignView(out.campaign), schedule: out.schedule }
    },
  )
  app.get('/campaigns/:id/schedule', { preHandler: read, schema: { description: 'Gantt data, critical path (earliest/latest start, slack) and conflicts', tags, params: Id } }, async (request) =>
    planner.schedule(await campaignOf(planner, request, request.params.id)),
  )
  app.get('/campaigns/:id/calendar.ics', { preHandler: read, schema: { description: 'The tasks as an iCalendar file (RFC 5545, UTC times)', tags, params: Id } }, async (request, reply) => {
    const campaign = await campaignOf(planner, request, request.params.id)
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="campaign-${campaign.id}.ics"`)
      .send(planner.calendar(campaign, ctx.clock.now()))
  })

  app.put(
    '/campaigns/:id/monitoring',
    { preHandler: write, schema: { description: 'Stage 4 settings: pacing tolerance, CPA thresholds, lead and conversion events, attribution window', tags, params: Id, body: Section, querystring: reason } },
    async (request) => {
      const out = answer(await planner.setMonitoring({ campaign: await campaignOf(planner, request, request.params.id), input: request.body, actor: actorOf(request), now: ctx.clock.now(), reason: request.query.reason }))
      return { campaign: campaignView(out.campaign) }
    },
  )

  app.get('/campaigns/:id/edits', { preHandler: read, schema: { description: 'The audit of plan edits: who changed what, when, why', tags, params: Id } }, async (request) => ({
    items: await planner.edits(await campaignOf(planner, request, request.params.id)),
  }))

  app.post('/campaigns/:id/launch', { preHandler: write, schema: { description: 'planning → running, once every goal is SMART and the budget adds up', tags, params: Id } }, async (request) =>
    campaignView(answer(await planner.launch({ campaign: await campaignOf(planner, request, request.params.id), actor: actorOf(request), now: ctx.clock.now() }))),
  )
  app.post('/campaigns/:id/finish', { preHandler: write, schema: { description: 'Finish the campaign and keep its review', tags, params: Id } }, async (request) =>
    campaignView(answer(await planner.finish({ campaign: await campaignOf(planner, request, request.params.id), actor: actorOf(request), now: ctx.clock.now() }))),
  )
}
