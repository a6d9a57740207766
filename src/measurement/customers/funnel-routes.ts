import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../server/context.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import { HttpError } from '../../server/errors.ts'
import { FunnelBreakdown, FunnelDefinition, FunnelQuery } from './funnel-definition.ts'
import { computeFunnel, funnelReport } from './funnel-report.ts'
import { funnelPeople, funnelPeoplePage, idsCsv } from './funnel-people.ts'
import { deleteFunnel, getFunnel, listFunnels, saveFunnel } from './funnel-store.ts'
import { saveStaticAudience } from './funnel-audience.ts'
import { answering } from './http-errors.ts'
import { Instant } from './time-window.ts'

const PeopleOptions = z.object({
  step: z.coerce.number().int().min(1).describe('1-based step number'),
  status: z.enum(['dropped', 'reached']).default('dropped').describe('dropped: reached this step but not the next; reached: reached at least this step'),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).default('json').describe('csv returns every id (no paging) as a file'),
})

const SavedReportQuery = z.object({
  from: Instant,
  to: Instant,
  breakdown: z.enum(['channel', 'trait', 'audience']).optional(),
  attribution: z.enum(['first-touch', 'last-touch']).default('first-touch').describe('Channel breakdowns: which touch names the channel'),
  trait: z.string().optional().describe('Trait breakdowns: the trait'),
  audienceIds: z.string().optional().describe('Audience breakdowns: comma-separated audience ids'),
})

const IdParams = z.object({ id: z.string().min(1) })

const AudienceOptions = z.object({
  step: z.number().int().min(1),
  status: z.enum(['dropped', 'reached']).default('dropped'),
  name: z.string().min(1).max(200).describe('Name of the new static audience'),
  description: z.string().max(2000).optional(),
})

/** Funnels: ad-hoc and saved reports, and the people behind each step (JSON pages or CSV). */
export async function funnelRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const tags = ['measurement', 'funnels']

  app.post(
    '/measurement/funnels/report',
    { preHandler: read, schema: { description: 'Funnel report for a definition sent in the body: people per step, conversion, drop-off, median time between steps, optional breakdown', tags, body: FunnelQuery } },
    async (request) => answering(() => funnelReport(db, principalOf(request).workspaceId, request.body)),
  )

  app.post(
    '/measurement/funnels/people',
    {
      preHandler: read,
      schema: { description: 'Canonical profile ids who dropped after (or reached) a step, paginated, or all of them as CSV', tags, body: FunnelQuery.extend(PeopleOptions.shape) },
    },
    async (request, reply) => answering(() => peopleAnswer(reply, principalOf(request).workspaceId, request.body, request.body)),
  )

  app.post(
    '/measurement/funnels',
    { preHandler: requirePermission(db, 'write'), schema: { description: 'Save a funnel definition', tags, body: z.object({ name: z.string().min(1).max(200), definition: FunnelDefinition }) } },
    async (request, reply) => {
      const saved = await saveFunnel(db, { workspaceId: principalOf(request).workspaceId, name: request.body.name, definition: request.body.definition, now: ctx.clock.now() })
      return reply.status(201).send(saved)
    },
  )

  app.get(
    '/measurement/funnels',
    { preHandler: read, schema: { description: 'Saved funnels', tags, querystring: z.object({ cursor: z.string().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }) } },
    async (request) => answering(() => listFunnels(db, principalOf(request).workspaceId, request.query)),
  )

  app.get('/measurement/funnels/:id', { preHandler: read, schema: { description: 'A saved funnel', tags, params: IdParams } }, async (request) => {
    const funnel = await getFunnel(db, principalOf(request).workspaceId, request.params.id)
    if (!funnel) throw new HttpError(404, 'NotFound', `No funnel ${request.params.id}`)
    return funnel
  })

  app.delete('/measurement/funnels/:id', { preHandler: requirePermission(db, 'delete'), schema: { description: 'Delete a saved funnel', tags, params: IdParams } }, async (request) => {
    if (!(await deleteFunnel(db, principalOf(request).workspaceId, request.params.id))) throw new HttpError(404, 'NotFound', `No funnel ${request.params.id}`)
    return { deleted: true }
  })

  app.get(
    '/measurement/funnels/:id/report',
    { preHandler: read, schema: { description: 'Report of a saved funnel over [from, to)', tags, params: IdParams, querystring: SavedReportQuery } },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const funnel = await getFunnel(db, workspaceId, request.params.id)
      if (!funnel) throw new HttpError(404, 'NotFound', `No funnel ${request.params.id}`)
      const q = request.query
      return answering(() => funnelReport(db, workspaceId, { funnel: funnel.definition, from: q.from, to: q.to, breakdown: breakdownOf(q) }))
    },
  )

  app.get(
    '/measurement/funnels/:id/people',
    {
      preHandler: read,
      schema: { description: 'People who dropped after (or reached) a step of a saved funnel: JSON pages, or every id as CSV with format=csv', tags, params: IdParams, querystring: PeopleOptions.extend({ from: Instant, to: Instant }) },
    },
    async (request, reply) => {
      const { workspaceId } = principalOf(request)
      const funnel = await getFunnel(db, workspaceId, request.params.id)
      if (!funnel) throw new HttpError(404, 'NotFound', `No funnel ${request.params.id}`)
      return answering(() => peopleAnswer(reply, workspaceId, { funnel: funnel.definition, from: request.query.from, to: request.query.to }, request.query))
    },
  )

  app.post(
    '/measurement/funnels/people/audience',
    {
      preHandler: requirePermission(db, 'write'),
      schema: { description: 'Save the people who dropped after (or reached) a step as a new static audience', tags: [...tags, 'audiences'], body: FunnelQuery.extend(AudienceOptions.shape) },
    },
    async (request, reply) =>
      answering(async () => {
        const { workspaceId } = principalOf(request)
        const people = funnelPeople(await computeFunnel(db, workspaceId, request.body), request.body)
        return reply.status(201).send(await saveStaticAudience(ctx, { workspaceId, name: request.body.name, description: request.body.description, people }))
      }),
  )

  app.post(
    '/measurement/funnels/:id/people/audience',
    {
      preHandler: requirePermission(db, 'write'),
      schema: { description: 'Save the people behind a step of a saved funnel as a new static audience', tags: [...tags, 'audiences'], params: IdParams, body: AudienceOptions.extend({ from: Instant, to: Instant }) },
    },
    async (request, reply) =>
      answering(async () => {
        const { workspaceId } = principalOf(request)
        const funnel = await getFunnel(db, workspaceId, request.params.id)
        if (!funnel) throw new HttpError(404, 'NotFound', `No funnel ${request.params.id}`)
        const people = funnelPeople(await computeFunnel(db, workspaceId, { funnel: funnel.definition, from: request.body.from, to: request.body.to }), request.body)
        return reply.status(201).send(await saveStaticAudience(ctx, { workspaceId, name: request.body.name, description: request.body.description, people }))
      }),
  )

  async function peopleAnswer(reply: FastifyReply, workspaceId: string, query: Pick<FunnelQuery, 'funnel' | 'from' | 'to'>, options: z.infer<typeof PeopleOptions>) {
    const computation = await computeFunnel(db, workspaceId, query)
    if (options.format === 'csv') {
      const ids = funnelPeople(computation, options)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="funnel-step-${options.step}-${options.status}.csv"`)
        .send(idsCsv(ids))
    }
    return funnelPeoplePage(computation, options)
  }
}

function breakdownOf(q: z.infer<typeof SavedReportQuery>): FunnelBreakdown | undefined {
  if (q.breakdown === undefined) return undefined
  if (q.breakdown === 'channel') return { by: 'channel', attribution: q.attribution }
  if (q.breakdown === 'trait') {
    if (!q.trait) throw new HttpError(400, 'ValidationFailed', 'breakdown=trait needs trait=<name>')
    return { by: 'trait', trait: q.trait }
  }
  const audienceIds = (q.audienceIds ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  if (audienceIds.length === 0) throw new HttpError(400, 'ValidationFailed', 'breakdown=audience needs audienceIds=<id>,<id>…')
  return { by: 'audience', audienceIds }
}
