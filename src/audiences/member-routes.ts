import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission, principalOf } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { memberCsvLines, memberPage } from './members.ts'
import { getRecompute, requestRecompute } from './recompute.ts'
import { decodeCursor, encodeCursor, notFound } from './route-answers.ts'
import { uploadStaticMembers } from './static-upload.ts'
import { getAudience } from './store.ts'

const IdParams = z.object({ id: z.string().min(1).describe('Audience id') })

/** Uploads are CSV files of identifiers; 50 MB is about two million e-mail addresses. */
const UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024

/** Members (paged and as CSV), full recomputes with their progress, and static uploads. */
export async function memberRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  // Encapsulated so the CSV body parser applies to these routes only.
  await fastify.register(async (scope) => {
    scope.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: UPLOAD_LIMIT_BYTES }, (_request, body, done) => done(null, body))
    const app = scope.withTypeProvider<ZodTypeProvider>()
    const db = ctx.database.db
    const read = requirePermission(db, 'read')
    const write = requirePermission(db, 'write')

    const audienceOf = async (workspaceId: string, id: string) => {
      const audience = await getAudience(db, workspaceId, id)
      if (!audience) throw notFound(id)
      return audience
    }

    app.get(
      '/audiences/:id/members',
      {
        preHandler: read,
        schema: {
          description: 'Members in profile-id order with when they entered, cursor-paginated',
          tags: ['audiences'],
          params: IdParams,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: z.string().optional() }),
        },
      },
      async (request) => {
        const { workspaceId } = principalOf(request)
        await audienceOf(workspaceId, request.params.id)
        const after = request.query.cursor ? decodeCursor(request.query.cursor) : null
        const page = await memberPage(db, workspaceId, request.params.id, { after, limit: request.query.limit })
        const last = page[page.length - 1]
        return {
          items: page.map((m) => ({ profileId: m.profileId, enteredAt: new Date(m.enteredAt).toISOString() })),
          nextCursor: page.length === request.query.limit && last ? encodeCursor(last.profileId) : null,
        }
      },
    )

    app.get(
      '/audiences/:id/members.csv',
      { preHandler: read, schema: { description: 'Every member as CSV (profile id, entered at, main identifiers), streamed', tags: ['audiences'], params: IdParams } },
      async (request, reply) => {
        const { workspaceId } = principalOf(request)
        const audience = await audienceOf(workspaceId, request.params.id)
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${audience.id}.csv"`)
          .send(Readable.from(memberCsvLines(db, workspaceId, audience.id)))
      },
    )

    app.post(
      '/audiences/:id/recompute',
      { preHandler: write, schema: { description: 'Queue a full re-evaluation; read its progress at /audiences/{id}/recomputes/{recomputeId}', tags: ['audiences'], params: IdParams } },
      async (request, reply) => {
        const audience = await audienceOf(principalOf(request).workspaceId, request.params.id)
        if (audience.kind !== 'dynamic') throw new HttpError(409, 'StaticAudience', 'A static audience has no definition to evaluate; upload its members instead')
        return reply.status(202).send(await requestRecompute(ctx, audience, 'requested'))
      },
    )

    app.get(
      '/audiences/:id/recomputes/:recomputeId',
      { preHandler: read, schema: { description: 'Progress of a full re-evaluation', tags: ['audiences'], params: IdParams.extend({ recomputeId: z.string().min(1) }) } },
      async (request) => {
        const run = await getRecompute(db, principalOf(request).workspaceId, request.params.id, request.params.recomputeId)
        if (!run) throw new HttpError(404, 'NotFound', `No recompute ${request.params.recomputeId} of audience ${request.params.id}`)
        return run
      },
    )

    app.post(
      '/audiences/:id/members/upload',
      {
        preHandler: write,
        bodyLimit: UPLOAD_LIMIT_BYTES,
        schema: {
          description: 'Set a static audience\'s members from a CSV (text/csv) of identifiers: header "type,value", or one column named after the identifier type. mode=replace makes the file the whole membership; mode=append adds to it.',
          tags: ['audiences'],
          params: IdParams,
          querystring: z.object({ mode: z.string().optional().describe('replace or append (required)') }),
        },
      },
      async (request) => {
        const { workspaceId } = principalOf(request)
        const mode = request.query.mode
        if (mode !== 'replace' && mode !== 'append') {
          throw new HttpError(400, 'ModeRequired', `Say how the file changes the audience: ?mode=replace (the file becomes the whole membership; others leave) or ?mode=append (adds to it)${mode === undefined ? '' : ` — "${mode}" is neither`}`)
        }
        const audience = await audienceOf(workspaceId, request.params.id)
        if (audience.kind !== 'static') throw new HttpError(409, 'DynamicAudience', 'A dynamic audience is kept by its definition; create a static audience to upload members')
        if (typeof request.body !== 'string') throw new HttpError(415, 'UnsupportedMediaType', 'Send the file as text/csv')
        const outcome = await uploadStaticMembers({ database: ctx.database, clock: ctx.clock, audience, csv: request.body, mode })
        if (outcome.kind === 'BadFile') throw new HttpError(400, 'BadFile', outcome.message)
        return outcome.report
      },
    )
  })
}
