import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../server/context.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import { HttpError } from '../../server/errors.ts'
import { NameStrictness } from '../../server/name-strictness.ts'
import { audienceReferences, validateDefinition, type DefinitionProblem } from '../definition/validate.ts'
import { audienceExists } from '../../audiences/index.ts'
import { workspaceNames } from '../definition/workspace-names.ts'
import { createJourney, draftDefinition, getJourney, getVersionDefinition, listJourneys, publishDraft, saveDraft, setJourneyStatus, type JourneyChange } from '../store/journeys-store.ts'
import { versionMetrics } from '../metrics/journey-metrics.ts'
import { listRuns } from '../store/runs-list.ts'
import { JOURNEY_CHANNELS } from '../channels.ts'
import type { JourneyDefinition } from '../definition/schema.ts'
import { TemplateRenderError } from '../../channels/index.ts'
import { previewSendNode, type SendPreview } from '../adapters/send-preview.ts'

const IdParams = z.object({ id: z.string().min(1).describe('Journey id (jny_…)') })
const SampleEvent = z
  .object({ name: z.string().min(1).optional(), properties: z.record(z.string(), z.unknown()).default({}) })
  .describe("A sample of the entry event, as {{ event.properties.* }}; the name defaults to the journey's entry event")

/** Journeys: definitions with versions, publishing, pause/resume/archive, runs and metrics. */
export async function journeyRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')

  const checked = async (workspaceId: string, definition: unknown, allowUnknownNames: boolean): Promise<JourneyDefinition> => {
    const names = allowUnknownNames ? {} : await workspaceNames(db, workspaceId)
    const result = validateDefinition(definition, { ...names, channels: JOURNEY_CHANNELS })
    if (result.kind === 'Invalid') throw invalid(result.problems)
    if (!allowUnknownNames) {
      const missing: DefinitionProblem[] = []
      for (const ref of audienceReferences(result.definition)) {
        if (!(await audienceExists(db, workspaceId, ref.audienceId))) {
          missing.push({ node: ref.node, path: ref.path, message: `${ref.node ? `node ${JSON.stringify(ref.node)}` : 'journey'}: no audience ${JSON.stringify(ref.audienceId)} in this workspace` })
        }
      }
      if (missing.length > 0) throw invalid(missing)
    }
    return result.definition
  }

  app.post(
    '/journeys/validate',
    {
      preHandler: read,
      schema: { description: 'Check a journey definition without saving it; answers every problem, each naming its node', tags: ['journeys'], body: z.object({ definition: z.unknown() }), querystring: NameStrictness },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const names = request.query.allowUnknownNames === 'true' ? {} : await workspaceNames(db, workspaceId)
      const result = validateDefinition(request.body.definition, { ...names, channels: JOURNEY_CHANNELS })
      return result.kind === 'Valid' ? { valid: true, problems: [] } : { valid: false, problems: result.problems }
    },
  )

  app.post(
    '/journeys',
    {
      preHandler: write,
      schema: {
        description: 'Create a journey; its definition becomes version 1, a draft (see docs/journeys.md)',
        tags: ['journeys'],
        body: z.object({ name: z.string().min(1).max(200), definition: z.unknown() }),
        querystring: NameStrictness,
      },
    },
    async (request, reply) => {
      const { workspaceId } = principalOf(request)
      const definition = await checked(workspaceId, request.body.definition, request.query.allowUnknownNames === 'true')
      const journey = await createJourney(db, { workspaceId, name: request.body.name, definition, now: ctx.clock.now() })
      return reply.status(201).send(journey)
    },
  )

  app.get(
    '/journeys',
    {
      preHandler: read,
      schema: {
        description: 'Journeys, newest first, cursor-paginated',
        tags: ['journeys'],
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().optional(), status: z.enum(['draft', 'published', 'paused', 'archived']).optional() }),
      },
    },
    async (request) => listJourneys(db, principalOf(request).workspaceId, request.query),
  )

  app.get('/journeys/:id', { preHandler: read, schema: { description: 'A journey: status, versions, and the current and draft definitions', tags: ['journeys'], params: IdParams } }, async (request) => {
    const { workspaceId } = principalOf(request)
    const journey = await getJourney(db, workspaceId, request.params.id)
    if (!journey) throw notFound(request.params.id)
    const current = journey.currentVersion === null ? null : await getVersionDefinition(db, workspaceId, journey.id, journey.currentVersion)
    const draft = await draftDefinition(db, workspaceId, journey.id)
    return { ...journey, definition: current, draft }
  })

  app.put(
    '/journeys/:id',
    {
      preHandler: write,
      schema: {
        description: 'Edit a journey. A published version never changes: editing creates (or replaces) the draft version; publish it to make it current',
        tags: ['journeys'],
        params: IdParams,
        querystring: NameStrictness,
        body: z.object({ name: z.string().min(1).max(200).optional(), definition: z.unknown() }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const definition = await checked(workspaceId, request.body.definition, request.query.allowUnknownNames === 'true')
      return changed(await saveDraft(db, { workspaceId, journeyId: request.params.id, definition, name: request.body.name, now: ctx.clock.now() }), request.params.id)
    },
  )

  app.post(
    '/journeys/:id/publish',
    { preHandler: write, schema: { description: 'Publish the draft: new entries use it; people already inside finish on their version', tags: ['journeys'], params: IdParams, querystring: NameStrictness } },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const draft = await draftDefinition(db, workspaceId, request.params.id)
      if (draft !== null) await checked(workspaceId, draft, request.query.allowUnknownNames === 'true')
      return changed(await publishDraft(db, { workspaceId, journeyId: request.params.id, now: ctx.clock.now() }), request.params.id)
    },
  )

  for (const action of ['pause', 'resume', 'archive'] as const) {
    const descriptions = {
      pause: 'Pause: nobody new enters; runs hold where they are',
      resume: 'Resume a paused journey: held runs carry on',
      archive: 'Archive: every run ends; the journey can no longer change',
    }
    app.post(`/journeys/:id/${action}`, { preHandler: write, schema: { description: descriptions[action], tags: ['journeys'], params: IdParams } }, async (request) => {
      const { workspaceId } = principalOf(request)
      return changed(await setJourneyStatus(ctx.database, { workspaceId, journeyId: request.params.id, action, now: ctx.clock.now() }), request.params.id)
    })
  }

  app.get(
    '/journeys/:id/versions/:version',
    { preHandler: read, schema: { description: "One version's definition", tags: ['journeys'], params: IdParams.extend({ version: z.coerce.number().int().min(1) }) } },
    async (request) => {
      const definition = await getVersionDefinition(db, principalOf(request).workspaceId, request.params.id, request.params.version)
      if (!definition) throw new HttpError(404, 'NotFound', `Journey ${request.params.id} has no version ${request.params.version}`)
      return { journeyId: request.params.id, version: request.params.version, definition }
    },
  )

  app.post(
    '/journeys/:id/nodes/:nodeId/preview',
    {
      preHandler: read,
      schema: {
        description:
          "Render a send node's message for a person (profileId: their traits; traits: extra or stand-in traits) and a sample entry event, on the node's channel or one of its fallbacks, as the send would: the template preview's fields, email HTML (with the unsubscribe footer of the node's category), SMS length and segments. A missing variable answers 422 naming it",
        tags: ['journeys'],
        params: IdParams.extend({ nodeId: z.string().min(1).describe('The send node') }),
        body: z.object({
          version: z.union([z.literal('draft'), z.number().int().min(1)]).optional().describe('A version number or "draft"; by default the draft when there is one, else the current version'),
          channel: z.string().min(1).optional().describe("The node's channel (the default) or one of its fallbacks"),
          profileId: z.string().min(1).optional(),
          traits: z.record(z.string(), z.unknown()).optional(),
          event: SampleEvent.optional(),
        }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const { id, nodeId } = request.params
      const { version: asked, channel, profileId, traits, event } = request.body
      const journey = await getJourney(db, workspaceId, id)
      if (!journey) throw notFound(id)
      const version = asked === 'draft' ? journey.draftVersion : (asked ?? journey.draftVersion ?? journey.currentVersion)
      if (version === null) throw new HttpError(404, 'NotFound', `Journey ${id} has no draft version`)
      const definition = await getVersionDefinition(db, workspaceId, id, version)
      if (!definition) throw new HttpError(404, 'NotFound', `Journey ${id} has no version ${version}`)
      let result: SendPreview
      try {
        result = await previewSendNode(ctx, {
          workspaceId,
          journeyId: id,
          version,
          definition,
          nodeId,
          ...(channel ? { channel } : {}),
          ...(profileId ? { profileId } : {}),
          ...(traits ? { traits } : {}),
          ...(event ? { event: { ...event, properties: event.properties } } : {}),
        })
      } catch (error) {
        if (error instanceof TemplateRenderError) throw new HttpError(422, error.problem.kind, error.message, error.problem)
        throw error
      }
      switch (result.kind) {
        case 'Preview':
          return { journeyId: id, version, nodeId, category: result.category, channels: { [result.channel]: result.preview } }
        case 'NodeNotFound':
          throw new HttpError(404, 'NotFound', `Version ${version} of journey ${id} has no node ${JSON.stringify(nodeId)}`)
        case 'NotASendNode':
          throw new HttpError(400, 'NotASendNode', `Node ${JSON.stringify(nodeId)} is a ${result.type} node; only send nodes have a message to preview`)
        case 'ChannelNotOffered':
          throw new HttpError(400, 'ChannelNotOffered', `Node ${JSON.stringify(nodeId)} sends on ${result.offered.join(', then ')}; preview one of those, not ${channel}`)
        case 'Undeliverable':
          throw new HttpError(422, 'UnsupportedContent', result.reason)
        case 'TemplateNotFound':
          throw new HttpError(422, 'TemplateNotFound', `Node ${JSON.stringify(nodeId)} uses template ${result.templateId}, which is not in this workspace`)
        case 'NoVariant':
          throw new HttpError(422, 'NoVariant', result.reason)
        case 'ProfileNotFound':
          throw new HttpError(404, 'NotFound', `No profile ${profileId}`)
      }
    },
  )

  app.get(
    '/journeys/:id/metrics',
    {
      preHandler: read,
      schema: {
        description: 'Per-node metrics of a version (the current one by default), per-branch conversion, and holdout lift with a two-proportion z-test',
        tags: ['journeys'],
        params: IdParams,
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const journey = await getJourney(db, workspaceId, request.params.id)
      if (!journey) throw notFound(request.params.id)
      const version = request.query.version ?? journey.currentVersion
      if (version === null) throw new HttpError(409, 'NotPublished', `Journey ${journey.id} has not been published yet, so it has no metrics`)
      const definition = await getVersionDefinition(db, workspaceId, journey.id, version)
      if (!definition) throw new HttpError(404, 'NotFound', `Journey ${journey.id} has no version ${version}`)
      return versionMetrics(db, { journeyId: journey.id, version, definition })
    },
  )

  app.get(
    '/journeys/:id/runs',
    {
      preHandler: read,
      schema: {
        description: "The journey's runs (one person's way through one version), newest first, cursor-paginated",
        tags: ['journeys'],
        params: IdParams,
        querystring: z.object({
          profileId: z.string().optional(),
          state: z.enum(['active', 'delayed', 'waiting', 'sending', 'held', 'paused', 'ended']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().optional(),
        }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      if (!(await getJourney(db, workspaceId, request.params.id))) throw notFound(request.params.id)
      return listRuns(db, { workspaceId, journeyId: request.params.id, ...request.query })
    },
  )
}

function changed(outcome: JourneyChange, id: string) {
  switch (outcome.kind) {
    case 'Ok':
      return outcome.journey
    case 'NotFound':
      throw notFound(id)
    case 'WrongStatus':
      throw new HttpError(409, 'WrongStatus', outcome.message)
    case 'NothingToPublish':
      throw new HttpError(409, 'NothingToPublish', `Journey ${id} has no draft to publish; edit it first (PUT /api/v1/journeys/${id})`)
  }
}

function notFound(id: string): HttpError {
  return new HttpError(404, 'NotFound', `No journey ${id}`)
}

function invalid(problems: DefinitionProblem[]): HttpError {
  const shown = problems.slice(0, 3).map((p) => p.message).join('; ')
  const more = problems.length > 3 ? `; and ${problems.length - 3} more` : ''
  return new HttpError(400, 'InvalidJourney', `The journey definition has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${shown}${more}`, problems)
}
