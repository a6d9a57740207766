import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { iso, newWorkspace, startAudienceHarness, workspaceClient, type AudienceHarness } from './harness.ts'

interface PersonAudiences {
  profileId: string
  items: Array<{ id: string; name: string; kind: string; status: string; enteredAt: string }>
  nextCursor: string | null
}

describe.each(DIALECTS)('GET /api/v1/profiles/:id/audiences on %s', (dialect) => {
  let h: AudienceHarness
  beforeAll(async () => {
    h = await startAudienceHarness(dialect)
  })
  afterAll(() => h.close())

  const client = async () => workspaceClient(h, await newWorkspace(h.chorus))

  it('lists the audiences a person is in now, with when they entered', async () => {
    const c = await client()
    await c.send([{ type: 'identify', userId: 'ann', traits: { plan: 'pro', city: 'Shanghai' } }, { type: 'identify', userId: 'bob', traits: { plan: 'free' } }])
    const createdAt = h.chorus.clock.now()
    const pro = await c.create('Pro', { trait: 'plan', op: 'equals', value: 'pro' })
    h.chorus.clock.advance(1)
    const shanghai = await c.create('Shanghai', { trait: 'city', op: 'equals', value: 'Shanghai' })
    h.chorus.clock.advance(1)
    await c.create('Free', { trait: 'plan', op: 'equals', value: 'free' })
    const ann = await c.profileId('ann')

    const res = await c.api('GET', `/profiles/${ann}/audiences`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      profileId: ann,
      items: [
        { id: pro, name: 'Pro', kind: 'dynamic', status: 'active', enteredAt: iso(createdAt) },
        { id: shanghai, name: 'Shanghai', kind: 'dynamic', status: 'active', enteredAt: iso(createdAt + 1) },
      ],
      nextCursor: null,
    })

    // Leaving an audience takes it off the list.
    h.chorus.clock.advance(60_000)
    await c.send([{ type: 'identify', userId: 'ann', traits: { plan: 'free' } }])
    await h.runner.drain()
    const after: PersonAudiences = (await c.api('GET', `/profiles/${ann}/audiences`)).json()
    expect(after.items.map((a) => a.name)).toEqual(['Shanghai', 'Free'])
    expect(after.items[1]!.enteredAt).toBe(iso(h.chorus.clock.now()))
  })

  it('answers an id merged into another profile with the survivor\'s audiences', async () => {
    const c = await client()
    await c.send([{ type: 'identify', userId: 'hal', traits: { name: 'Hal' } }])
    const viewed = await c.create('Viewed a product', { performed: { event: 'Product Viewed' } })
    h.chorus.clock.advance(60_000) // the anonymous profile is the younger one, so it is merged away
    await c.send([{ type: 'track', anonymousId: 'anon-hal', event: 'Product Viewed' }])
    await h.runner.drain()
    const anonymous = (await h.chorus.ctx.database.db.selectFrom('identities').select('profile_id').where('workspace_id', '=', c.ws.workspaceId).where('value', '=', 'anon-hal').executeTakeFirstOrThrow()).profile_id
    const hal = await c.profileId('hal')
    expect(((await c.api('GET', `/profiles/${hal}/audiences`)).json() as PersonAudiences).items).toEqual([])

    h.chorus.clock.advance(1_000)
    await c.send([{ type: 'identify', userId: 'hal', anonymousId: 'anon-hal' }])
    await h.runner.drain()
    const expected = { profileId: hal, items: [{ id: viewed, name: 'Viewed a product', kind: 'dynamic', status: 'active', enteredAt: iso(h.chorus.clock.now()) }], nextCursor: null }
    expect((await c.api('GET', `/profiles/${hal}/audiences`)).json()).toEqual(expected)
    const viaOldId = await c.api('GET', `/profiles/${anonymous}/audiences`)
    expect(viaOldId.statusCode).toBe(200)
    expect(viaOldId.json()).toEqual(expected)
  })

  it('includes static audiences and paused ones, and pages with a cursor', async () => {
    const c = await client()
    await c.send([{ type: 'identify', userId: 'cai', traits: { plan: 'pro' } }])
    const names = ['A', 'B', 'C']
    const ids: string[] = []
    for (const name of names) {
      ids.push(await c.create(name, { trait: 'plan', op: 'exists' }))
      h.chorus.clock.advance(1)
    }
    const vip = (await c.api('POST', '/audiences', { name: 'VIP', kind: 'static' })).json().audience.id
    const upload = await h.chorus.app.inject({ method: 'POST', url: `/api/v1/audiences/${vip}/members/upload?mode=append`, headers: { ...c.ws.bearer, 'content-type': 'text/csv' }, payload: 'user_id\ncai\n' })
    expect(upload.statusCode, upload.body).toBe(200)
    expect((await c.api('PATCH', `/audiences/${ids[1]}`, { status: 'paused' })).statusCode).toBe(200)
    const cai = await c.profileId('cai')

    const seen: PersonAudiences['items'] = []
    let cursor: string | null = null
    do {
      const page: PersonAudiences = (await c.api('GET', `/profiles/${cai}/audiences?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json()
      seen.push(...page.items)
      cursor = page.nextCursor
    } while (cursor)
    expect(seen.map((a) => [a.name, a.kind, a.status])).toEqual([
      ['A', 'dynamic', 'active'],
      ['B', 'dynamic', 'paused'],
      ['C', 'dynamic', 'active'],
      ['VIP', 'static', 'active'],
    ])
  })

  it('answers 404 for a profile the workspace does not have, or one deleted', async () => {
    const c = await client()
    const missing = await c.api('GET', '/profiles/prf_00000000000000000000000000/audiences')
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error).toEqual({ code: 'NotFound', message: 'No profile prf_00000000000000000000000000' })

    await c.send([{ type: 'identify', userId: 'kim', traits: { plan: 'pro' } }])
    await c.create('Pro', { trait: 'plan', op: 'exists' })
    const kim = await c.profileId('kim')
    expect((await c.api('GET', `/profiles/${kim}/audiences`)).json().items).toHaveLength(1)
    // Another workspace cannot see the person.
    const other = await client()
    expect((await other.api('GET', `/profiles/${kim}/audiences`)).statusCode).toBe(404)
    expect((await c.api('DELETE', `/profiles/${kim}`)).statusCode).toBe(200)
    expect((await c.api('GET', `/profiles/${kim}/audiences`)).statusCode).toBe(404)
  })

  it('is listed in the OpenAPI document, where the dashboard looks for it', async () => {
    const doc = (await h.chorus.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    expect(Object.keys(doc.paths['/api/v1/profiles/{id}/audiences'] ?? {})).toContain('get')
  })
})
