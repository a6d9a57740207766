import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { principalOf, requirePermission } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import type { CampaignPlanner } from './planner.ts'
import { actorOf, answer, campaignOf } from './routes-support.ts'

const Id = z.object({ id: z.string().min(1).describe('Campaign id') })
const Fresh = z.object({ fresh: z.enum(['true', 'false']).optional().describe('true: generate now instead of reading the kept review') })
const tags = ['campaigns']

/** Stage 5: the retrospective as JSON, Markdown and PDF; the lessons knowledge base. */
export async function reviewRoutes(fastify: FastifyInstance, ctx: AppContext, planner: CampaignPlanner): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')

  app.get('/campaigns/:id/review', { preHandler: read, schema: { description: 'The retrospective: goals achieved or missed by how much, channel ROI, journeys, content consistency, plan changes, alerts, lessons', tags, params: Id, querystring: Fresh } }, async (request) => {
    const review = await planner.review(await campaignOf(planner, request, request.params.id), { now: ctx.clock.now(), fresh: request.query.fresh === 'true' })
    return { ...review.report, stored: review.stored, generatedAt: review.generatedAt }
  })

  app.post('/campaigns/:id/review', { preHandler: write, schema: { description: 'Generate the retrospective now and keep it', tags, params: Id } }, async (request) => {
    const kept = await planner.keepReview(await campaignOf(planner, request, request.params.id), { actor: actorOf(request), now: ctx.clock.now() })
    return { ...kept.report, stored: true }
  })

  app.get('/campaigns/:id/review.md', { preHandler: read, schema: { description: 'The retrospective as Markdown', tags, params: Id, querystring: Fresh } }, async (request, reply) => {
    const review = await planner.review(await campaignOf(planner, request, request.params.id), { now: ctx.clock.now(), fresh: request.query.fresh === 'true' })
    return reply.type('text/markdown; charset=utf-8').send(review.markdown)
  })

  app.get('/campaigns/:id/review.pdf', { preHandler: read, schema: { description: 'The retrospective as PDF (headless Chromium); 503 when Chromium is not installed', tags, params: Id, querystring: Fresh } }, async (request, reply) => {
    const campaign = await campaignOf(planner, request, request.params.id)
    const review = await planner.review(campaign, { now: ctx.clock.now(), fresh: request.query.fresh === 'true' })
    const pdf = await planner.reviewPdf(review.markdown, `Campaign review: ${campaign.name}`)
    if (!pdf.ok) throw new HttpError(503, 'PdfUnavailable', pdf.message)
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="review-${campaign.id}.pdf"`).send(pdf.pdf)
  })

  const LessonBody = z.record(z.string(), z.unknown()).describe('{ title, body, channels?, metrics?, tags? }')
  app.post('/campaigns/:id/lessons', { preHandler: write, schema: { description: 'Record a lesson from this campaign (channels and metrics default to the plan\'s)', tags, params: Id, body: LessonBody } }, async (request, reply) => {
    const campaign = await campaignOf(planner, request, request.params.id)
    const lesson = answer(await planner.addLesson({ workspaceId: campaign.workspaceId, campaign, lesson: request.body, actor: actorOf(request), now: ctx.clock.now() }))
    return reply.status(201).send(lesson)
  })
  app.get('/campaigns/:id/lessons', { preHandler: read, schema: { description: 'The lessons recorded for this campaign', tags, params: Id } }, async (request) => {
    const campaign = await campaignOf(planner, request, request.params.id)
    return { items: await planner.lessons(campaign.workspaceId, campaign.id) }
  })
  app.get(
    '/campaigns/:id/lessons/suggested',
    { preHandler: read, schema: { description: 'Lessons from other campaigns with shared channels, goal metrics or words, with the similarity parts', tags, params: Id, querystring: z.object({ limit: z.coerce.number().int().min(1).max(20).default(5) }) } },
    async (request) => ({ items: await planner.suggestLessons(await campaignOf(planner, request, request.params.id), request.query.limit) }),
  )

  app.post('/lessons', { preHandler: write, schema: { description: 'Record a lesson not tied to a campaign', tags, body: LessonBody } }, async (request, reply) => {
    const lesson = answer(await planner.addLesson({ workspaceId: principalOf(request).workspaceId, campaign: null, lesson: request.body, actor: actorOf(request), now: ctx.clock.now() }))
    return reply.status(201).send(lesson)
  })
  app.get(
    '/lessons/search',
    {
      preHandler: read,
      schema: { description: 'Search the lessons in Chinese and English, ranked', tags, querystring: z.object({ q: z.string().trim().min(1), limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().optional() }) },
    },
    async (request) => {
      try {
        return await planner.searchLessons({ workspaceId: principalOf(request).workspaceId, query: request.query.q, limit: request.query.limit, cursor: request.query.cursor ?? null })
      } catch (error) {
        if (error instanceof RangeError) throw new HttpError(400, 'InvalidCursor', error.message)
        throw error
      }
    },
  )
  app.delete('/lessons/:lessonId', { preHandler: requirePermission(db, 'delete'), schema: { description: 'Delete a lesson', tags, params: z.object({ lessonId: z.string().min(1) }) } }, async (request) => {
    const deleted = await planner.deleteLesson({ workspaceId: principalOf(request).workspaceId, lessonId: request.params.lessonId })
    if (!deleted) throw new HttpError(404, 'NotFound', `no lesson ${request.params.lessonId}`)
    return { deleted: request.params.lessonId }
  })
}
