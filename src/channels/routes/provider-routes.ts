import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { newId } from '../../platform/index.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import type { AppContext } from '../../server/context.ts'
import { HttpError } from '../../server/errors.ts'
import { Channel } from '../channel.ts'
import { RenderedContent, type OutboundMessage } from '../provider.ts'
import { createProvider, deleteProvider, getProvider, listProviders, providerView, ProviderView, updateProvider, type ProviderWrite } from '../provider-store.ts'
import { buildProvider } from '../providers/build.ts'
import { TemplateRenderError } from '../templates/liquid.ts'
import { renderVariant } from '../templates/render.ts'
import { getTemplate } from '../templates/template-store.ts'

const Id = z.object({ id: z.string().min(1) })
const ProviderKindName = z.enum(['smtp', 'aliyun_sms', 'tencent_sms', 'wechat_template', 'wechat_subscribe', 'wecom_customer', 'webhook'])

/** Provider configuration per workspace: CRUD with masked secrets, and a test send. */
export async function providerRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const admin = requirePermission(db, 'admin')
  const saved = (result: ProviderWrite, id?: string) => {
    if (result.kind === 'NotFound') throw new HttpError(404, 'NotFound', `No provider ${id}`)
    if (result.kind === 'Invalid') throw new HttpError(400, 'InvalidProvider', `The provider configuration is not valid: ${result.issues.join('; ')}`, result.issues)
    return providerView(result.provider)
  }

  app.get(
    '/channels/providers',
    {
      preHandler: read,
      schema: {
        description: 'Delivery providers of the workspace, oldest first; secrets are masked',
        tags: ['channels'],
        querystring: z.object({ channel: Channel.optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().optional() }),
        response: { 200: z.object({ items: z.array(ProviderView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const page = await listProviders(db, principalOf(request).workspaceId, request.query)
      return { items: page.items.map(providerView), nextCursor: page.nextCursor }
    },
  )

  app.post(
    '/channels/providers',
    {
      preHandler: admin,
      schema: {
        description: 'Configure a provider. Kinds: smtp, aliyun_sms, tencent_sms, wechat_template, wechat_subscribe, wecom_customer, webhook (see docs/channels.md for their settings and secrets)',
        tags: ['channels'],
        body: z.object({
          name: z.string().min(1).max(200),
          kind: ProviderKindName,
          settings: z.record(z.string(), z.unknown()),
          secrets: z.record(z.string(), z.unknown()).default({}),
          isDefault: z.boolean().default(false).describe('Sends on this channel use it (else the oldest provider of the channel)'),
        }),
        response: { 201: ProviderView },
      },
    },
    async (request, reply) => {
      const { name, kind, settings, secrets, isDefault } = request.body
      const result = await createProvider(db, { workspaceId: principalOf(request).workspaceId, name, config: { kind, settings, secrets }, isDefault, now: ctx.clock.now() })
      return reply.status(201).send(saved(result))
    },
  )

  app.get('/channels/providers/:id', { preHandler: read, schema: { description: 'One provider; secrets masked', tags: ['channels'], params: Id, response: { 200: ProviderView } } }, async (request) => {
    const provider = await getProvider(db, principalOf(request).workspaceId, request.params.id)
    if (!provider) throw new HttpError(404, 'NotFound', `No provider ${request.params.id}`)
    return providerView(provider)
  })

  app.patch(
    '/channels/providers/:id',
    {
      preHandler: admin,
      schema: {
        description: 'Change a provider: settings and secrets are merged into the current ones (a secret left out keeps its value)',
        tags: ['channels'],
        params: Id,
        body: z.object({ name: z.string().min(1).max(200).optional(), settings: z.record(z.string(), z.unknown()).optional(), secrets: z.record(z.string(), z.unknown()).optional(), isDefault: z.boolean().optional() }),
        response: { 200: ProviderView },
      },
    },
    async (request) => {
      const result = await updateProvider(db, { workspaceId: principalOf(request).workspaceId, id: request.params.id, ...request.body, now: ctx.clock.now() })
      return saved(result, request.params.id)
    },
  )

  app.delete('/channels/providers/:id', { preHandler: admin, schema: { description: 'Remove a provider', tags: ['channels'], params: Id } }, async (request) => {
    if (!(await deleteProvider(db, principalOf(request).workspaceId, request.params.id))) throw new HttpError(404, 'NotFound', `No provider ${request.params.id}`)
    return { deleted: true }
  })

  app.post(
    '/channels/providers/:id/test',
    {
      preHandler: admin,
      schema: {
        description:
          'Send a test message through this provider to an address (email, E.164 phone, openid, external_userid). Give rendered content, or a templateId rendered with sample traits; an email with neither gets a short test message. Not tracked, not recorded in the log.',
        tags: ['channels'],
        params: Id,
        body: z.object({
          to: z.string().min(1),
          content: RenderedContent.optional(),
          templateId: z.string().optional(),
          traits: z.record(z.string(), z.unknown()).default({}),
          event: z.object({ name: z.string().optional(), properties: z.record(z.string(), z.unknown()).default({}) }).optional(),
        }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const stored = await getProvider(db, workspaceId, request.params.id)
      if (!stored) throw new HttpError(404, 'NotFound', `No provider ${request.params.id}`)
      const messageId = newId('msg', ctx.clock.now())
      let content = request.body.content
      if (!content && request.body.templateId) {
        const template = await getTemplate(db, workspaceId, request.body.templateId)
        if (!template) throw new HttpError(404, 'NotFound', `No template ${request.body.templateId}`)
        try {
          const input = { profile: { id: null, traits: request.body.traits }, message: { id: messageId, channel: stored.channel }, unsubscribeUrl: null, ...(request.body.event ? { event: request.body.event } : {}) }
          content = (await renderVariant(template.variants, stored.channel, input, null)).content
        } catch (error) {
          if (error instanceof TemplateRenderError) throw new HttpError(422, error.problem.kind, error.message, error.problem)
          throw error
        }
      }
      if (!content && stored.channel === 'email') content = { channel: 'email', subject: `Chorus test: ${stored.name}`, html: `<p>This is a test message from Chorus through the provider <b>${escapeHtml(stored.name)}</b>.</p>`, text: `This is a test message from Chorus through the provider ${stored.name}.` }
      if (!content) throw new HttpError(400, 'ContentRequired', `A ${stored.channel} test needs content or a templateId: ${stored.channel} providers deliver only approved templates`)
      if (content.channel !== stored.channel) throw new HttpError(400, 'WrongChannel', `Provider ${stored.id} sends ${stored.channel}; the content is ${content.channel}`)
      const message: OutboundMessage = { messageId, idempotencyKey: `test:${messageId}`, workspaceId, profileId: null, to: request.body.to, content }
      const result = await buildProvider(stored, ctx).send(message)
      return { messageId, result }
    },
  )
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}
