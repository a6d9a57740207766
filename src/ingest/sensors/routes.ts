import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import cors from '@fastify/cors'
import type { AppContext } from '../../server/context.ts'
import { HttpError } from '../../server/errors.ts'
import { acceptCompressedBodies } from '../body.ts'
import { writeKeyOf } from '../write-key.ts'
import { getWorkspace } from '../../workspaces/index.ts'
import { decodeSensorsPayload, sensorsRecordsToMessages, TRACKING_GIF, TRACKING_GIF_CONTENT_TYPE } from './index.ts'
import { saveItemChanges } from './items-store.ts'

/**
 * The Sensors Data (神策) upload endpoint: pointing an SDK's `server_url` at
 * `https://<chorus>/sa?project=<workspace>&token=<write key>` sends its events into the same log
 * and profiles as Segment traffic. `/sa.gif` answers image beacons; `/debug` validates only
 * when the SDK's debug mode sends `Dry-Run: true`.
 */
export async function sensorsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(cors, { origin: true, methods: ['GET', 'POST', 'OPTIONS'], allowedHeaders: ['Content-Type', 'Dry-Run'], maxAge: 86_400 })
  acceptCompressedBodies(app)
  // SDKs label the same form-encoded body as text/plain (beacons), application/json (mini
  // programs) or x-www-form-urlencoded (Android): the decoder reads the raw bytes whatever the label.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_request, body, done) => done(null, body))

  const handler = (mode: 'upload' | 'debug') => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, string | string[] | undefined>
    const decoded = decodeSensorsPayload({
      method: request.method,
      query,
      contentType: request.headers['content-type'],
      body: request.body as Buffer | undefined,
      headers: request.headers,
    })
    if (decoded.kind === 'BadRequest') throw new HttpError(400, 'BadPayload', decoded.message)
    const token = decoded.token ?? writeKeyOf(request)
    if (!token) throw new HttpError(401, 'MissingWriteKey', 'Add ?token=<write key> to the SDK server_url')
    const source = await ctx.writeKeys.lookup(token)
    if (!source) throw new HttpError(401, 'UnknownWriteKey', 'No source has this token (write key)')
    if (decoded.project) {
      const workspace = await getWorkspace(ctx.database.db, source.workspaceId)
      if (workspace && workspace.name !== decoded.project) {
        throw new HttpError(403, 'ProjectMismatch', `This token belongs to project "${workspace.name}", not "${decoded.project}"; fix project= in server_url`)
      }
    }
    const receivedAt = ctx.clock.now()
    const { messages, items, rejections } = sensorsRecordsToMessages(decoded.records, { receivedAt, ip: request.ip, project: decoded.project })
    if (messages.length === 0 && items.length === 0 && rejections.length > 0) {
      throw new HttpError(400, 'InvalidRecords', rejections.length === 1 ? rejections[0]!.reason : `all ${rejections.length} records were rejected`, { rejected: rejections })
    }
    if (rejections.length > 0) ctx.logger.warn({ rejected: rejections.slice(0, 5), count: rejections.length }, 'Sensors records rejected')
    const dryRun = decoded.dryRun || mode === 'debug'
    if (!dryRun) {
      if (messages.length > 0) {
        const outcome = ctx.writer.submit(source.workspaceId, source.id, messages)
        if (outcome.kind === 'Overloaded') {
          reply.header('Retry-After', String(outcome.retryAfterSeconds))
          // 5xx, not 429: the Sensors SDKs keep and resend data on 5xx but drop it on most 4xx.
          throw new HttpError(503, 'Overloaded', 'Chorus is writing as fast as it can; the SDK will resend')
        }
        await outcome.done
      }
      if (items.length > 0) await saveItemChanges(ctx.database, source.workspaceId, items, receivedAt)
    }
    if (request.method === 'GET') return reply.header('content-type', TRACKING_GIF_CONTENT_TYPE).header('cache-control', 'no-store').send(TRACKING_GIF)
    // The Web SDK's debug mode treats `{}` as success and shows any other JSON as the problem.
    if (mode === 'debug') return rejections.length ? reply.status(400).send({ rejected: rejections }) : reply.send({})
    return reply.send({})
  }

  const description = 'Sensors Data SDK upload: data / data_list, base64, gzip=1'
  for (const path of ['/sa', '/sa.gif']) {
    app.get(path, { schema: { description, tags: ['tracking'] } }, handler('upload'))
    app.post(path, { schema: { description, tags: ['tracking'] } }, handler('upload'))
  }
  app.get('/debug', { schema: { description: 'Sensors debug mode: validate only', tags: ['tracking'] } }, handler('debug'))
  app.post('/debug', { schema: { description: 'Sensors debug mode: validate only', tags: ['tracking'] } }, handler('debug'))
}
