import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'

describe.each(DIALECTS)('identity resolution on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const send = async (ws: TestWorkspace, batch: object[]) => {
    const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch } })
    expect(res.statusCode).toBe(200)
    return res.json()
  }
  const lookup = (ws: TestWorkspace, type: string, value: string) =>
    chorus.app.inject({ method: 'GET', url: `/api/v1/profiles/lookup?type=${type}&value=${encodeURIComponent(value)}`, headers: ws.bearer })
  const profileCount = async (ws: TestWorkspace) =>
    (await chorus.ctx.database.db.selectFrom('profiles').select('id').where('workspace_id', '=', ws.workspaceId).where('merged_into', 'is', null).execute()).length

  it('merges anonymous browsing into the profile once the person logs in', async () => {
    const ws = await newWorkspace(chorus)
    await send(ws, [
      { type: 'page', anonymousId: 'anon-1', name: 'Home' },
      { type: 'track', anonymousId: 'anon-1', event: 'Product Viewed' },
    ])
    await send(ws, [{ type: 'identify', anonymousId: 'anon-1', userId: 'user-1', traits: { email: 'Li.Lei@Example.com', name: '李雷' } }])
    const res = await lookup(ws, 'user_id', 'user-1')
    expect(res.statusCode).toBe(200)
    const profile = res.json()
    expect(profile.identities).toEqual(
      expect.arrayContaining([
        { type: 'anonymous_id', value: 'anon-1' },
        { type: 'user_id', value: 'user-1' },
        { type: 'email', value: 'li.lei@example.com' },
      ]),
    )
    expect(profile.eventCount).toBe(3)
    expect(profile.traits).toMatchObject({ name: '李雷' })
    const timeline = await chorus.app.inject({ method: 'GET', url: `/api/v1/profiles/${profile.id}/events`, headers: ws.bearer })
    expect(timeline.json().items.map((e: { type: string }) => e.type).sort()).toEqual(['identify', 'page', 'track'])
  })

  it('does not merge two user ids that share an email, and audits the refusal', async () => {
    const ws = await newWorkspace(chorus)
    await send(ws, [{ type: 'identify', userId: 'alice', traits: { email: 'family@example.com' } }])
    await send(ws, [{ type: 'identify', userId: 'bob', traits: { email: 'family@example.com' } }])
    const alice = (await lookup(ws, 'user_id', 'alice')).json()
    const bob = (await lookup(ws, 'user_id', 'bob')).json()
    expect(alice.id).not.toBe(bob.id)
    expect((await lookup(ws, 'email', 'family@example.com')).json().id).toBe(alice.id)
    const merges = (await chorus.app.inject({ method: 'GET', url: `/api/v1/profiles/${bob.id}/merges`, headers: ws.bearer })).json().items
    expect(merges).toHaveLength(1)
    expect(merges[0]).toMatchObject({ kind: 'refused', survivorId: bob.id, mergedId: alice.id })
    expect(merges[0].reason).toContain('user_id')
  })

  it('links nothing through blocked placeholder values', async () => {
    const ws = await newWorkspace(chorus)
    await send(ws, [
      { type: 'identify', userId: 'u-a', traits: { email: 'a@example.com' }, context: { device: { id: '00000000-0000-0000-0000-000000000000' } } },
      { type: 'identify', userId: 'u-b', traits: { email: 'b@example.com' }, context: { device: { id: '00000000-0000-0000-0000-000000000000' } } },
      { type: 'track', anonymousId: 'null', event: 'Orphan' },
      { type: 'track', anonymousId: 'undefined', event: 'Orphan' },
    ])
    expect(await profileCount(ws)).toBe(2)
    expect((await lookup(ws, 'device_id', '00000000-0000-0000-0000-000000000000')).statusCode).toBe(404)
    const orphans = await chorus.ctx.database.db.selectFrom('events').select('profile_id').where('workspace_id', '=', ws.workspaceId).where('event', '=', 'Orphan').execute()
    expect(orphans.map((o) => o.profile_id)).toEqual([null, null])
  })

  it('resolves a phone written three ways to one identifier', async () => {
    const ws = await newWorkspace(chorus)
    await send(ws, [
      { type: 'identify', anonymousId: 'p1', traits: { phone: '+86 138 0013 8000' } },
      { type: 'identify', anonymousId: 'p2', traits: { phone: '13800138000' } },
      { type: 'identify', anonymousId: 'p3', traits: { phone: '86-138-0013-8000' } },
    ])
    expect(await profileCount(ws)).toBe(1)
    const profile = (await lookup(ws, 'phone', '138 0013 8000')).json()
    expect(profile.identities.filter((i: { type: string }) => i.type === 'phone')).toEqual([{ type: 'phone', value: '+8613800138000' }])
    expect(profile.identities.filter((i: { type: string }) => i.type === 'anonymous_id')).toHaveLength(3)
  })

  it('reads a merge chain of three profiles as one, by any of their ids', async () => {
    const ws = await newWorkspace(chorus)
    // Three separate people as far as Chorus knows...
    await send(ws, [{ type: 'track', anonymousId: 'web', event: 'A' }])
    chorus.clock.advance(1000)
    await send(ws, [{ type: 'track', anonymousId: 'app', event: 'B', context: { device: { id: 'dev-9' } } }])
    chorus.clock.advance(1000)
    await send(ws, [{ type: 'track', userId: 'member-9', event: 'C' }])
    const ids = await Promise.all([lookup(ws, 'anonymous_id', 'web'), lookup(ws, 'anonymous_id', 'app'), lookup(ws, 'user_id', 'member-9')])
    const [webId, appId, memberId] = ids.map((r) => r.json().id)
    expect(new Set([webId, appId, memberId]).size).toBe(3)
    // ...until two events link them: web + app, then app's device + the member.
    await send(ws, [{ type: 'identify', anonymousId: 'web', context: { device: { id: 'dev-9' } } }])
    await send(ws, [{ type: 'identify', userId: 'member-9', context: { device: { id: 'dev-9' } } }])
    expect(await profileCount(ws)).toBe(1)
    for (const id of [webId, appId, memberId]) {
      const profile = (await chorus.app.inject({ method: 'GET', url: `/api/v1/profiles/${id}`, headers: ws.bearer })).json()
      expect(profile.id).toBe(webId) // the oldest survives
      expect(profile.eventCount).toBe(5)
      expect(profile.mergedFrom.sort()).toEqual([appId, memberId].sort())
    }
    const events = (await chorus.app.inject({ method: 'GET', url: `/api/v1/profiles/${memberId}/events`, headers: ws.bearer })).json().items
    expect(events.map((e: { event: string | null }) => e.event).filter(Boolean).sort()).toEqual(['A', 'B', 'C'])
  })

  it('lets later calls in the same batch see links made by earlier ones', async () => {
    const ws = await newWorkspace(chorus)
    await send(ws, [
      { type: 'track', anonymousId: 'same-batch', event: 'Viewed' },
      { type: 'identify', anonymousId: 'same-batch', userId: 'sb-user' },
      { type: 'track', userId: 'sb-user', event: 'Bought' },
    ])
    expect(await profileCount(ws)).toBe(1)
    expect((await lookup(ws, 'user_id', 'sb-user')).json().eventCount).toBe(3)
  })

  it('keeps a profile born and merged away within one batch, so its events follow the survivor', async () => {
    const ws = await newWorkspace(chorus)
    await send(ws, [{ type: 'identify', userId: 'old-member', traits: { name: '老会员' } }])
    chorus.clock.advance(1000)
    await send(ws, [
      { type: 'track', anonymousId: 'fresh-device', event: 'Product Viewed' },
      { type: 'identify', anonymousId: 'fresh-device', userId: 'old-member' },
    ])
    const profile = (await lookup(ws, 'user_id', 'old-member')).json()
    expect(profile.eventCount).toBe(3)
    expect(profile.mergedFrom).toHaveLength(1)
    const events = (await chorus.app.inject({ method: 'GET', url: `/api/v1/profiles/${profile.id}/events`, headers: ws.bearer })).json().items
    expect(events.map((e: { event: string | null }) => e.event)).toContain('Product Viewed')
  })

  it('honours edited rules: a raised user_id limit lets the shared email merge', async () => {
    const ws = await newWorkspace(chorus)
    const rules = (await chorus.app.inject({ method: 'GET', url: '/api/v1/identity/rules', headers: ws.bearer })).json()
    const put = await chorus.app.inject({ method: 'PUT', url: '/api/v1/identity/rules', headers: ws.bearer, payload: { ...rules, limits: { ...rules.limits, user_id: 2 } } })
    expect(put.statusCode).toBe(200)
    await send(ws, [{ type: 'identify', userId: 'x1', traits: { email: 'shared@example.com' } }])
    await send(ws, [{ type: 'identify', userId: 'x2', traits: { email: 'shared@example.com' } }])
    expect(await profileCount(ws)).toBe(1)
    const bad = await chorus.app.inject({ method: 'PUT', url: '/api/v1/identity/rules', headers: ws.bearer, payload: { ...rules, blockedPatterns: ['(unclosed'] } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('regular expression')
  })
})
