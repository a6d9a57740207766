import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Schema } from '../../platform/index.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import type { AppContext } from '../../server/context.ts'
import { HttpError } from '../../server/errors.ts'
import { Channel } from '../channel.ts'
import { fromRow, type OutboxRow } from '../outbox.ts'
import { sendMessage } from '../send.ts'
import { SendBody } from '../send-request.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const Status = z.enum(['pending', 'connecting', 'sending', 'sent', 'failed', 'blocked', 'unknown'])

/** A message as the API shows it; `content` only on the single-message read. */
export function messageView(row: OutboxRow, withContent = false) {
  return {
    id: row.id,
    idempotencyKey: row.idempotencyKey,
    profileId: row.profileId,
    channel: row.channel,
    status: row.status,
    retryable: row.retryable,
    reasonCode: row.reasonCode,
    reason: row.reason,
    attempts: row.attempts,
    recipient: row.recipient,
    providerId: row.providerId,
    providerKind: row.providerKind,
    providerMessageId: row.providerMessageId,
    templateId: row.templateId,
    journeyId: row.journeyId,
    nodeId: row.nodeId,
    broadcastId: row.broadcastId,
    campaign: row.campaign,
    links: row.links,
    createdAt: iso(row.createdAt),
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt),
    ...(withContent ? { content: row.content } : {}),
  }
}

/** Sending through the API, and reading what was sent, blocked or failed — and why. */
export async function messageRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db

  app.post(
    '/channels/send',
    {
      preHandler: requirePermission(db, 'write'),
      schema: {
        description: 'Send one message to one person, at most once per idempotencyKey (a retry reports the first outcome). Answers the outcome: Sent, Failed (retryable?), Blocked (consent, address), Unknown or InFlight',
        tags: ['channels'],
        body: SendBody,
      },
    },
    async (request) => sendMessage(ctx, { ...request.body, workspaceId: principalOf(request).workspaceId }),
  )

  app.get(
    '/channels/messages',
    {
      preHandler: requirePermission(db, 'read'),
      schema: {
        description: 'Messages newest first, filtered by person, status or channel; blocked and failed ones carry their reason',
        tags: ['channels'],
        querystring: z.object({
          profileId: z.string().optional(),
          status: Status.optional(),
          channel: Channel.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().optional().describe('nextCursor of the previous page'),
        }),
      },
    },
    async (request) => {
      const page = await listMessages(db, principalOf(request).workspaceId, request.query)
      return { items: page.items.map((r) => messageView(r)), nextCursor: page.nextCursor }
    },
  )

  app.get('/channels/messages/:id', { preHandler: requirePermission(db, 'read'), schema: { description: 'One message with its rendered content', tags: ['channels'], params: z.object({ id: z.string().min(1) }) } }, async (request) => {
    const row = await db.selectFrom('channel_messages').selectAll().where('workspace_id', '=', principalOf(request).workspaceId).where('id', '=', request.params.id).executeTakeFirst()
    if (!row) throw new HttpError(404, 'NotFound', `No message ${request.params.id}`)
    return messageView(fromRow(row), true)
  })
}

/** Ids are time-ordered, so the id is the cursor: newest first, pages stable as messages arrive. */
async function listMessages(db: Kysely<Schema>, workspaceId: string, q: { profileId?: string; status?: string; channel?: string; limit: number; cursor?: string }) {
  let query = db.selectFrom('channel_messages').selectAll().where('workspace_id', '=', workspaceId)
  if (q.profileId) query = query.where('profile_id', '=', q.profileId)
  if (q.status) query = query.where('status', '=', q.status)
  if (q.channel) query = query.where('channel', '=', q.channel)
  if (q.cursor) query = query.where('id', '<', q.cursor)
  const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute()
  const items = rows.slice(0, q.limit).map(fromRow)
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1]!.id : null }
}
