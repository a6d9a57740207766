import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { HttpError } from '../../server/errors.ts'
import type { ChannelContext } from '../send-request.ts'
import { messageForToken, recordClick, recordOpen, unsubscribeFromMessage } from './engagement.ts'
import { unsubscribePage } from './unsubscribe-page.ts'

// The smallest transparent GIF (43 bytes).
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
const notFound = () => new HttpError(404, 'NotFound', 'This link is not valid')
const Token = z.object({ token: z.string().min(1).max(200) })

/**
 * The addresses people reach from messages, outside the API prefix and without credentials: the
 * token is the credential. `GET /r/:token` (click → redirect with UTM), `GET /o/:token.gif` (open
 * pixel), `GET /u/:token` (a confirmation page: mail scanners fetch links, so a GET never
 * unsubscribes) and `POST /u/:token` (the page's button, and RFC 8058 one-click from mail clients).
 */
export async function trackingRoutes(fastify: FastifyInstance, ctx: ChannelContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  // RFC 8058 §3.1: the one-click POST is form-encoded (`List-Unsubscribe=One-Click`), or multipart.
  app.addContentTypeParser(['application/x-www-form-urlencoded', 'multipart/form-data'], { parseAs: 'string', bodyLimit: 8_192 }, (_req, body, done) => done(null, body))

  app.get('/r/:token', { schema: { description: 'Tracked link: records Message Clicked and redirects to the landing page with UTM parameters', tags: ['tracking'], params: Token } }, async (request, reply) => {
    const found = await messageForToken(ctx, request.params.token, 'c')
    if (!found) throw notFound()
    const target = await recordClick(ctx, found.row, found.index, { userAgent: request.headers['user-agent'] })
    if (!target) throw notFound()
    return reply.header('cache-control', 'no-store').redirect(target, 302)
  })

  app.get('/o/:file', { schema: { description: 'Email open pixel (/o/<token>.gif): records Message Opened', tags: ['tracking'], params: z.object({ file: z.string().min(1).max(210) }) } }, async (request, reply) => {
    const token = request.params.file.replace(/\.gif$/, '')
    const found = await messageForToken(ctx, token, 'o')
    if (!found) throw notFound()
    await recordOpen(ctx, found.row, { userAgent: request.headers['user-agent'], via: 'pixel' })
    return reply.header('content-type', 'image/gif').header('cache-control', 'no-store, max-age=0').send(PIXEL)
  })

  app.get('/u/:token', { schema: { description: 'Unsubscribe confirmation page; a GET changes nothing', tags: ['tracking'], params: Token } }, async (request, reply) => {
    const found = await messageForToken(ctx, request.params.token, 'u')
    if (!found) throw notFound()
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(unsubscribePage({ channel: found.row.channel, done: false }))
  })

  app.post('/u/:token', { schema: { description: 'Unsubscribe: the confirmation button and RFC 8058 one-click (List-Unsubscribe=One-Click)', tags: ['tracking'], params: Token } }, async (request, reply) => {
    const found = await messageForToken(ctx, request.params.token, 'u')
    if (!found) throw notFound()
    const body = typeof request.body === 'string' ? request.body : ''
    const oneClick = /List-Unsubscribe=One-Click/i.test(body)
    await unsubscribeFromMessage(ctx, found.row, oneClick ? 'one_click' : 'unsubscribe_page')
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(unsubscribePage({ channel: found.row.channel, done: true }))
  })
}
