import { createGunzip, createInflate } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { HttpError } from '../server/errors.ts'

/**
 * Accepts `Content-Encoding: gzip` (and deflate) by decompressing before the body parser runs.
 * Fastify's body limit then counts decompressed bytes, so a small compressed bomb still stops at
 * the route's limit.
 */
export function acceptCompressedBodies(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
    if (encoding === 'identity' || encoding === '') return payload
    let decoder
    if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip()
    else if (encoding === 'deflate') decoder = createInflate()
    else throw new HttpError(415, 'UnsupportedEncoding', `Content-Encoding ${JSON.stringify(encoding)} is not supported; send gzip, deflate or none`)
    payload.on('error', (error) => decoder.destroy(error))
    const out = payload.pipe(decoder) as typeof decoder & { receivedEncodedLength?: number }
    // Fastify compares Content-Length with this, not with the decompressed length.
    let received = 0
    payload.on('data', (chunk: Buffer) => {
      received += chunk.length
      out.receivedEncodedLength = received
    })
    out.receivedEncodedLength = 0
    return out
  })
}

/** Parses `text/plain` bodies as JSON: browsers send beacons as text/plain to avoid a CORS preflight. */
export function acceptTextPlainJson(app: FastifyInstance): void {
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string))
    } catch (error) {
      done(new HttpError(400, 'MalformedJson', `The request body is not valid JSON: ${(error as Error).message}`), undefined)
    }
  })
}
