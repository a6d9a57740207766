import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission, principalOf } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { NameStrictness } from '../server/name-strictness.ts'
import { decodeCursor, encodeCursor, invalid, notFound } from './route-answers.ts'
import { isTimeDependent } from './analyse.ts'
import { memberRoutes } from './member-routes.ts'
import { personAudienceRoutes } from './person-routes.ts'
import { latestRecompute, type RecomputeView } from './recompute.ts'
import { createAudience, deleteAudience, estimateAudience, updateAudience, type SaveOutcome } from './service.ts'
import { audienceSizes, getAudience, listAudiences, type Audience } from './store.ts'

const IdParams = z.object({ id: z.string().min(1).describe('Audience id') })
const Definition = z.unknown().describe('The audience definition: one condition, nested with all / any / not (see docs/audiences.md)')
const Name = z.string().trim().min(1).max(200)
const Description = z.string().max(2000).nullable()

/** The audience API: CRUD, estimates before saving, membership, recomputes and static uploads. */
export async function audienceRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')

  app.get(
    '/audiences',
    {
      preHandler: read,
      schema: { description: 'Audiences of the workspace with their sizes, oldest first, cursor-paginated', tags: ['audiences'], querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().optional() }) },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const after = request.query.cursor ? decodeCursor(request.query.cursor) : null
      const page = await listAudiences(db, workspaceId, { limit: request.query.limit, after })
      const sizes = await audienceSizes(db, workspaceId, page.map((a) => a.id))
      const last = page[page.length - 1]
      return { items: page.map((a) => audienceView(a, sizes.get(a.id) ?? 0, null)), nextCursor: page.length === request.query.limit && last ? encodeCursor(last.id) : null }
    },
  )

  app.post(
    '/audiences',
    {
      preHandler: write,
      schema: {
        description: 'Create an audience. A dynamic one is validated, compiled and filled by a queued full evaluation; a static one is filled by upload.',
        tags: ['audiences'],
        body: z.object({ name: Name, description: Description.optional(), kind: z.enum(['dynamic', 'static']).default('dynamic'), definition: Definition.optional(), status: z.enum(['active', 'paused']).optional() }),
        querystring: NameStrictness,
      },
    },
    async (request, reply) => {
      const outcome = await createAudience(ctx, principalOf(request).workspaceId, { ...request.body, allowUnknownNames: request.query.allowUnknownNames === 'true' })
      return reply.status(201).send(await saved(outcome))
    },
  )

  app.post(
    '/audiences/estimate',
    {
      preHandler: read,
      schema: {
        description: 'How many people a definition matches now, with a sample of them, before saving it',
        tags: ['audiences'],
        body: z.object({ definition: Definition, sample: z.number().int().min(0).max(100).default(10).describe('How many matching profiles to return') }),
      },
    },
    async (request) => {
      const outcome = await estimateAudience(ctx, principalOf(request).workspaceId, request.body.definition, request.body.sample)
      if (outcome.kind === 'Invalid') throw invalid(outcome.issues)
      return { size: outcome.size, sample: outcome.sample, warnings: outcome.warnings }
    },
  )

  app.get('/audiences/:id', { preHandler: read, schema: { description: 'An audience, its size and its latest recompute', tags: ['audiences'], params: IdParams } }, async (request) => {
    const { workspaceId } = principalOf(request)
    const audience = await getAudience(db, workspaceId, request.params.id)
    if (!audience) throw notFound(request.params.id)
    const sizes = await audienceSizes(db, workspaceId, [audience.id])
    return audienceView(audience, sizes.get(audience.id) ?? 0, await latestRecompute(db, workspaceId, audience.id))
  })

  app.patch(
    '/audiences/:id',
    {
      preHandler: write,
      schema: {
        description: 'Change name, description, status or definition; a new definition is validated and triggers a full recompute',
        tags: ['audiences'],
        params: IdParams,
        body: z.object({ name: Name.optional(), description: Description.optional(), definition: Definition.optional(), status: z.enum(['active', 'paused']).optional() }),
        querystring: NameStrictness,
      },
    },
    async (request) => {
      const outcome = await updateAudience(ctx, principalOf(request).workspaceId, request.params.id, { ...request.body, allowUnknownNames: request.query.allowUnknownNames === 'true' })
      if (outcome.kind === 'NotFound') throw notFound(request.params.id)
      return saved(outcome)
    },
  )

  app.delete(
    '/audiences/:id',
    { preHandler: requirePermission(db, 'delete'), schema: { description: 'Delete an audience and its membership (refused while another audience reads it)', tags: ['audiences'], params: IdParams } },
    async (request) => {
      const outcome = await deleteAudience(ctx, principalOf(request).workspaceId, request.params.id)
      if (outcome.kind === 'NotFound') throw notFound(request.params.id)
      if (outcome.kind === 'InUse') {
        throw new HttpError(409, 'AudienceInUse', `Audience ${request.params.id} is read by ${outcome.by.map((a) => `"${a.name}" (${a.id})`).join(', ')}; change those definitions first`, outcome.by)
      }
      return { deleted: true, members: outcome.members }
    },
  )

  await memberRoutes(fastify, ctx)
  await personAudienceRoutes(fastify, ctx)

  async function saved(outcome: SaveOutcome) {
    if (outcome.kind === 'Invalid') throw invalid(outcome.issues)
    if (outcome.kind === 'NameTaken') throw new HttpError(409, 'NameTaken', `An audience named "${outcome.name}" already exists in this workspace`)
    if (outcome.kind === 'NotFound') throw new HttpError(404, 'NotFound', 'No such audience')
    const sizes = await audienceSizes(db, outcome.audience.workspaceId, [outcome.audience.id])
    return { audience: audienceView(outcome.audience, sizes.get(outcome.audience.id) ?? 0, outcome.recompute), warnings: outcome.warnings, recompute: outcome.recompute }
  }
}

export function audienceView(a: Audience, size: number, recompute: RecomputeView | null) {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    kind: a.kind,
    status: a.status,
    version: a.version,
    definition: a.definition,
    size,
    timeDependent: a.deps ? isTimeDependent(a.deps) : false,
    nextCheckAt: a.nextCheckAt === null ? null : new Date(a.nextCheckAt).toISOString(),
    lastRecompute: recompute,
    createdAt: new Date(a.createdAt).toISOString(),
    updatedAt: new Date(a.updatedAt).toISOString(),
  }
}
