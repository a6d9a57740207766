import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'

describe.each(DIALECTS)('profiles API on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const send = (ws: TestWorkspace, batch: object[]) => chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch } })
  const lookup = (ws: TestWorkspace, type: string, value: string) =>
    chorus.app.inject({ method: 'GET', url: `/api/v1/profiles/lookup?type=${type}&value=${encodeURIComponent(value)}`, headers: ws.bearer })

  it('computes first/last seen, orders, lifetime revenue in minor units and channels', async () => {
    const ws = await newWorkspace(chorus)
    const t0 = Date.UTC(2026, 9, 1)
    await send(ws, [
      { type: 'page', userId: 'buyer', name: 'Home', timestamp: new Date(t0).toISOString(), context: { campaign: { source: 'xiaohongshu' } } },
      { type: 'track', userId: 'buyer', event: 'Order Completed', timestamp: new Date(t0 + 3600_000).toISOString(), properties: { order_id: 'o1', total: 199.9, currency: 'CNY' } },
      { type: 'track', userId: 'buyer', event: 'Order Completed', timestamp: new Date(t0 + 7200_000).toISOString(), properties: { order_id: 'o2', revenue: '100.05', channel: 'POS' } },
    ])
    const profile = (await lookup(ws, 'user_id', 'buyer')).json()
    expect(profile).toMatchObject({
      firstSeen: new Date(t0).toISOString(),
      lastSeen: new Date(t0 + 7200_000).toISOString(),
      eventCount: 3,
      orderCount: 2,
      lifetimeRevenue: { amountMinor: 29995, currency: 'CNY' },
      channels: ['xiaohongshu', 'pos'],
    })
  })

  it('paginates the timeline with a cursor, newest first, without gaps or repeats', async () => {
    const ws = await newWorkspace(chorus)
    const base = Date.UTC(2026, 9, 2)
    await send(ws, Array.from({ length: 7 }, (_, i) => ({ type: 'track', userId: 'pager', event: `E${i}`, messageId: `pg-${i}`, timestamp: new Date(base + i * 1000).toISOString(), properties: { i } })))
    const id = (await lookup(ws, 'user_id', 'pager')).json().id
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const url: string = `/api/v1/profiles/${id}/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`
      const page: { items: Array<Record<string, unknown>>; nextCursor: string | null } = (await chorus.app.inject({ method: "GET", url, headers: ws.bearer })).json()
      for (const item of page.items) {
        expect(item).toHaveProperty('messageId')
        expect(item).toHaveProperty('timestamp')
        expect(item).toHaveProperty('properties')
        seen.push(item.event as string)
      }
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(['E6', 'E5', 'E4', 'E3', 'E2', 'E1', 'E0'])
    const bad = await chorus.app.inject({ method: 'GET', url: `/api/v1/profiles/${id}/events?cursor=garbage`, headers: ws.bearer })
    expect(bad.statusCode).toBe(400)
  })

  it('answers 404 for an unknown identifier and 401 without a token', async () => {
    const ws = await newWorkspace(chorus)
    expect((await lookup(ws, 'email', 'nobody@example.com')).statusCode).toBe(404)
    const noToken = await chorus.app.inject({ method: 'GET', url: '/api/v1/profiles/lookup?type=email&value=x' })
    expect(noToken.statusCode).toBe(401)
  })

  it('deletes a person on request and drops (and counts) their later events', async () => {
    const ws = await newWorkspace(chorus)
    await send(ws, [
      { type: 'identify', anonymousId: 'del-anon', userId: 'del-user', traits: { phone: '13900001111', name: '韩梅梅' } },
      { type: 'track', userId: 'del-user', event: 'Order Completed', properties: { total: 10 } },
    ])
    const id = (await lookup(ws, 'user_id', 'del-user')).json().id
    const del = await chorus.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${id}`, headers: ws.bearer })
    expect(del.statusCode).toBe(200)
    expect(del.json()).toMatchObject({ deleted: true, events: 2, suppressedIdentifiers: 3 })
    expect((await lookup(ws, 'user_id', 'del-user')).statusCode).toBe(404)
    const db = chorus.ctx.database.db
    expect(await db.selectFrom('events').select('seq').where('workspace_id', '=', ws.workspaceId).execute()).toHaveLength(0)

    const later = await send(ws, [
      { type: 'track', anonymousId: 'someone-else', traits: {}, event: 'Viewed', context: { traits: { phone: '+86 139 0000 1111' } } },
      { type: 'track', anonymousId: 'fresh', event: 'Viewed' },
    ])
    expect(later.json()).toMatchObject({ accepted: 1, suppressed: 1 })
    expect((await lookup(ws, 'phone', '13900001111')).statusCode).toBe(404)
    const suppression = await db.selectFrom('suppressions').selectAll().where('workspace_id', '=', ws.workspaceId).where('type', '=', 'phone').executeTakeFirstOrThrow()
    expect(suppression.dropped_events).toBe(1)
  })

  it('refuses deletion to a viewer', async () => {
    const ws = await newWorkspace(chorus, 'viewer')
    await send(ws, [{ type: 'identify', userId: 'keep-me' }])
    const id = (await lookup(ws, 'user_id', 'keep-me')).json().id
    const res = await chorus.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${id}`, headers: ws.bearer })
    expect(res.statusCode).toBe(403)
    expect((await lookup(ws, 'user_id', 'keep-me')).statusCode).toBe(200)
  })

  it('publishes an OpenAPI document listing the admin and tracking routes', async () => {
    const res = await chorus.app.inject({ method: 'GET', url: '/api/openapi.json' })
    expect(res.statusCode).toBe(200)
    const paths = Object.keys(res.json().paths)
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/profiles/lookup', '/api/v1/profiles/{id}/events', '/v1/batch', '/v1/track']))
  })
})
