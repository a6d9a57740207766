import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import type { TestWorkspace } from '../support/chorus.ts'
import { api, newWorkspace, startJourneyHarness, type JourneyHarness } from './support/journey-harness.ts'

const SECOND = 1_000
const HOUR = 3_600_000

describe.each(DIALECTS)('broadcasts (%s)', (dialect) => {
  let h: JourneyHarness
  beforeAll(async () => {
    // 2026-11-20 20:00 UTC: 04:00 on the 21st in Shanghai, 21:00 in Berlin, 15:00 in New York.
    h = await startJourneyHarness(dialect, { start: Date.UTC(2026, 10, 20, 20, 0) })
  })
  afterAll(() => h.close())

  /** People in a static audience (and some who were in it and left); returns its id and user id → profile id. */
  const audience = async (ws: TestWorkspace, name: string, members: Array<[string, Record<string, unknown>]>, leavers: string[] = []) => {
    const client = api(h, ws)
    await client.batch([...members.map(([userId, traits]) => ({ type: 'identify', userId, traits })), ...leavers.map((userId) => ({ type: 'identify', userId, traits: { name: userId } }))])
    const id = await client.staticAudience(name, [...members.map(([u]) => u), ...leavers])
    if (leavers.length > 0) await client.setMembers(id, members.map(([u]) => u))
    const ids = new Map<string, string>()
    for (const [userId] of members) ids.set(userId, await client.profileId(userId))
    for (const userId of leavers) ids.set(userId, await client.profileId(userId))
    return { id, ids }
  }
  const create = async (ws: TestWorkspace, body: object) => {
    const res = await api(h, ws).inject({ method: 'POST', url: '/api/v1/broadcasts', headers: ws.bearer, payload: body })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id as string
  }
  const progress = async (ws: TestWorkspace, id: string) => (await api(h, ws).inject({ method: 'GET', url: `/api/v1/broadcasts/${id}`, headers: ws.bearer })).json()
  const action = async (ws: TestWorkspace, id: string, verb: string) => api(h, ws).inject({ method: 'POST', url: `/api/v1/broadcasts/${id}/${verb}`, headers: ws.bearer })

  it('sends one message to every current member now, with progress', async () => {
    const ws = await newWorkspace(h.chorus)
    const { id: audienceId, ids } = await audience(ws, 'Everyone', [['a', { name: '甲' }], ['b', { name: '乙' }], ['c', { name: '丙' }]], ['gone'])
    const id = await create(ws, { name: 'Launch', audienceId, channel: 'webhook', message: { text: '{{ traits.name }}，新品上市' } })
    await h.settle()
    expect(h.sink.to(ids.get('a')!).map((m) => m.text)).toEqual(['甲，新品上市'])
    expect(h.sink.to(ids.get('gone')!)).toEqual([])
    expect(await progress(ws, id)).toMatchObject({ status: 'completed', total: 3, fannedOut: true, counts: { sent: 3, queued: 0, blocked: 0, failed: 0 } })
  })

  it("sends at a set time, or at a local time in each person's timezone", async () => {
    const ws = await newWorkspace(h.chorus)
    const { id: audienceId, ids } = await audience(ws, 'Around the world', [
      ['sh', {}],
      ['berlin', { timezone: 'Europe/Berlin' }],
      ['ny', { timezone: 'America/New_York' }],
    ])
    const at = await create(ws, { name: 'At noon UTC', audienceId, channel: 'webhook', message: { text: 'at' }, schedule: { at: '2026-11-21T12:00:00Z' } })
    const local = await create(ws, { name: 'At 10 local', audienceId, channel: 'webhook', message: { text: 'local' }, schedule: { localTime: '2026-11-21T10:00' } })
    const got = (user: string) => h.sink.to(ids.get(user)!).map((m) => m.text)
    await h.settle()
    expect([got('sh'), got('berlin'), got('ny')]).toEqual([[], [], []])
    await h.advance(Date.UTC(2026, 10, 21, 2, 0) - h.chorus.clock.now()) // 10:00 in Shanghai
    expect([got('sh'), got('berlin'), got('ny')]).toEqual([['local'], [], []])
    await h.advance(7 * HOUR) // 09:00 UTC: 10:00 in Berlin
    expect([got('sh'), got('berlin'), got('ny')]).toEqual([['local'], ['local'], []])
    await h.advance(3 * HOUR) // 12:00 UTC
    expect([got('sh'), got('berlin'), got('ny')]).toEqual([['local', 'at'], ['local', 'at'], ['at']])
    expect((await progress(ws, at)).status).toBe('completed')
    expect((await progress(ws, local)).status).toBe('sending')
    await h.advance(3 * HOUR) // 15:00 UTC: 10:00 in New York
    expect(got('ny')).toEqual(['at', 'local'])
    expect(await progress(ws, local)).toMatchObject({ status: 'completed', localTime: '2026-11-21T10:00', counts: { sent: 3 } })
  })

  it('keeps to its rate limit, and can be paused, resumed and cancelled', async () => {
    const ws = await newWorkspace(h.chorus)
    const { id: audienceId } = await audience(ws, 'Many', Array.from({ length: 12 }, (_, i) => [`p${i}`, {}] as [string, Record<string, unknown>]))
    const id = await create(ws, { name: 'Slow', audienceId, channel: 'webhook', message: { text: 'x' }, rateLimit: { perSecond: 3 } })
    await h.settle()
    expect((await progress(ws, id)).counts.sent).toBe(3)
    await h.advance(SECOND)
    expect((await progress(ws, id)).counts.sent).toBe(6)

    expect((await action(ws, id, 'pause')).json().status).toBe('paused')
    await h.advance(10 * SECOND)
    expect((await progress(ws, id)).counts.sent).toBe(6)
    expect((await action(ws, id, 'resume')).json().status).toBe('sending')
    await h.settle()
    expect((await progress(ws, id)).counts.sent).toBe(9)
    expect((await action(ws, id, 'cancel')).json()).toMatchObject({ status: 'cancelled', counts: { sent: 9, cancelled: 3, queued: 0 } })
    await h.advance(10 * SECOND)
    expect((await progress(ws, id)).counts.sent).toBe(9)
    const again = await action(ws, id, 'resume')
    expect(again.statusCode).toBe(409)
    expect(again.json().error.message).toBe('Only a paused broadcast can be resumed; this one is cancelled')
  })

  it('applies the guard rails, recording who was blocked and why', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const { id: audienceId, ids } = await audience(ws, 'Capped', [['already', {}], ['fresh', {}]])
    await client.guardRails({ frequencyCaps: [{ channels: '*', limit: 1, period: 'day' }] })
    await client.publishJourney('Earlier today', { entry: { event: 'Viewed' }, start: 's', nodes: [{ id: 's', type: 'send', channel: 'sms', message: { text: 'journey' }, next: 'e' }, { id: 'e', type: 'exit' }] })
    await client.track('already', 'Viewed')
    await h.settle()
    const id = await create(ws, { name: 'Capped', audienceId, channel: 'webhook', message: { text: 'broadcast' } })
    await h.settle()
    expect(h.sink.to(ids.get('already')!).map((m) => m.text)).toEqual(['journey'])
    expect(h.sink.to(ids.get('fresh')!).map((m) => m.text)).toEqual(['broadcast'])
    expect(await progress(ws, id)).toMatchObject({ counts: { sent: 1, blocked: 1 }, blockedByReason: { frequency_cap: 1 } })
  })

  it('refuses an unknown channel, audience or schedule with a clear message', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const nobody = await client.inject({ method: 'POST', url: '/api/v1/broadcasts', headers: ws.bearer, payload: { name: 'x', audienceId: 'aud_missing', channel: 'sms', message: { text: 'x' } } })
    expect(nobody.statusCode).toBe(400)
    expect(nobody.json().error.message).toBe('No audience "aud_missing" in this workspace')
    const pigeon = await client.inject({ method: 'POST', url: '/api/v1/broadcasts', headers: ws.bearer, payload: { name: 'x', audienceId: 'a', channel: 'pigeon', message: { text: 'x' } } })
    expect(pigeon.statusCode).toBe(400)
    expect(pigeon.json().error.message).toContain('Unknown channel "pigeon"')
    const when = await client.inject({ method: 'POST', url: '/api/v1/broadcasts', headers: ws.bearer, payload: { name: 'x', audienceId: 'a', channel: 'sms', message: { text: 'x' }, schedule: { at: 'tomorrow' } } })
    expect(when.statusCode).toBe(400)
  })
})
