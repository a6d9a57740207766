import { randomUUID } from 'node:crypto'
import { appendSystemEvents } from '../../ingest/index.ts'
import { setConsent } from '../consent.ts'
import { attributionOf, findMessage, type OutboxRow } from '../outbox.ts'
import type { ChannelContext } from '../send-request.ts'
import { workspaceSecret } from '../settings-store.ts'
import { withUtm } from './links.ts'
import { parseTrackingToken, verifyTrackingToken, type TokenKind } from './tokens.ts'

/**
 * The message a token names, if the token is genuine and of the expected kind. Anything else —
 * malformed, forged, for another kind, for a message that does not exist — is null, and the
 * routes answer all of those with the same 404.
 */
export async function messageForToken(ctx: ChannelContext, token: string, kind: TokenKind): Promise<{ row: OutboxRow; index: number } | null> {
  const parsed = parseTrackingToken(token)
  if (!parsed || parsed.kind !== kind) return null
  const row = await findMessage(ctx.database.db, parsed.messageId)
  if (!row || !row.profileId) return null
  const secret = await workspaceSecret(ctx.database.db, row.workspaceId)
  if (!secret || !verifyTrackingToken(secret, parsed)) return null
  return { row, index: parsed.index }
}

/**
 * A click: records `Message Clicked` (message, journey, node, channel, url) and returns where to
 * send the person — the original link with UTM parameters added. Null for a link index the
 * message does not have.
 *
 * @example const target = await recordClick(ctx, row, 0, { userAgent }) // 'https://shop.example.com/?utm_source=chorus%2Femail&…'
 */
export async function recordClick(ctx: ChannelContext, row: OutboxRow, index: number, request: { userAgent?: string; ip?: string }): Promise<string | null> {
  const url = row.links[index]
  if (url === undefined) return null
  const now = ctx.clock.now()
  const properties: Record<string, unknown> = { ...attributionOf(row), url, linkIndex: index }
  if (request.userAgent) properties.userAgent = request.userAgent
  await ctx.database.db.transaction().execute((trx) =>
    appendSystemEvents(trx, ctx.database.dialect, row.workspaceId, [{ profileId: row.profileId!, event: 'Message Clicked', properties, timestamp: now, messageId: randomUUID(), channel: row.channel, source: 'channels' }], now),
  )
  return withUtm(url, { channel: row.channel, campaign: row.campaign ?? row.templateId ?? row.channel })
}

/** An open (the email pixel, or an inbox message marked read): records `Message Opened`. */
export async function recordOpen(ctx: ChannelContext, row: OutboxRow, request: { userAgent?: string; via: 'pixel' | 'inbox' }): Promise<void> {
  const now = ctx.clock.now()
  const properties: Record<string, unknown> = { ...attributionOf(row), via: request.via }
  if (request.userAgent) properties.userAgent = request.userAgent
  await ctx.database.db.transaction().execute((trx) =>
    appendSystemEvents(trx, ctx.database.dialect, row.workspaceId, [{ profileId: row.profileId!, event: 'Message Opened', properties, timestamp: now, messageId: randomUUID(), channel: row.channel, source: 'channels' }], now),
  )
}

/**
 * Unsubscribes the person from the message's channel and records `Unsubscribed` with the message's
 * attribution. Repeating it changes nothing.
 */
export async function unsubscribeFromMessage(ctx: ChannelContext, row: OutboxRow, source: 'one_click' | 'unsubscribe_page'): Promise<void> {
  const now = ctx.clock.now()
  await ctx.database.db.transaction().execute((trx) =>
    setConsent(trx, ctx.database.dialect, {
      workspaceId: row.workspaceId,
      profileId: row.profileId!,
      channel: row.channel,
      state: 'unsubscribed',
      source,
      now,
      message: { id: row.id, journeyId: row.journeyId, nodeId: row.nodeId, broadcastId: row.broadcastId, templateId: row.templateId, campaign: row.campaign },
    }),
  )
}
