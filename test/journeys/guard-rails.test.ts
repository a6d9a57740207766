import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import type { TestWorkspace } from '../support/chorus.ts'
import { api, newWorkspace, startJourneyHarness, type JourneyHarness } from './support/journey-harness.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

const oneSend = (event: string, channel: string, text: string) => ({
  entry: { event },
  reentry: { policy: 'always' },
  start: 'send',
  nodes: [
    { id: 'send', type: 'send', channel, message: { text }, next: 'done' },
    { id: 'done', type: 'exit' },
  ],
})

describe.each(DIALECTS)('guard rails (%s)', (dialect) => {
  let h: JourneyHarness
  beforeAll(async () => {
    // 15:30 UTC: 23:30 in Shanghai, 10:30 in New York.
    h = await startJourneyHarness(dialect, { start: Date.UTC(2026, 10, 20, 15, 30) })
  })
  afterAll(() => h.close())

  const texts = async (ws: TestWorkspace, userId: string) => h.sink.to(await api(h, ws).profileId(userId)).map((m) => m.text)
  const timeline = async (ws: TestWorkspace, userId: string) => {
    const client = api(h, ws)
    return (await client.inject({ method: 'GET', url: `/api/v1/profiles/${await client.profileId(userId)}/events?limit=100`, headers: ws.bearer })).json().items as Array<{ event: string; properties: Record<string, unknown> }>
  }

  it("caps marketing messages across journeys per calendar day in the person's timezone", async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.guardRails({ frequencyCaps: [{ channels: '*', limit: 2, period: 'day' }] })
    const welcome = await client.publishJourney('Welcome', oneSend('Viewed', 'webhook', 'welcome'))
    const promo = await client.publishJourney('Promo', {
      entry: { event: 'Viewed' },
      reentry: { policy: 'always' },
      start: 'first',
      nodes: [
        { id: 'first', type: 'send', channel: 'sms', message: { text: 'promo 1' }, next: 'second' },
        { id: 'second', type: 'send', channel: 'email', message: { text: 'promo 2' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    })
    await client.identify('sh', { name: '上海的人' })
    await client.identify('ny', { name: 'New Yorker', timezone: 'America/New_York' })
    for (const user of ['sh', 'ny']) await client.track(user, 'Viewed')
    await h.settle()
    for (const user of ['sh', 'ny']) expect(await texts(ws, user)).toHaveLength(2)

    const blocked = (await timeline(ws, 'sh')).filter((e) => e.event === 'Message Blocked')
    expect(blocked).toHaveLength(1)
    expect(blocked[0]!.properties).toMatchObject({ reason: 'frequency_cap', detail: '2/day on *', category: 'marketing' })
    const blockedAt = [...(await client.metrics(welcome)).nodes, ...(await client.metrics(promo)).nodes].reduce((sum: number, n: { blocked: Record<string, number> }) => sum + (n.blocked.frequency_cap ?? 0), 0)
    expect(blockedAt).toBe(2) // one per person

    // An hour later it is a new day in Shanghai (00:30), still the same day in New York (11:30).
    await h.advance(HOUR)
    for (const user of ['sh', 'ny']) await client.track(user, 'Viewed')
    await h.settle()
    expect(await texts(ws, 'sh')).toHaveLength(4)
    expect(await texts(ws, 'ny')).toHaveLength(2)
  })

  it('counts the sends to profiles since merged into the person against the cap', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.guardRails({ frequencyCaps: [{ channels: '*', limit: 2, period: 'day' }] })
    const id = await client.publishJourney('Welcome', oneSend('Viewed', 'webhook', 'welcome'))
    // One person on two devices, anonymous on each and sent a message on each.
    await client.batch([{ type: 'track', anonymousId: 'phone-9', event: 'Viewed' }])
    await h.settle()
    await client.batch([{ type: 'track', anonymousId: 'laptop-9', event: 'Viewed' }])
    await h.settle()
    const { db } = h.chorus.ctx.database
    const delivered = async () => {
      const profiles = new Set((await db.selectFrom('profiles').select('id').where('workspace_id', '=', ws.workspaceId).execute()).map((p) => p.id))
      return [...h.sink.deliveries.values()].filter((d) => profiles.has(d.message.profileId)).length
    }
    expect(await delivered()).toBe(2)
    // They log in on both: the two profiles become one.
    await client.batch([{ type: 'identify', userId: 'reader-9', anonymousId: 'phone-9' }])
    await client.batch([{ type: 'identify', userId: 'reader-9', anonymousId: 'laptop-9' }])
    await h.settle()
    const survivor = await client.profileId('reader-9')
    const merged = await db.selectFrom('profiles').select('id').where('workspace_id', '=', ws.workspaceId).where('merged_into', '=', survivor).execute()
    expect(merged).toHaveLength(1)

    await client.track('reader-9', 'Viewed')
    await h.settle()
    expect(await delivered()).toBe(2)
    const blocked = (await timeline(ws, 'reader-9')).filter((e) => e.event === 'Message Blocked')
    expect(blocked.map((e) => [e.properties.reason, e.properties.detail])).toEqual([['frequency_cap', '2/day on *']])
    expect((await client.metrics(id)).nodes[0]).toMatchObject({ id: 'send', sent: 2, blocked: { frequency_cap: 1 } })
  })

  it('caps one channel without touching the others', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.guardRails({ frequencyCaps: [{ channels: ['sms'], limit: 1, period: 'week' }] })
    await client.publishJourney('SMS', oneSend('Viewed', 'sms', 'sms'))
    await client.publishJourney('Webhook', oneSend('Viewed', 'webhook', 'hook'))
    await client.track('p', 'Viewed')
    await h.settle()
    await client.track('p', 'Viewed')
    await h.settle()
    expect((await texts(ws, 'p')).sort()).toEqual(['hook', 'hook', 'sms'])
  })

  it('lets transactional messages through the marketing cap', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.guardRails({ frequencyCaps: [{ channels: '*', limit: 0 }] })
    await client.publishJourney('Receipts', { ...oneSend('Ordered', 'email', 'receipt'), nodes: [{ id: 'send', type: 'send', channel: 'email', category: 'transactional', message: { text: 'receipt' }, next: 'done' }, { id: 'done', type: 'exit' }] })
    await client.publishJourney('Upsell', oneSend('Ordered', 'email', 'upsell'))
    await client.track('buyer', 'Ordered')
    await h.settle()
    expect(await texts(ws, 'buyer')).toEqual(['receipt'])
  })

  it("holds or skips sends in quiet hours, in each person's timezone", async () => {
    // 14:00 UTC: 22:00 in Shanghai (quiet), 15:00 in Berlin (not).
    h.chorus.clock.set(Date.UTC(2026, 10, 24, 14, 0))
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.guardRails({
      quietHours: [
        { channels: ['sms'], start: '21:00', end: '08:00', mode: 'hold' },
        { channels: ['email'], start: '22:00', end: '07:00', mode: 'skip' },
      ],
    })
    const sms = await client.publishJourney('Shipping SMS', oneSend('Shipped', 'sms', 'sms: shipped'))
    await client.publishJourney('Shipping email', oneSend('Shipped', 'email', 'email: shipped'))
    await client.identify('sh', { name: '王磊' })
    await client.identify('berlin', { name: 'Jonas', timezone: 'Europe/Berlin' })
    for (const user of ['sh', 'berlin']) await client.track(user, 'Shipped')
    await h.settle()
    expect((await texts(ws, 'berlin')).sort()).toEqual(['email: shipped', 'sms: shipped'])
    expect(await texts(ws, 'sh')).toEqual([])
    expect((await client.metrics(sms)).nodes[0]).toMatchObject({ id: 'send', waiting: 1, sent: 1 })
    const skipped = (await timeline(ws, 'sh')).filter((e) => e.event === 'Message Blocked')
    expect(skipped.map((e) => [e.properties.reason, e.properties.detail, e.properties.channel])).toEqual([['quiet_hours', '22:00-07:00', 'email']])

    await h.advance(Date.UTC(2026, 10, 24, 23, 59) - h.chorus.clock.now()) // 07:59 in Shanghai
    expect(await texts(ws, 'sh')).toEqual([])
    await h.advance(MINUTE) // 08:00: quiet hours end for SMS
    expect(await texts(ws, 'sh')).toEqual(['sms: shipped'])
    expect((await client.metrics(sms)).nodes[0]).toMatchObject({ waiting: 0, sent: 2 })
  })
})
