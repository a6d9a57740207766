import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dashboardRoutes } from './static.ts'

describe('dashboard files at /', () => {
  let dir: string
  let app: FastifyInstance
  const script = `console.log(${JSON.stringify('x'.repeat(4000))})`
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chorus-dist-'))
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/app-1a2b.js"></script>')
    writeFileSync(join(dir, 'assets', 'app-1a2b.js'), script)
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    writeFileSync(join(tmpdir(), 'chorus-secret.txt'), 'TOP-SECRET-CONTENT')
    app = Fastify()
    app.get('/api/v1/known', async () => ({ ok: true }))
    await app.register(async (scope) => dashboardRoutes(scope, { root: dir }))
  })
  afterAll(async () => {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('serves index.html at / and for any dashboard route, with a strict Content-Security-Policy', async () => {
    for (const url of ['/', '/customers/prf_123', '/analytics?tab=attribution']) {
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(res.body).toContain('<div id="root">')
      expect(res.headers['content-security-policy']).toContain("script-src 'self'")
      expect(res.headers['cache-control']).toBe('no-cache')
    }
  })

  it('serves hashed assets for a year, gzip-compressed for clients that accept it, and answers 304 to a matching ETag', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/app-1a2b.js' })
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(plain.body).toBe(script)
    const zipped = await app.inject({ method: 'GET', url: '/assets/app-1a2b.js', headers: { 'accept-encoding': 'gzip, br' } })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(script)
    const again = await app.inject({ method: 'GET', url: '/assets/app-1a2b.js', headers: { 'if-none-match': String(plain.headers.etag) } })
    expect(again.statusCode).toBe(304)
  })

  it('answers 404 for a missing file, JSON 404 for an unknown API path, and never serves files outside the folder', async () => {
    expect((await app.inject({ method: 'GET', url: '/assets/missing-9z.js' })).statusCode).toBe(404)
    const api = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' })
    expect(api.statusCode).toBe(404)
    expect(api.json()).toEqual({ error: { code: 'NotFound', message: 'No route GET /api/v1/nothing-here' } })
    expect((await app.inject({ method: 'GET', url: '/api/v1/known' })).json()).toEqual({ ok: true })
    for (const url of ['/../chorus-secret.txt', '/%2e%2e/chorus-secret.txt', '/assets/..%2f..%2fchorus-secret.txt']) {
      const res = await app.inject({ method: 'GET', url })
      expect(res.body).not.toContain('TOP-SECRET-CONTENT')
    }
  })

  it('explains how to build the dashboard when it has not been built', async () => {
    const empty = Fastify()
    await empty.register(async (scope) => dashboardRoutes(scope, { root: join(dir, 'not-built') }))
    const res = await empty.inject({ method: 'GET', url: '/' })
    expect(res.statusCode).toBe(503)
    expect(res.body).toContain('npm run build:web')
    await empty.close()
  })
})
