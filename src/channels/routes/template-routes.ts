import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { principalOf, requirePermission } from '../../server/auth.ts'
import type { AppContext } from '../../server/context.ts'
import { HttpError } from '../../server/errors.ts'
import { Channel } from '../channel.ts'
import { TemplateRenderError } from '../templates/liquid.ts'
import { previewTemplate } from '../templates/preview.ts'
import { TemplateInput } from '../templates/template.ts'
import { createTemplate, deleteTemplate, getTemplate, listTemplates, templateView, updateTemplate, type TemplateWrite } from '../templates/template-store.ts'

const Id = z.object({ id: z.string().min(1) })

/** Templates: one message with a variant per channel; CRUD and a render preview. */
export async function templateRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')
  const saved = (result: TemplateWrite, id?: string) => {
    if (result.kind === 'NotFound') throw new HttpError(404, 'NotFound', `No template ${id}`)
    if (result.kind === 'Invalid') throw new HttpError(400, 'InvalidTemplate', `The template is not valid: ${result.issues.join('; ')}`, result.issues)
    return { ...templateView(result.template), warnings: result.warnings }
  }

  app.get(
    '/templates',
    { preHandler: read, schema: { description: 'Templates of the workspace, oldest first', tags: ['templates'], querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().optional() }) } },
    async (request) => {
      const page = await listTemplates(db, principalOf(request).workspaceId, request.query)
      return { items: page.items.map(templateView), nextCursor: page.nextCursor }
    },
  )

  app.post(
    '/templates',
    {
      preHandler: write,
      schema: {
        description: 'Create a template. Every string is Liquid; email bodies are MJML or HTML. Liquid syntax errors are refused; MJML problems come back as warnings',
        tags: ['templates'],
        body: TemplateInput,
      },
    },
    async (request, reply) => {
      const result = await createTemplate(db, { workspaceId: principalOf(request).workspaceId, template: request.body, now: ctx.clock.now() })
      return reply.status(201).send(saved(result))
    },
  )

  app.get('/templates/:id', { preHandler: read, schema: { description: 'One template', tags: ['templates'], params: Id } }, async (request) => {
    const template = await getTemplate(db, principalOf(request).workspaceId, request.params.id)
    if (!template) throw new HttpError(404, 'NotFound', `No template ${request.params.id}`)
    return templateView(template)
  })

  app.put('/templates/:id', { preHandler: write, schema: { description: 'Replace a template', tags: ['templates'], params: Id, body: TemplateInput } }, async (request) => {
    const result = await updateTemplate(db, { workspaceId: principalOf(request).workspaceId, id: request.params.id, template: request.body, now: ctx.clock.now() })
    return saved(result, request.params.id)
  })

  app.delete('/templates/:id', { preHandler: requirePermission(db, 'delete'), schema: { description: 'Delete a template', tags: ['templates'], params: Id } }, async (request) => {
    if (!(await deleteTemplate(db, principalOf(request).workspaceId, request.params.id))) throw new HttpError(404, 'NotFound', `No template ${request.params.id}`)
    return { deleted: true }
  })

  app.post(
    '/templates/:id/preview',
    {
      preHandler: read,
      schema: {
        description:
          "Render the template for a person (profileId: their traits; traits: extra or stand-in traits) and a sample event: every variant's fields, email HTML, SMS length and segments (70/67 UCS-2, 160/153 GSM-7, and mainland billing). A missing variable answers 422 naming it",
        tags: ['templates'],
        params: Id,
        body: z.object({
          profileId: z.string().optional(),
          traits: z.record(z.string(), z.unknown()).optional(),
          event: z.object({ name: z.string().optional(), properties: z.record(z.string(), z.unknown()).default({}) }).optional(),
          journey: z.record(z.string(), z.unknown()).optional(),
          data: z.record(z.string(), z.unknown()).optional(),
          channels: z.array(Channel).optional(),
          category: z.enum(['marketing', 'transactional']).default('marketing').describe('As the send would be: marketing email shows the unsubscribe footer it would get'),
        }),
      },
    },
    async (request) => {
      const template = await getTemplate(db, principalOf(request).workspaceId, request.params.id)
      if (!template) throw new HttpError(404, 'NotFound', `No template ${request.params.id}`)
      try {
        const { profileId, traits, event, journey, data, channels, category } = request.body
        const result = await previewTemplate(ctx, {
          template,
          ...(profileId ? { profileId } : {}),
          ...(traits ? { traits } : {}),
          ...(event ? { event: { ...event, properties: event.properties } } : {}),
          ...(journey ? { journey } : {}),
          ...(data ? { data } : {}),
          ...(channels ? { channels } : {}),
          category,
        })
        if (result.kind === 'ProfileNotFound') throw new HttpError(404, 'NotFound', `No profile ${profileId}`)
        return { templateId: template.id, channels: result.channels }
      } catch (error) {
        if (error instanceof TemplateRenderError) throw new HttpError(422, error.problem.kind, error.message, error.problem)
        throw error
      }
    },
  )
}
