import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus } from '../support/chorus.ts'

describe.each(DIALECTS)('Segment tracking API on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const eventsOf = async (workspaceId: string) =>
    chorus.ctx.database.db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq').execute()

  describe('POST /v1/track', () => {
    it('stores a track call and answers success', async () => {
      const ws = await newWorkspace(chorus)
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/track', headers: ws.basic, payload: { userId: 'u1', event: 'Product Viewed', properties: { sku: 'A1' } } })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ success: true })
      const events = await eventsOf(ws.workspaceId)
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ type: 'track', event: 'Product Viewed', user_id: 'u1' })
      expect(events[0]!.profile_id).toMatch(/^prf_/)
    })

    it('rejects a call with neither userId nor anonymousId', async () => {
      const ws = await newWorkspace(chorus)
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/track', headers: ws.basic, payload: { event: 'X' } })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.message).toContain('userId or anonymousId is required')
      expect(await eventsOf(ws.workspaceId)).toHaveLength(0)
    })

    it('rejects a track call without an event name', async () => {
      const ws = await newWorkspace(chorus)
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/track', headers: ws.basic, payload: { userId: 'u1' } })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.message).toMatch(/event/)
    })

    it('rejects wrong types with the field named', async () => {
      const ws = await newWorkspace(chorus)
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/track', headers: ws.basic, payload: { userId: 'u1', event: 'X', properties: 'not an object' } })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.message).toContain('properties')
    })

    it('answers 401 for an unknown write key and stores nothing', async () => {
      const res = await chorus.app.inject({
        method: 'POST',
        url: '/v1/track',
        headers: { authorization: `Basic ${Buffer.from('wk_nope:').toString('base64')}` },
        payload: { userId: 'u1', event: 'X' },
      })
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('UnknownWriteKey')
    })

    it('answers 400 for malformed JSON', async () => {
      const ws = await newWorkspace(chorus)
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/track', headers: { ...ws.basic, 'content-type': 'application/json' }, payload: '{"userId": "u1", ' })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('MalformedJson')
    })

    it('answers 413 naming the limit for an event over 32 KB', async () => {
      const ws = await newWorkspace(chorus)
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/track', headers: ws.basic, payload: { userId: 'u1', event: 'Big', properties: { blob: 'x'.repeat(40_000) } } })
      expect(res.statusCode).toBe(413)
      expect(res.json().error.message).toContain('32 KB')
      expect(await eventsOf(ws.workspaceId)).toHaveLength(0)
    })
  })

  describe('POST /v1/batch', () => {
    it('stores the good calls of a partly bad batch and names the rejected ones', async () => {
      const ws = await newWorkspace(chorus)
      const res = await chorus.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: ws.basic,
        payload: {
          batch: [
            { type: 'track', userId: 'u1', event: 'A', messageId: 'm1' },
            { type: 'track', userId: 'u1', messageId: 'm2' },
            { type: 'fly', userId: 'u1', messageId: 'm3' },
            { type: 'identify', anonymousId: 'a1', traits: { name: '李雷' }, messageId: 'm4' },
          ],
        },
      })
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body.accepted).toBe(2)
      expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2])
      expect(body.rejected[1].reason).toContain('unknown call type')
      expect((await eventsOf(ws.workspaceId)).map((e) => e.message_id)).toEqual(['m1', 'm4'])
    })

    it('stores a retried batch once', async () => {
      const ws = await newWorkspace(chorus)
      const payload = { batch: [1, 2, 3].map((i) => ({ type: 'track', anonymousId: 'a', event: 'E', messageId: `retry-${i}` })) }
      const first = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload })
      const second = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload })
      expect(first.json()).toEqual({ success: true })
      expect(second.json()).toMatchObject({ success: true, accepted: 0, duplicates: 3 })
      expect(await eventsOf(ws.workspaceId)).toHaveLength(3)
    })

    it('merges batch-level context into each call and removes client clock skew', async () => {
      const ws = await newWorkspace(chorus)
      const now = chorus.clock.now()
      // The client's clock is 10 minutes fast: it stamped the event 5 s before it sent the batch.
      const clientNow = now + 600_000
      await chorus.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: ws.basic,
        payload: {
          sentAt: new Date(clientNow).toISOString(),
          context: { library: { name: 'test-lib' } },
          batch: [{ type: 'track', userId: 'u', event: 'E', timestamp: new Date(clientNow - 5000).toISOString(), messageId: 'skew' }],
        },
      })
      const [event] = await eventsOf(ws.workspaceId)
      expect(event!.timestamp).toBe(now - 5000)
      expect(event!.received_at).toBe(now)
      const payload = typeof event!.payload === 'string' ? JSON.parse(event!.payload) : event!.payload
      expect(payload.context.library).toEqual({ name: 'test-lib' })
      expect(payload.context.ip).toBeTruthy()
    })

    it('refuses more than 2,500 calls naming the limit', async () => {
      const ws = await newWorkspace(chorus)
      const batch = Array.from({ length: 2501 }, (_, i) => ({ type: 'track', userId: 'u', event: 'E', messageId: `m${i}` }))
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch } })
      // 2,501 tiny calls fit in 500 KB, so the count limit is what answers.
      expect(res.statusCode).toBe(400)
      expect(res.json().error.message).toContain('2500')
      expect(await eventsOf(ws.workspaceId)).toHaveLength(0)
    })

    it('refuses a body over 500 KB with 413', async () => {
      const ws = await newWorkspace(chorus)
      const batch = Array.from({ length: 30 }, (_, i) => ({ type: 'track', userId: 'u', event: 'E', messageId: `m${i}`, properties: { pad: 'y'.repeat(20_000) } }))
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch } })
      expect(res.statusCode).toBe(413)
      expect(res.json().error.message).toContain('500 KB')
    })

    it('accepts a gzip body and refuses a broken one with 400', async () => {
      const ws = await newWorkspace(chorus)
      const body = gzipSync(JSON.stringify({ batch: [{ type: 'page', anonymousId: 'g', name: 'Home', messageId: 'gz1' }] }))
      const ok = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: { ...ws.basic, 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: body })
      expect(ok.statusCode).toBe(200)
      const broken = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: { ...ws.basic, 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: Buffer.from('not gzip at all') })
      expect(broken.statusCode).toBe(400)
      expect(broken.json().error.message).toContain('gzip')
      expect((await eventsOf(ws.workspaceId)).map((e) => e.message_id)).toEqual(['gz1'])
    })
  })

  it('keeps serving after a burst of bad requests, with no 5xx among them', async () => {
    const ws = await newWorkspace(chorus)
    const bad = [
      { url: '/v1/track', payload: '{"userId": ', contentType: 'application/json' },
      { url: '/v1/batch', payload: '{"batch": "nope"}', contentType: 'application/json' },
      { url: '/v1/identify', payload: '[1,2,3]', contentType: 'application/json' },
      { url: '/v1/track', payload: 'plain words', contentType: 'text/plain' },
      { url: '/v1/alias', payload: '{"userId": "u"}', contentType: 'application/json' },
      { url: '/v1/group', payload: '{"userId": "u", "groupId": ""}', contentType: 'application/json' },
      { url: '/v1/track', payload: '{"userId": {"nested": true}, "event": "E"}', contentType: 'application/json' },
      { url: '/v1/track', payload: '{"userId": "u", "event": "E", "timestamp": "yesterday-ish"}', contentType: 'application/json' },
    ]
    for (const b of bad) {
      const res = await chorus.app.inject({ method: 'POST', url: b.url, headers: { ...ws.basic, 'content-type': b.contentType }, payload: b.payload })
      expect(res.statusCode, `${b.url} ${b.payload}`).toBeGreaterThanOrEqual(400)
      expect(res.statusCode, `${b.url} ${b.payload}`).toBeLessThan(500)
      expect(res.json().error.message.length).toBeGreaterThan(5)
    }
    expect(await eventsOf(ws.workspaceId)).toHaveLength(0)
    const good = await chorus.app.inject({ method: 'POST', url: '/v1/track', headers: ws.basic, payload: { userId: 'u', event: 'Still here' } })
    expect(good.statusCode).toBe(200)
  })

  describe('browser-style calls', () => {
    it('accepts text/plain bodies with the write key in the body on a short path', async () => {
      const ws = await newWorkspace(chorus)
      const res = await chorus.app.inject({
        method: 'POST',
        url: '/v1/p',
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify({ writeKey: ws.writeKey, anonymousId: 'b1', name: 'Home', properties: { url: 'https://brand.example/?utm_source=Douyin' }, context: { campaign: { source: 'Douyin' } } }),
      })
      expect(res.statusCode).toBe(200)
      const [event] = await eventsOf(ws.workspaceId)
      expect(event).toMatchObject({ type: 'page', event: 'Home', channel: 'douyin' })
    })

    it('answers a CORS preflight that asks for Authorization', async () => {
      const res = await chorus.app.inject({
        method: 'OPTIONS',
        url: '/v1/t',
        headers: { origin: 'https://brand.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      })
      expect(res.statusCode).toBe(204)
      expect(res.headers['access-control-allow-origin']).toBe('https://brand.example')
      expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization')
    })

    it('serves settings whose apiHost points back at Chorus', async () => {
      const ws = await newWorkspace(chorus)
      const res = await chorus.app.inject({ method: 'GET', url: `/v1/projects/${ws.writeKey}/settings`, headers: { host: 'cdp.brand.example' } })
      expect(res.statusCode).toBe(200)
      expect(res.json().integrations['Segment.io']).toMatchObject({ apiKey: ws.writeKey, apiHost: 'cdp.brand.example/v1' })
    })

    it('accepts the write key from X-Write-Key and ?writeKey=', async () => {
      const ws = await newWorkspace(chorus)
      const a = await chorus.app.inject({ method: 'POST', url: '/v1/t', headers: { 'x-write-key': ws.writeKey }, payload: { anonymousId: 'x', event: 'A' } })
      const b = await chorus.app.inject({ method: 'POST', url: `/v1/t?writeKey=${ws.writeKey}`, payload: { anonymousId: 'x', event: 'B' } })
      expect([a.statusCode, b.statusCode]).toEqual([200, 200])
      expect((await eventsOf(ws.workspaceId)).map((e) => e.event)).toEqual(['A', 'B'])
    })
  })
})
