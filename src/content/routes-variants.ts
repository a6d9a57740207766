import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission } from '../server/auth.ts'
import { Stage } from './message-house.ts'
import { ReviewAction, STEP_PERMISSION, type ContentHub } from './store/index.ts'
import { actorOf, answer, found } from './routes-outcome.ts'

const VariantId = z.object({ id: z.string().min(1).describe('Variant id') })
const StepBody = z
  .object({
    version: z.number().int().min(1).optional().describe('The version you reviewed; refused if another was saved since'),
    comment: z.string().optional().describe('Required to reject: what the writer should change'),
  })
  .default({})

/** The content matrix (house × channel × stage), variant versions with their checks, the review flow, asset usage. */
export async function variantRoutes(fastify: FastifyInstance, ctx: AppContext, hub: ContentHub): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')
  const tags = ['content']

  app.get('/content/houses/:id/matrix', { preHandler: read, schema: { description: 'The content matrix: one variant per channel × stage, with state and score', tags, params: z.object({ id: z.string().min(1) }) } }, async (request) =>
    found(await hub.matrix({ workspaceId: actorOf(request).workspaceId, houseId: request.params.id }), `message house ${request.params.id}`),
  )

  app.put(
    '/content/houses/:id/matrix/:channel/:stage',
    {
      preHandler: write,
      schema: {
        description: 'Write the variant of a cell: creates it, or saves a new version (back to draft). The checks run and are stored with the version',
        tags,
        params: z.object({ id: z.string().min(1), channel: z.string().min(1).describe('A channel profile id, e.g. xiaohongshu-note'), stage: Stage }),
        body: z.object({
          fields: z.record(z.string(), z.string()).describe('title, digest, body, cta, link, signature, subject, or the channel\'s own fields'),
          hashtags: z.array(z.string()).optional(),
          persona: z.string().nullable().optional(),
          baseVersion: z.number().int().min(1).optional().describe('The version you edited; refused if a newer one exists'),
        }),
      },
    },
    async (request) => {
      const actor = actorOf(request)
      const { id, channel, stage } = request.params
      return answer(await hub.saveCell({ workspaceId: actor.workspaceId, houseId: id, channel, stage, ...request.body, actor, now: ctx.clock.now() }))
    },
  )

  app.get(
    '/content/variants/:id',
    { preHandler: read, schema: { description: 'A variant (current version, or ?version=n) with its checks item by item', tags, params: VariantId, querystring: z.object({ version: z.coerce.number().int().min(1).optional() }) } },
    async (request) => {
      const workspaceId = actorOf(request).workspaceId
      const variant = found(await hub.getVariant({ workspaceId, variantId: request.params.id, version: request.query.version }), `variant ${request.params.id}${request.query.version ? ` version ${request.query.version}` : ''}`)
      return { ...variant, assets: await hub.variantAssets({ workspaceId, variantId: variant.id }) }
    },
  )

  app.get('/content/variants/:id/versions', { preHandler: read, schema: { description: 'Every version of a variant with its score', tags, params: VariantId } }, async (request) => {
    const workspaceId = actorOf(request).workspaceId
    found(await hub.getVariant({ workspaceId, variantId: request.params.id }), `variant ${request.params.id}`)
    return { items: await hub.listVariantVersions({ workspaceId, variantId: request.params.id }) }
  })

  app.get('/content/variants/:id/history', { preHandler: read, schema: { description: 'The review trail: who created, edited, submitted, approved, rejected, published which version, and when', tags, params: VariantId } }, async (request) => {
    const workspaceId = actorOf(request).workspaceId
    found(await hub.getVariant({ workspaceId, variantId: request.params.id }), `variant ${request.params.id}`)
    return { items: await hub.history({ workspaceId, variantId: request.params.id }) }
  })

  for (const action of ReviewAction) {
    const needs = STEP_PERMISSION[action]
    app.post(
      `/content/variants/:id/${action}`,
      {
        preHandler: requirePermission(db, needs),
        schema: {
          description: {
            submit: 'Send a draft for review (writers)',
            approve: 'Approve the version in review (reviewers; refused while a check blocks)',
            reject: 'Send the version in review back to draft, saying why (reviewers)',
            publish: 'Mark an approved variant published (writers)',
          }[action],
          tags,
          params: VariantId,
          body: StepBody,
        },
      },
      async (request) => {
        const actor = actorOf(request)
        const body = request.body ?? {}
        return answer(await hub.step({ workspaceId: actor.workspaceId, variantId: request.params.id, action, actor, now: ctx.clock.now(), version: body.version, comment: body.comment }))
      },
    )
  }

  app.get('/content/variants/:id/assets', { preHandler: read, schema: { description: 'Assets a variant uses', tags, params: VariantId } }, async (request) => ({
    items: await hub.variantAssets({ workspaceId: actorOf(request).workspaceId, variantId: request.params.id }),
  }))

  app.post(
    '/content/variants/:id/assets',
    {
      preHandler: write,
      schema: {
        description: 'Record that the variant uses an asset (idempotent)',
        tags,
        params: VariantId,
        body: z.object({ assetId: z.string().min(1), placement: z.string().trim().min(1).default('inline').describe('cover, inline, thumbnail, video …') }),
      },
    },
    async (request) => {
      const actor = actorOf(request)
      return answer(await hub.attachAsset({ workspaceId: actor.workspaceId, variantId: request.params.id, ...request.body, actor, now: ctx.clock.now() }))
    },
  )

  app.delete(
    '/content/variants/:id/assets/:assetId',
    { preHandler: write, schema: { description: 'Stop using an asset in a variant', tags, params: VariantId.extend({ assetId: z.string().min(1) }) } },
    async (request) => answer(await hub.detachAsset({ workspaceId: actorOf(request).workspaceId, variantId: request.params.id, assetId: request.params.assetId })),
  )
}
