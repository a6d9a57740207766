import type { FastifyRequest } from 'fastify'

/**
 * The write key, wherever a client put it: HTTP Basic user name (Segment's libraries), the body's
 * `writeKey` (analytics.js), an `X-Write-Key` header, or `?writeKey=` in the query.
 */
export function writeKeyOf(request: FastifyRequest): string | null {
  const auth = request.headers.authorization
  if (auth?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8')
    const user = decoded.split(':')[0]
    if (user) return user
  }
  const body = request.body as { writeKey?: unknown } | undefined
  if (body && typeof body === 'object' && typeof body.writeKey === 'string' && body.writeKey) return body.writeKey
  const header = request.headers['x-write-key']
  if (typeof header === 'string' && header) return header
  const query = request.query as { writeKey?: unknown } | undefined
  if (query && typeof query.writeKey === 'string' && query.writeKey) return query.writeKey
  return null
}
