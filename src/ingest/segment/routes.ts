import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import cors from '@fastify/cors'
import type { AppContext } from '../../server/context.ts'
import { HttpError } from '../../server/errors.ts'
import { acceptCompressedBodies, acceptTextPlainJson } from '../body.ts'
import { writeKeyOf } from '../write-key.ts'
import type { IngestMessage, Rejection } from '../message.ts'
import { normaliseSegmentCall } from './normalise.ts'
import { LIMITS, SHORT_PATHS, SEGMENT_TYPES, type SegmentType } from './schema.ts'

/**
 * Segment's HTTP tracking API (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/),
 * so analytics.js, analytics-node, RudderStack SDKs and others work by changing only their host.
 */
export async function segmentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(cors, {
    origin: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Content-Encoding', 'X-Write-Key'],
    maxAge: 86_400,
  })
  acceptCompressedBodies(app)
  acceptTextPlainJson(app)

  const single = (type: SegmentType) => async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'InvalidCall', 'The body must be a JSON object')
    return ingest(ctx, request, reply, [{ ...(body as object), type }], {})
  }
  const batch = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as { batch?: unknown; context?: unknown; integrations?: unknown; sentAt?: unknown } | undefined
    if (!body || typeof body !== 'object' || !Array.isArray(body.batch)) throw new HttpError(400, 'InvalidBatch', 'A batch body is {"batch": [ …calls ]}')
    if (body.batch.length === 0) throw new HttpError(400, 'InvalidBatch', 'The batch is empty')
    if (body.batch.length > LIMITS.batchEvents) throw new HttpError(400, 'BatchTooLarge', `The batch has ${body.batch.length} calls; the limit is ${LIMITS.batchEvents} per batch`)
    return ingest(ctx, request, reply, body.batch, {
      batchContext: asObject(body.context),
      batchIntegrations: asObject(body.integrations),
      batchSentAt: typeof body.sentAt === 'string' || typeof body.sentAt === 'number' ? body.sentAt : null,
    })
  }

  const eventLimit = { bodyLimit: LIMITS.eventBytes, config: { bodyLimitLabel: '32 KB per event' } }
  const batchLimit = { bodyLimit: LIMITS.batchBytes, config: { bodyLimitLabel: '500 KB per batch' } }
  for (const type of SEGMENT_TYPES) {
    app.post(`/${type}`, { ...eventLimit, schema: { description: `Segment ${type} call`, tags: ['tracking'] } }, single(type))
  }
  for (const path of ['batch', 'import']) {
    app.post(`/${path}`, { ...batchLimit, schema: { description: `Segment ${path}: up to 2,500 calls, 500 KB`, tags: ['tracking'] } }, batch)
  }
  for (const [short, type] of Object.entries(SHORT_PATHS)) {
    app.post(`/${short}`, { ...(type === 'batch' ? batchLimit : eventLimit), schema: { hide: true } }, type === 'batch' ? batch : single(type))
  }

  app.get('/projects/:writeKey/settings', { schema: { description: 'Source settings in the shape analytics.js loads from its CDN; apiHost points back here', tags: ['tracking'] } }, async (request) => {
    const { writeKey } = request.params as { writeKey: string }
    const source = await ctx.writeKeys.lookup(writeKey)
    if (!source) throw new HttpError(404, 'UnknownWriteKey', 'No source has this write key')
    const host = request.headers['x-forwarded-host'] ?? request.headers.host ?? `${request.hostname}`
    return {
      integrations: {
        'Segment.io': { apiKey: writeKey, apiHost: `${host}/v1`, protocol: request.protocol, unbundledIntegrations: [], addBundledMetadata: true },
      },
      plan: { track: { __default: { enabled: true, integrations: {} } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
      edgeFunction: {},
      analyticsNextEnabled: true,
      middlewareSettings: {},
      enabledMiddleware: {},
      metrics: { sampleRate: 0 },
      legacyVideoPluginsEnabled: false,
      remotePlugins: [],
    }
  })
}

async function ingest(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  calls: unknown[],
  batchFields: { batchContext?: Record<string, unknown> | null; batchIntegrations?: Record<string, unknown> | null; batchSentAt?: string | number | null },
) {
  const writeKey = writeKeyOf(request)
  if (!writeKey) throw new HttpError(401, 'MissingWriteKey', 'Send the write key as the HTTP Basic user name, X-Write-Key header, writeKey field or ?writeKey=')
  const source = await ctx.writeKeys.lookup(writeKey)
  if (!source) throw new HttpError(401, 'UnknownWriteKey', 'No source has this write key')

  const receivedAt = ctx.clock.now()
  const messages: IngestMessage[] = []
  const rejected: Rejection[] = []
  calls.forEach((call, index) => {
    const result = normaliseSegmentCall(call, { receivedAt, ip: request.ip, ...batchFields })
    if (result.kind === 'ok') messages.push(result.message)
    else rejected.push({ index, messageId: messageIdOf(call), reason: result.reason })
  })
  if (messages.length === 0) {
    const reason = calls.length === 1 ? rejected[0]!.reason : `all ${calls.length} calls were rejected`
    throw new HttpError(400, 'InvalidCall', reason, { rejected })
  }
  const outcome = ctx.writer.submit(source.workspaceId, source.id, messages)
  if (outcome.kind === 'Overloaded') {
    reply.header('Retry-After', String(outcome.retryAfterSeconds))
    throw new HttpError(429, 'Overloaded', 'Chorus is writing as fast as it can; retry after the Retry-After seconds')
  }
  const result = await outcome.done
  const body: Record<string, unknown> = { success: true }
  if (rejected.length > 0 || result.duplicates > 0 || result.suppressed > 0) {
    body.accepted = result.stored
    body.duplicates = result.duplicates
    if (result.suppressed > 0) body.suppressed = result.suppressed
    if (rejected.length > 0) body.rejected = rejected
  }
  return reply.status(200).send(body)
}

function messageIdOf(call: unknown): string | undefined {
  const id = (call as { messageId?: unknown } | null)?.messageId
  return typeof id === 'string' ? id : undefined
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}
