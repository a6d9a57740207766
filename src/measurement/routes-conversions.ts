import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { principalOf, requirePermission } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { getWorkspace } from '../workspaces/index.ts'
import { issuesText } from './routes-channel-rules.ts'
import { ConversionDefinition, DEFAULT_CONVERSION_KEY, deleteConversion, getConversion, listConversions, putConversion, type StoredConversion } from './touchpoints/index.ts'

const KeyParams = z.object({ key: z.string().min(1).describe('Conversion key, e.g. purchase') })
/** The API's definition: the currency defaults to the workspace's. */
const ConversionBody = ConversionDefinition.extend({ currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY').optional() })
const ConversionUpdate = ConversionBody.extend({ key: z.string().optional().describe('Ignored: the key is the one in the path') })

/** Conversion definitions: list, read, create, replace, delete (`purchase` is built in). */
export async function conversionRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')
  const tags = ['measurement']
  const currencyOf = async (workspaceId: string) => (await getWorkspace(db, workspaceId))?.settings.currency ?? 'CNY'

  app.get(
    '/measurement/conversions',
    {
      preHandler: read,
      schema: {
        description: 'Conversion definitions, by key; `purchase` (Order Completed worth its amount) is built in until replaced',
        tags,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), cursor: z.string().optional() }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const all = await listConversions(db, workspaceId, await currencyOf(workspaceId))
      const after = request.query.cursor
      const rest = after ? all.filter((c) => c.definition.key > after) : all
      const page = rest.slice(0, request.query.limit)
      return { items: page.map(view), nextCursor: rest.length > page.length ? page.at(-1)!.definition.key : null }
    },
  )

  app.get('/measurement/conversions/:key', { preHandler: read, schema: { description: 'One conversion definition', tags, params: KeyParams } }, async (request) => {
    const { workspaceId } = principalOf(request)
    const found = await getConversion(db, workspaceId, request.params.key, await currencyOf(workspaceId))
    if (!found) throw new HttpError(404, 'NotFound', `No conversion '${request.params.key}'`)
    return view(found)
  })

  app.post('/measurement/conversions', { preHandler: write, schema: { description: 'Create a conversion definition (409 if the key exists: use PUT to replace)', tags, body: ConversionBody } }, async (request, reply) => {
    const { workspaceId } = principalOf(request)
    const definition = ConversionDefinition.parse({ ...request.body, currency: request.body.currency ?? (await currencyOf(workspaceId)) })
    const existing = await getConversion(db, workspaceId, definition.key, definition.currency)
    if (existing && !existing.builtIn) throw new HttpError(409, 'Exists', `A conversion '${definition.key}' exists; replace it with PUT /api/v1/measurement/conversions/${definition.key}`)
    const { conversion } = await putConversion(db, { workspaceId, definition, now: ctx.clock.now() })
    reply.status(201)
    return view(conversion)
  })

  app.put(
    '/measurement/conversions/:key',
    { preHandler: write, schema: { description: 'Create or replace the conversion with this key', tags, params: KeyParams, body: ConversionUpdate } },
    async (request, reply) => {
      const { workspaceId } = principalOf(request)
      const parsed = ConversionDefinition.safeParse({ ...request.body, key: request.params.key, currency: request.body.currency ?? (await currencyOf(workspaceId)) })
      if (!parsed.success) throw new HttpError(400, 'InvalidConversion', `Invalid conversion: ${issuesText(parsed.error.issues)}`, parsed.error.issues)
      const { created, conversion } = await putConversion(db, { workspaceId, definition: parsed.data, now: ctx.clock.now() })
      reply.status(created ? 201 : 200)
      return view(conversion)
    },
  )

  app.delete('/measurement/conversions/:key', { preHandler: requirePermission(db, 'delete'), schema: { description: 'Delete a conversion; deleting purchase restores the built-in one', tags, params: KeyParams } }, async (request) => {
    const outcome = await deleteConversion(db, principalOf(request).workspaceId, request.params.key)
    if (outcome === 'NotFound') {
      const message = request.params.key === DEFAULT_CONVERSION_KEY ? 'purchase is the built-in definition; there is nothing to delete' : `No conversion '${request.params.key}'`
      throw new HttpError(404, 'NotFound', message)
    }
    return { deleted: request.params.key }
  })
}

function view(stored: StoredConversion) {
  return { ...stored.definition, builtIn: stored.builtIn, createdAt: stored.createdAt, updatedAt: stored.updatedAt }
}
