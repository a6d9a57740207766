import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import type { TestWorkspace } from '../support/chorus.ts'
import { api, newWorkspace, startJourneyHarness, type JourneyHarness } from './support/journey-harness.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const send = (id: string, text: string, next = 'done') => ({ id, type: 'send', channel: 'webhook', message: { text }, next })
const exit = { id: 'done', type: 'exit' }

describe.each(DIALECTS)('journey nodes (%s)', (dialect) => {
  let h: JourneyHarness
  beforeAll(async () => {
    // Friday 2026-11-20 08:00 UTC: 16:00 in Shanghai, 09:00 in Berlin.
    h = await startJourneyHarness(dialect, { start: Date.UTC(2026, 10, 20, 8, 0) })
  })
  afterAll(() => h.close())

  const texts = async (ws: TestWorkspace, userId: string) => h.sink.to(await api(h, ws).profileId(userId)).map((m) => m.text)
  it("delays until a local time on weekdays, in each person's timezone", async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.publishJourney('Morning nudge', {
      entry: { event: 'Trial Started' },
      start: 'morning',
      nodes: [{ id: 'morning', type: 'delay', until: { time: '10:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] }, next: 'nudge' }, send('nudge', 'Good morning'), exit],
    })
    await client.identify('shanghai', { name: '张伟' }) // no timezone trait: the workspace's Asia/Shanghai
    await client.identify('berlin', { name: 'Anna', timezone: 'Europe/Berlin' })
    await client.track('shanghai', 'Trial Started')
    await client.track('berlin', 'Trial Started')
    await h.settle()
    await h.advance(HOUR) // 10:00 Friday in Berlin; 17:00 Friday in Shanghai
    expect(await texts(ws, 'berlin')).toEqual(['Good morning'])
    expect(await texts(ws, 'shanghai')).toEqual([])
    await h.advance(Date.UTC(2026, 10, 23, 1, 59) - h.chorus.clock.now()) // Monday 09:59 in Shanghai
    expect(await texts(ws, 'shanghai')).toEqual([])
    await h.advance(MINUTE)
    expect(await texts(ws, 'shanghai')).toEqual(['Good morning'])
  })

  it('delays until a date trait minus an offset, and exits people without the trait', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Renewal', {
      entry: { event: 'Subscribed' },
      start: 'before-renewal',
      nodes: [{ id: 'before-renewal', type: 'delay', untilDate: { trait: 'renewal_date', offset: '-3d', time: '09:00' }, next: 'remind' }, send('remind', 'Renews in 3 days'), exit],
    })
    await client.identify('with-date', { renewal_date: '2026-12-01' })
    await client.identify('without', { name: 'x' })
    await client.track('with-date', 'Subscribed')
    await client.track('without', 'Subscribed')
    await h.settle()
    await h.advance(Date.UTC(2026, 10, 28, 0, 59) - h.chorus.clock.now()) // 08:59 on 28 Nov in Shanghai
    expect(await texts(ws, 'with-date')).toEqual([])
    await h.advance(MINUTE)
    expect(await texts(ws, 'with-date')).toEqual(['Renews in 3 days'])
    const runs = (await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs?profileId=${await client.profileId('without')}`, headers: ws.bearer })).json().items
    expect(runs).toMatchObject([{ state: 'ended', endReason: 'missing_trait:renewal_date' }])
  })

  it('splits on traits, events performed and audience membership, first match wins', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.identify('l', { tier: 'silver' })
    const loyal = await client.staticAudience('Loyal', ['l'])
    const id = await client.publishJourney('Segments', {
      entry: { event: 'App Opened' },
      start: 'who',
      nodes: [
        {
          id: 'who',
          type: 'condition',
          branches: [
            { key: 'gold', when: { trait: 'tier', op: 'eq', value: 'gold' }, next: 'to-gold' },
            { key: 'buyer', when: { performed: 'Order Completed', within: '30d', where: [{ property: 'total', op: 'gte', value: 100 }] }, next: 'to-buyer' },
            { key: 'loyal', when: { audience: loyal }, next: 'to-loyal' },
          ],
          otherwise: 'to-other',
        },
        send('to-gold', 'gold'),
        send('to-buyer', 'buyer'),
        send('to-loyal', 'loyal'),
        send('to-other', 'other'),
        exit,
      ],
    })
    await client.identify('g', { tier: 'gold' })
    await client.track('b', 'Order Completed', { total: 129 })
    await client.track('small', 'Order Completed', { total: 20 })
    await client.identify('o', { tier: 'silver' })
    for (const user of ['g', 'b', 'small', 'l', 'o']) await client.track(user, 'App Opened')
    await h.settle()
    expect([await texts(ws, 'g'), await texts(ws, 'b'), await texts(ws, 'small'), await texts(ws, 'l'), await texts(ws, 'o')]).toEqual([['gold'], ['buyer'], ['other'], ['loyal'], ['other']])
    const metrics = await client.metrics(id)
    expect(metrics.nodes[0].branches).toEqual([
      { key: 'gold', runs: 1, converted: 0, conversionRate: 0 },
      { key: 'buyer', runs: 1, converted: 0, conversionRate: 0 },
      { key: 'loyal', runs: 1, converted: 0, conversionRate: 0 },
      { key: 'otherwise', runs: 2, converted: 0, conversionRate: 0 },
    ])
  })

  it('holds out a share that gets nothing and measures the lift against it', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Coupon test', {
      entry: { event: 'Cart Viewed' },
      goal: { event: 'Order Completed', within: '7d' },
      start: 'ab',
      nodes: [{ id: 'ab', type: 'random_split', branches: [{ key: 'coupon', percent: 50, next: 'coupon' }, { key: 'holdout', percent: 50, holdout: true }] }, send('coupon', '10% off today'), exit],
    })
    const people = Array.from({ length: 120 }, (_, i) => `shopper-${i}`)
    await client.batch(people.map((userId) => ({ type: 'track', userId, event: 'Cart Viewed' })))
    await h.settle()
    // The coupon works: 60 % of those who got it buy, 20 % of the holdout do.
    const identities = await h.chorus.ctx.database.db.selectFrom('identities').select(['profile_id', 'value']).where('workspace_id', '=', ws.workspaceId).where('type', '=', 'user_id').execute()
    const ids = new Map(identities.map((i) => [i.profile_id, i.value]))
    const treated = new Set([...h.sink.deliveries.values()].filter((d) => ids.has(d.message.profileId)).map((d) => ids.get(d.message.profileId)!))
    const buyers: string[] = []
    let t = 0
    let c = 0
    for (const userId of people) {
      if (treated.has(userId) ? t++ % 5 < 3 : c++ % 5 < 1) buyers.push(userId)
    }
    await h.advance(DAY)
    await client.batch(buyers.map((userId) => ({ type: 'track', userId, event: 'Order Completed', properties: { total: 50 } })))
    await h.settle()

    const metrics = await client.metrics(id)
    const split = metrics.nodes.find((n: { id: string }) => n.id === 'ab')
    const coupon = split.branches.find((b: { key: string }) => b.key === 'coupon')
    const holdout = split.branches.find((b: { key: string }) => b.key === 'holdout')
    expect(coupon.runs + holdout.runs).toBe(120)
    expect(coupon.runs).toBe(treated.size)
    expect(coupon.runs).toBeGreaterThan(40) // a fair split, not all on one side
    expect(holdout.runs).toBeGreaterThan(40)
    expect(coupon.converted).toBe(countFirst(treated.size, 3))
    expect(holdout.converted).toBe(countFirst(holdout.runs, 1))
    expect(metrics.nodes.find((n: { id: string }) => n.id === 'coupon').sent).toBe(treated.size)
    const [lift] = metrics.holdouts
    expect(lift.nodeId).toBe('ab')
    expect(lift.test.treatment).toMatchObject({ people: coupon.runs, conversions: coupon.converted })
    expect(lift.test.control).toMatchObject({ people: holdout.runs, conversions: holdout.converted })
    expect(lift.test.absoluteLift).toBeGreaterThan(0.25)
    expect(lift.test.pValue).toBeLessThan(0.001)
    expect(lift.test.significant).toBe(true)
    expect(lift.test.interval.low).toBeGreaterThan(0.1)
    expect(metrics.totals.ended.holdout).toBe(holdout.runs)
  })

  it('updates traits, with the change on the timeline', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.publishJourney('Tagger', {
      entry: { event: 'Webinar Attended' },
      start: 'tag',
      nodes: [{ id: 'tag', type: 'update_trait', set: { webinar: 'spring' }, increment: { webinars: 1 }, next: 'done' }, exit],
    })
    await client.identify('p', { webinars: 2 })
    await client.track('p', 'Webinar Attended')
    await h.settle()
    const profileId = await client.profileId('p')
    const profile = (await client.inject({ method: 'GET', url: `/api/v1/profiles/${profileId}`, headers: ws.bearer })).json()
    expect(profile.traits).toMatchObject({ webinar: 'spring', webinars: 3 })
    const timeline = (await client.inject({ method: 'GET', url: `/api/v1/profiles/${profileId}/events`, headers: ws.bearer })).json().items
    expect(timeline[0]).toMatchObject({ event: 'Traits Updated', properties: { set: { webinar: 'spring' }, increment: { webinars: 1 } } })
  })

  it('calls a webhook once per arrival with an idempotency key, retrying failures', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const received: Array<{ headers: IncomingHttpHeaders; body: unknown }> = []
    let failures = 1
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) })
        if (failures-- > 0) return res.writeHead(503).end('busy')
        res.writeHead(200).end('{}')
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/coupons`
    try {
      const id = await client.publishJourney('Coupon issuer', {
        entry: { event: 'Order Completed' },
        start: 'issue',
        nodes: [{ id: 'issue', type: 'webhook', url, headers: { 'x-shop': 'hesheng' }, body: { user: '{{ traits.name }}', order: '{{ event.properties.order_id }}' }, next: 'done' }, exit],
      })
      await client.identify('buyer', { name: '刘洋' })
      await client.track('buyer', 'Order Completed', { order_id: 'o-77' })
      await h.settle()
      expect(received).toHaveLength(1) // the 503
      await h.advance(31_000) // the retry's backoff
      expect(received).toHaveLength(2)
      expect(received.map((r) => r.body)).toEqual([
        { user: '刘洋', order: 'o-77' },
        { user: '刘洋', order: 'o-77' },
      ])
      expect(received[0]!.headers['idempotency-key']).toBe(received[1]!.headers['idempotency-key'])
      expect(received[1]!.headers['x-shop']).toBe('hesheng')
      await h.advance(DAY)
      expect(received).toHaveLength(2)
      expect((await client.metrics(id)).nodes[0]).toMatchObject({ id: 'issue', sent: 1, errored: 0 })
    } finally {
      server.close()
    }
  })

  it('honours re-entry policies and one run at a time', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const journey = (reentry: object, oneRunAtATime = true) => ({
      entry: { event: 'Visited' },
      reentry,
      oneRunAtATime,
      start: 'hold',
      nodes: [{ id: 'hold', type: 'delay', for: '2d', next: 'done' }, exit],
    })
    const never = await client.publishJourney('Never', journey({ policy: 'never' }))
    const weekly = await client.publishJourney('Weekly', journey({ policy: 'after', after: '7d' }))
    const always = await client.publishJourney('Always', journey({ policy: 'always' }))
    const parallel = await client.publishJourney('Parallel', journey({ policy: 'always' }, false))
    const visit = async () => {
      await client.track('v', 'Visited')
      await h.settle()
    }
    await visit()
    await visit() // same day: "always" is still inside, "parallel" starts a second run
    await h.advance(3 * DAY)
    await visit() // after 3 days: "always" again
    await h.advance(5 * DAY)
    await visit() // 8 days after the first: "weekly" again
    const runs = async (id: string) => (await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs`, headers: ws.bearer })).json().items.length
    expect([await runs(never), await runs(weekly), await runs(always), await runs(parallel)]).toEqual([1, 2, 3, 4])
  })

  it('counts the runs of a profile since merged into the person against re-entry', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Once', { entry: { event: 'Visited' }, reentry: { policy: 'never' }, start: 'hold', nodes: [{ id: 'hold', type: 'delay', for: '2d', next: 'done' }, exit] })
    // A member with a profile of their own, and the same person browsing anonymously before logging in.
    await client.track('member-7', 'Logged In')
    await h.advance(MINUTE) // the older profile survives a merge
    await client.batch([{ type: 'track', anonymousId: 'device-7', event: 'Visited' }])
    await h.settle()
    const member = await client.profileId('member-7')
    await client.batch([{ type: 'identify', userId: 'member-7', anonymousId: 'device-7' }])
    await h.settle()
    const survivor = await client.profileId('member-7')
    const runs = async () => (await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs`, headers: ws.bearer })).json().items as Array<{ profileId: string }>
    // The run entered as the anonymous profile, now merged into the member's.
    expect(survivor).toBe(member)
    expect((await runs()).map((r) => r.profileId)).not.toContain(survivor)

    await client.track('member-7', 'Visited')
    await h.settle()
    expect(await runs()).toHaveLength(1)
  })

  it('enters people when they enter an audience', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.identify('vip', { name: '陈静' })
    await client.identify('other', { name: '周杰' })
    const vips = await client.staticAudience('VIP', [])
    const others = await client.staticAudience('Others', [])
    await client.publishJourney('Welcome VIPs', { entry: { audience: vips }, start: 'hi', nodes: [send('hi', 'Welcome to VIP, {{ profile.name }}'), exit] })
    await client.setMembers(vips, ['vip'])
    await client.setMembers(others, ['other'])
    await h.settle()
    expect(await texts(ws, 'vip')).toEqual(['Welcome to VIP, 陈静'])
    expect(await texts(ws, 'other')).toEqual([])
  })

  it("starts a run only for entry events whose properties pass the entry's filters", async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Big spenders', {
      entry: { event: 'Order Completed', where: [{ property: 'total', op: 'gte', value: 100 }, { property: 'shipping.country', op: 'eq', value: 'CN' }] },
      start: 'thanks',
      nodes: [send('thanks', 'Thank you'), exit],
    })
    await client.track('small', 'Order Completed', { total: 20, shipping: { country: 'CN' } })
    await client.track('abroad', 'Order Completed', { total: 300, shipping: { country: 'DE' } })
    await client.track('no-total', 'Order Completed', { shipping: { country: 'CN' } })
    await client.track('big', 'Order Completed', { total: '129.00', shipping: { country: 'CN' } })
    await h.settle()
    const runs = (await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs`, headers: ws.bearer })).json().items as Array<{ profileId: string }>
    expect(runs.map((r) => r.profileId)).toEqual([await client.profileId('big')])
    expect([await texts(ws, 'small'), await texts(ws, 'abroad'), await texts(ws, 'no-total'), await texts(ws, 'big')]).toEqual([[], [], [], ['Thank you']])
    expect((await client.metrics(id)).totals.entered).toBe(1)
  })

  it('ignores entry events from long ago (a back-fill does not start journeys)', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.publishJourney('Welcome', { entry: { event: 'Signed Up' }, start: 'hi', nodes: [send('hi', 'hi'), exit] })
    const lastMonth = new Date(h.chorus.clock.now() - 30 * DAY).toISOString()
    await client.batch([{ type: 'track', userId: 'old', event: 'Signed Up', timestamp: lastMonth }])
    await client.track('new', 'Signed Up')
    await h.settle()
    expect([await texts(ws, 'old'), await texts(ws, 'new')]).toEqual([[], ['hi']])
  })
})

/** How many of the first `n` people get `k` out of every 5 (indices i with i % 5 < k). */
function countFirst(n: number, k: number): number {
  return Math.floor(n / 5) * k + Math.min(n % 5, k)
}
