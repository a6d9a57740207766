import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { principalOf, requirePermission } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import {
  CHANNEL_GROUPS,
  ChannelClassifier,
  ChannelRule,
  editChannelRules,
  FACT_FIELDS,
  getChannelRules,
  insertRule,
  removeRule,
  replaceAllRules,
  replaceRule,
  resetChannelRules,
  type RuleEditOutcome,
} from './grouping/index.ts'
import { eventRowOf, touchOf } from './touchpoints/index.ts'

const Version = z.number().int().min(0).optional().describe('The version you read; the edit is refused (409) if the rules changed since')
const Position = z.number().int().min(1).optional().describe('1-based place in the evaluation order (first match wins); a new rule goes first by default')
const RuleId = z.object({ id: z.string().min(1).describe('Rule id') })

/**
 * Channel rules: the workspace's ordered list (first match wins), its CRUD, reset to the
 * defaults, and a preview that classifies a sample event.
 */
export async function channelRuleRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')
  const tags = ['measurement']

  app.get(
    '/measurement/channel-rules',
    {
      preHandler: read,
      schema: {
        description: 'The channel rules in evaluation order (first match wins); the defaults until the workspace edits them',
        tags,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(1000), cursor: z.string().regex(/^\d+$/).optional() }),
      },
    },
    async (request) => {
      const set = await getChannelRules(db, principalOf(request).workspaceId)
      const start = Number(request.query.cursor ?? 0)
      const items = set.rules.slice(start, start + request.query.limit).map((rule, i) => ({ position: start + i + 1, ...rule }))
      const next = start + request.query.limit
      return { items, nextCursor: next < set.rules.length ? String(next) : null, version: set.version, isDefault: set.isDefault, updatedAt: set.updatedAt, groups: CHANNEL_GROUPS, fields: FACT_FIELDS }
    },
  )

  app.put(
    '/measurement/channel-rules',
    { preHandler: write, schema: { description: 'Replace the whole ordered list', tags, body: z.object({ rules: z.array(ChannelRule).max(1000), version: Version }) } },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const outcome = await editChannelRules(db, { workspaceId, now: ctx.clock.now(), expectedVersion: request.body.version }, replaceAllRules(request.body.rules))
      const saved = savedOrThrow(outcome)
      return { items: saved.set.rules, version: saved.set.version }
    },
  )

  app.post(
    '/measurement/channel-rules',
    { preHandler: write, schema: { description: 'Add a rule at a position (first by default)', tags, body: z.intersection(ChannelRule, z.object({ position: Position, version: Version })) } },
    async (request, reply) => {
      const { workspaceId } = principalOf(request)
      const rule = ChannelRule.parse(request.body)
      const saved = savedOrThrow(await editChannelRules(db, { workspaceId, now: ctx.clock.now(), expectedVersion: request.body.version }, insertRule(rule, request.body.position)))
      reply.status(201)
      return { rule: saved.value, position: saved.set.rules.findIndex((r) => r.id === rule.id) + 1, version: saved.set.version }
    },
  )

  app.get('/measurement/channel-rules/:id', { preHandler: read, schema: { description: 'One rule and its place in the order', tags, params: RuleId } }, async (request) => {
    const set = await getChannelRules(db, principalOf(request).workspaceId)
    const index = set.rules.findIndex((r) => r.id === request.params.id)
    if (index < 0) throw new HttpError(404, 'NotFound', `No channel rule '${request.params.id}'`)
    return { rule: set.rules[index], position: index + 1, version: set.version }
  })

  app.put(
    '/measurement/channel-rules/:id',
    {
      preHandler: write,
      schema: {
        description: 'Replace a rule (the id may be left out, or changed); position moves it',
        tags,
        params: RuleId,
        body: z.object({ position: Position, version: Version }).passthrough(),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const { position, version, ...fields } = request.body
      const parsed = ChannelRule.safeParse({ id: request.params.id, ...fields })
      if (!parsed.success) throw new HttpError(400, 'InvalidRule', `Invalid rule: ${issuesText(parsed.error.issues)}`, parsed.error.issues)
      const saved = savedOrThrow(await editChannelRules(db, { workspaceId, now: ctx.clock.now(), expectedVersion: version }, replaceRule(request.params.id, parsed.data, position)))
      return { rule: saved.value, position: saved.set.rules.findIndex((r) => r.id === parsed.data.id) + 1, version: saved.set.version }
    },
  )

  app.delete(
    '/measurement/channel-rules/:id',
    { preHandler: requirePermission(db, 'delete'), schema: { description: 'Remove a rule', tags, params: RuleId, querystring: z.object({ version: z.coerce.number().int().min(0).optional() }) } },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const saved = savedOrThrow(await editChannelRules(db, { workspaceId, now: ctx.clock.now(), expectedVersion: request.query.version }, removeRule(request.params.id)))
      return { deleted: saved.value.id, version: saved.set.version }
    },
  )

  app.post('/measurement/channel-rules/reset', { preHandler: write, schema: { description: 'Forget the edits: the default rules apply again', tags } }, async (request) => {
    const set = await resetChannelRules(db, principalOf(request).workspaceId)
    return { items: set.rules, version: set.version, isDefault: set.isDefault }
  })

  app.post(
    '/measurement/channel-rules/preview',
    {
      preHandler: read,
      schema: {
        description: 'Classify a sample event (a stored payload: type, event, properties, context) with the current or given rules',
        tags,
        body: z.object({ event: z.record(z.string(), z.unknown()), rules: z.array(ChannelRule).max(1000).optional() }),
      },
    },
    async (request) => {
      const rules = request.body.rules ?? (await getChannelRules(db, principalOf(request).workspaceId)).rules
      const outcome = touchOf(eventRowOf(request.body.event), new ChannelClassifier(rules))
      if (outcome === null) return { touchpoint: false, reason: 'not a touchpoint: not an arrival, message, exposure, store or marketplace event, or a page inside a visit' }
      if (outcome.kind === 'excluded') return { touchpoint: false, reason: 'excluded by a rule' }
      if (outcome.kind === 'unassigned') return { touchpoint: false, reason: 'no rule matched' }
      const { touch } = outcome
      return { touchpoint: true, kind: touch.kind, channel: touch.channel, group: touch.group, campaign: touch.campaign, journey: touch.journey }
    },
  )
}

function savedOrThrow<T>(outcome: RuleEditOutcome<T>): Extract<RuleEditOutcome<T>, { kind: 'saved' }> {
  switch (outcome.kind) {
    case 'saved':
      return outcome
    case 'NotFound':
      throw new HttpError(404, 'NotFound', outcome.message)
    case 'DuplicateId':
      throw new HttpError(409, 'DuplicateId', outcome.message)
    case 'VersionConflict':
      throw new HttpError(409, 'VersionConflict', outcome.message, { version: outcome.version })
    case 'TooMany':
      throw new HttpError(400, 'TooManyRules', outcome.message)
  }
}

export function issuesText(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ')
}
