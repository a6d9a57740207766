import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { randomBucket } from '../../src/audiences/index.ts'
import { DAY, iso, newWorkspace, startAudienceHarness, workspaceClient, type AudienceHarness } from './harness.ts'

/**
 * Every condition kind against one hand-made workspace, through the estimate endpoint. Now is
 * the test clock's 2026-11-20T08:00Z. The people:
 *
 * | user | traits | orders (CNY unless said) | other |
 * |---|---|---|---|
 * | ann | plan pro, age 34, Shanghai, tags [vip, runner], signup 2026-11-15, newsletter true, score "300" (text) | 350 socks −5d, 320 shoes −10d, 50 shoes −40d | wechat −60d (first), douyin −2d |
 * | bob | plan free, age 19, Beijing, tags [student], signup 2025-01-10, score 150 | 500 bags −3d | douyin −20d (first), Product Viewed −1d |
 * | cai | plan Pro, age 52, Shenzhen, signup 1763000000000 (epoch ms, 2025-11-13) | 400 shoes −20d, 310 socks −25d | xiaohongshu −30d |
 * | dan | plan pro, nickname with SQL in it | none | Product Viewed −100d |
 * | eve | none | 1200 USD −200d | App Opened −1d |
 * | fay | none | 300 −2d as user, 330 −4d as an anonymous visitor merged into her later | |
 */
describe.each(DIALECTS)('audience conditions on %s', (dialect) => {
  let h: AudienceHarness
  let c: ReturnType<typeof workspaceClient>
  let now: number
  const at = (daysAgo: number) => iso(now - daysAgo * DAY)
  const order = (userId: string, daysAgo: number, total: number, extra: Record<string, unknown> = {}) => ({
    type: 'track',
    userId,
    event: 'Order Completed',
    timestamp: at(daysAgo),
    properties: { total, ...extra },
  })
  const visit = (userId: string, daysAgo: number, source: string) => ({ type: 'page', userId, name: 'Home', timestamp: at(daysAgo), context: { campaign: { source } } })

  beforeAll(async () => {
    h = await startAudienceHarness(dialect)
    now = h.chorus.clock.now()
    c = workspaceClient(h, await newWorkspace(h.chorus))
    await c.send([
      { type: 'identify', userId: 'ann', timestamp: at(61), traits: { plan: 'pro', age: 34, city: 'Shanghai', tags: ['vip', 'runner'], signup_at: '2026-11-15T00:00:00Z', newsletter: true, score: '300' } },
      { type: 'identify', userId: 'bob', timestamp: at(61), traits: { plan: 'free', age: 19, city: 'Beijing', tags: ['student'], signup_at: '2025-01-10', score: 150 } },
      { type: 'identify', userId: 'cai', timestamp: at(61), traits: { plan: 'Pro', age: 52, city: 'Shenzhen', signup_at: 1763000000000 } },
      { type: 'identify', userId: 'dan', timestamp: at(101), traits: { plan: 'pro', nickname: "O'Brien'); drop table profiles; --" } },
      { type: 'track', userId: 'eve', event: 'App Opened', timestamp: at(1) },
      order('ann', 5, 350, { category: 'socks' }),
      order('ann', 10, 320, { category: 'shoes' }),
      order('ann', 40, 50, { category: 'shoes' }),
      order('bob', 3, 500, { category: 'bags' }),
      order('cai', 20, 400, { category: 'shoes' }),
      order('cai', 25, 310, { category: 'socks' }),
      order('eve', 200, 1200, { currency: 'USD' }),
      visit('ann', 60, 'wechat'),
      visit('ann', 2, 'douyin'),
      visit('bob', 20, 'douyin'),
      visit('cai', 30, 'xiaohongshu'),
      { type: 'track', userId: 'bob', event: 'Product Viewed', timestamp: at(1) },
      { type: 'track', userId: 'dan', event: 'Product Viewed', timestamp: at(100) },
      order('fay', 2, 300),
      { type: 'track', anonymousId: 'anon-fay', event: 'Order Completed', timestamp: at(4), properties: { total: 330 } },
    ])
    // Seen as two people until she logs in on the device she used anonymously.
    await c.send([{ type: 'identify', userId: 'fay', anonymousId: 'anon-fay', timestamp: at(1) }])
  })
  afterAll(() => h.close())

  it('tests traits with every comparison, type-exact', async () => {
    expect(await c.matches({ trait: 'plan', op: 'equals', value: 'pro' })).toEqual(['ann', 'dan'])
    expect(await c.matches({ trait: 'plan', op: 'not_equals', value: 'pro' })).toEqual(['bob', 'cai', 'eve', 'fay'])
    expect(await c.matches({ trait: 'plan', op: 'in', value: ['free', 'Pro'] })).toEqual(['bob', 'cai'])
    expect(await c.matches({ trait: 'plan', op: 'not_in', value: ['pro', 'free'] })).toEqual(['cai', 'eve', 'fay'])
    expect(await c.matches({ trait: 'city', op: 'starts_with', value: 'Sh' })).toEqual(['ann', 'cai'])
    expect(await c.matches({ trait: 'city', op: 'contains', value: 'jin' })).toEqual(['bob'])
    expect(await c.matches({ trait: 'tags', op: 'contains', value: 'vip' })).toEqual(['ann'])
    expect(await c.matches({ trait: 'tags', op: 'not_contains', value: 'vip' })).toEqual(['bob', 'cai', 'dan', 'eve', 'fay'])
    expect(await c.matches({ trait: 'age', op: 'gt', value: 30 })).toEqual(['ann', 'cai'])
    expect(await c.matches({ trait: 'age', op: 'lte', value: 34 })).toEqual(['ann', 'bob'])
    expect(await c.matches({ trait: 'age', op: 'between', value: [18, 40] })).toEqual(['ann', 'bob'])
    // "300" is text: numeric comparisons only see numbers.
    expect(await c.matches({ trait: 'score', op: 'gte', value: 100 })).toEqual(['bob'])
    expect(await c.matches({ trait: 'score', op: 'equals', value: '300' })).toEqual(['ann'])
    expect(await c.matches({ trait: 'score', op: 'equals', value: 300 })).toEqual([])
    expect(await c.matches({ trait: 'newsletter', op: 'equals', value: true })).toEqual(['ann'])
    expect(await c.matches({ trait: 'nickname', op: 'exists' })).toEqual(['dan'])
    expect(await c.matches({ trait: 'plan', op: 'not_exists' })).toEqual(['eve', 'fay'])
  })

  it('compares date traits written as ISO text or epoch milliseconds', async () => {
    expect(await c.matches({ trait: 'signup_at', op: 'after', value: '2026-01-01' })).toEqual(['ann'])
    expect(await c.matches({ trait: 'signup_at', op: 'before', value: '2026-01-01' })).toEqual(['bob', 'cai'])
    expect(await c.matches({ trait: 'signup_at', op: 'between', value: ['2025-11-01', '2025-11-30'] })).toEqual(['cai'])
    expect(await c.matches({ trait: 'signup_at', op: 'within_last', value: '7d' })).toEqual(['ann'])
    expect(await c.matches({ trait: 'signup_at', op: 'within_next', value: '7d' })).toEqual([])
    // A trait that is text but no date never matches a date comparison (and never fails the query).
    expect(await c.matches({ trait: 'city', op: 'before', value: '2030-01-01' })).toEqual([])
  })

  it('counts performed events with property filters, in a window or between dates, across merged profiles', async () => {
    const bigOrders = { performed: { event: 'Order Completed', where: [{ property: 'total', op: 'gte', value: 300 }], count: { op: '>=', value: 2 }, within: '30d' } }
    expect(await c.matches(bigOrders)).toEqual(['ann', 'cai', 'fay'])
    expect(await c.matches({ performed: { event: 'Order Completed', within: '7d' } })).toEqual(['ann', 'bob', 'fay'])
    expect(await c.matches({ performed: { event: 'Order Completed', within: '30d', count: { op: '=', value: 0 } } })).toEqual(['dan', 'eve'])
    expect(await c.matches({ performed: { event: 'Order Completed', within: '30d', count: { op: '<=', value: 1 } } })).toEqual(['bob', 'dan', 'eve'])
    expect(await c.matches({ performed: { event: 'Order Completed', between: { from: at(45), to: at(30) } } })).toEqual(['ann'])
    expect(await c.matches({ performed: { event: 'Order Completed', where: [{ property: 'category', op: 'in', value: ['shoes', 'bags'] }], count: { op: '>=', value: 2 } } })).toEqual(['ann'])
  })

  it('matches people who did not perform an event in a window', async () => {
    expect(await c.matches({ notPerformed: { event: 'Order Completed', within: '30d' } })).toEqual(['dan', 'eve'])
    expect(await c.matches({ notPerformed: { event: 'Product Viewed' } })).toEqual(['ann', 'cai', 'eve', 'fay'])
  })

  it('tests the properties of the last time an event was performed', async () => {
    expect(await c.matches({ lastPerformed: { event: 'Order Completed', where: [{ property: 'category', op: 'equals', value: 'shoes' }] } })).toEqual(['cai'])
    expect(await c.matches({ lastPerformed: { event: 'Order Completed', where: [{ property: 'total', op: 'gt', value: 400 }], within: '30d' } })).toEqual(['bob'])
  })

  it('computes order count, lifetime revenue per currency and days since the last order from the log', async () => {
    expect(await c.matches({ computed: 'order_count', op: '>=', value: 3 })).toEqual(['ann'])
    expect(await c.matches({ computed: 'order_count', op: '=', value: 0 })).toEqual(['dan'])
    expect(await c.matches({ computed: 'order_count', op: '=', value: 2, within: '30d' })).toEqual(['ann', 'cai', 'fay'])
    expect(await c.matches({ computed: 'lifetime_revenue', op: '>=', value: 700 })).toEqual(['ann', 'cai'])
    expect(await c.matches({ computed: 'lifetime_revenue', op: '>=', value: 1000, currency: 'USD' })).toEqual(['eve'])
    expect(await c.matches({ computed: 'lifetime_revenue', op: '<', value: 100 })).toEqual(['dan', 'eve'])
    expect(await c.matches({ computed: 'days_since_last_order', op: '>=', value: 30 })).toEqual(['eve'])
    expect(await c.matches({ computed: 'days_since_last_order', op: '<=', value: 5 })).toEqual(['ann', 'bob', 'fay'])
    expect(await c.matches({ computed: 'days_since_last_order', op: '=', value: 5 })).toEqual(['ann'])
  })

  it('scores RFM with fixed cut points', async () => {
    // ann R5 F3 M3 = 11; bob R5 F1 M3 = 9; cai R5 F2 M3 = 10; fay R5 F2 M3 = 10; eve R1 F1 M1 = 3.
    expect(await c.matches({ rfm: {}, op: '>=', value: 10 })).toEqual(['ann', 'cai', 'fay'])
    expect(await c.matches({ rfm: {}, op: '=', value: 9 })).toEqual(['bob'])
    expect(await c.matches({ rfm: {}, op: '<=', value: 3 })).toEqual(['eve'])
    expect(await c.matches({ rfm: {}, part: 'frequency', op: '=', value: 3 })).toEqual(['ann'])
    expect(await c.matches({ rfm: { recency: [3, 10, 30, 90] }, part: 'recency', op: '=', value: 5 })).toEqual(['bob', 'fay'])
  })

  it('matches the channels people came through, recently or first', async () => {
    expect(await c.matches({ channel: { in: ['douyin'] } })).toEqual(['ann', 'bob'])
    expect(await c.matches({ channel: { in: ['Douyin'], within: '7d' } })).toEqual(['ann'])
    expect(await c.matches({ channel: { in: ['douyin'], first: true } })).toEqual(['bob'])
    expect(await c.matches({ channel: { in: ['wechat', 'xiaohongshu'], first: true } })).toEqual(['ann', 'cai'])
  })

  it('reads consent as the channels module keeps it, unknown when never stated', async () => {
    const db = h.chorus.ctx.database.db
    const consent = async (userId: string, state: string, daysAgo: number, profileId?: string) =>
      db
        .insertInto('channel_consents')
        .values({ workspace_id: c.ws.workspaceId, profile_id: profileId ?? (await c.profileId(userId)), channel: 'email', state, updated_at: now - daysAgo * DAY, source: 'test' })
        .execute()
    await consent('ann', 'subscribed', 3)
    await consent('bob', 'unsubscribed', 3)
    // fay said yes as an anonymous visitor, then no once logged in: the latest statement wins.
    const fayProfiles = await db.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', c.ws.workspaceId).where('merged_into', '=', await c.profileId('fay')).execute()
    expect(fayProfiles).toHaveLength(1)
    await consent('fay', 'subscribed', 9, fayProfiles[0]!.id)
    await consent('fay', 'unsubscribed', 2)
    expect(await c.matches({ consent: { channel: 'email', state: 'subscribed' } })).toEqual(['ann'])
    expect(await c.matches({ consent: { channel: 'email', state: 'unsubscribed' } })).toEqual(['bob', 'fay'])
    expect(await c.matches({ consent: { channel: 'email', state: 'unknown' } })).toEqual(['cai', 'dan', 'eve'])
  })

  it('matches people a channel could reach: an address of the type the channel reads, no do-not-contact, not unsubscribed, opted in where required', async () => {
    // Its own workspace: consent and providers here must not touch the people above.
    const r = workspaceClient(h, await newWorkspace(h.chorus))
    await r.send([
      { type: 'identify', userId: 'ann', traits: { phone: '13800000001', email: 'ann@example.com' } },
      { type: 'identify', userId: 'bob', traits: { phone: '13800000002' } },
      { type: 'identify', userId: 'cai', traits: { phone: '13800000003', email: 'cai@example.com' } },
      { type: 'identify', userId: 'dan', traits: { email: 'dan@example.com' }, context: { externalIds: [{ id: 'o-dan', type: 'wechat_openid', collection: 'users', encoding: 'none' }] } },
      // fay gave her phone as an anonymous visitor; logging in merges that profile into hers.
      { type: 'track', anonymousId: 'anon-fay', event: 'Coupon Claimed', context: { traits: { phone: '13800000006' } } },
    ])
    await r.send([{ type: 'identify', userId: 'fay', anonymousId: 'anon-fay' }])
    const put = async (userId: string, path: string, payload: object) => {
      const res = await r.api('PUT', `/channels/consents/${await r.profileId(userId)}${path}`, payload)
      expect(res.statusCode, res.body).toBe(200)
    }
    await put('bob', '', { channel: 'sms', state: 'unsubscribed' })
    await put('cai', '/do-not-contact', { doNotContact: true, reason: 'complaint' })
    await put('ann', '', { channel: 'email', state: 'subscribed' })

    expect(await r.matches({ reachable: 'sms' })).toEqual(['ann', 'fay'])
    expect(await r.matches({ reachable: 'email' })).toEqual(['ann', 'dan'])
    expect(await r.matches({ reachable: 'wechat' })).toEqual(['dan'])
    expect(await r.matches({ reachable: 'wecom' })).toEqual([])
    // Webhooks need no address; the inbox needs an identifier an app can name the person by.
    expect(await r.matches({ reachable: 'webhook' })).toEqual(['ann', 'bob', 'dan', 'fay'])
    expect(await r.matches({ reachable: 'inbox' })).toEqual(['ann', 'bob', 'dan', 'fay'])
    expect(await r.matches({ all: [{ reachable: 'email' }, { not: { reachable: 'sms' } }] })).toEqual(['dan'])

    // Where the workspace sends email only to people who opted in, unknown consent is not enough.
    expect((await r.api('PUT', '/channels/settings', { requireOptIn: ['email'] })).statusCode).toBe(200)
    expect(await r.matches({ reachable: 'email' })).toEqual(['ann'])

    // A provider that names its own identifier type moves the address there, as sends do; the type
    // is a bound value, so one holding SQL is only text to compare.
    const hostile = "wechat_openid') or 1=1; drop table identities; --"
    const provider = await r.api('POST', '/channels/providers', { name: 'Shop OA', kind: 'wechat_template', settings: { appId: 'wx1', identifierType: hostile }, secrets: { appSecret: 'secret' } })
    expect(provider.statusCode, provider.body).toBe(201)
    expect(await r.matches({ reachable: 'wechat' })).toEqual([])
    expect(await r.matches({ reachable: 'sms' })).toEqual(['ann', 'fay'])
    const identities = await h.chorus.ctx.database.db.selectFrom('identities').select('value').where('workspace_id', '=', r.ws.workspaceId).where('type', '=', 'wechat_openid').execute()
    expect(identities.map((i) => i.value)).toEqual(['o-dan'])
  })

  it('refuses a reachable condition on a channel Chorus does not send on, naming it', async () => {
    const res = await c.api('POST', '/audiences/estimate', { definition: { all: [{ reachable: 'fax' }] }, sample: 10 })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toContain('definition.all[0].reachable: unknown channel "fax": use email, sms, wechat, wechat_mini, wecom, webhook, inbox')
  })

  it('matches members of another audience', async () => {
    const pro = await c.create('Pro plan', { trait: 'plan', op: 'equals', value: 'pro' })
    expect(await c.memberUserIds(pro)).toEqual(['ann', 'dan'])
    expect(await c.matches({ all: [{ audience: pro }, { performed: { event: 'Order Completed' } }] })).toEqual(['ann'])
    expect(await c.matches({ not: { audience: pro } })).toEqual(['bob', 'cai', 'eve', 'fay'])
  })

  it('splits people into stable random buckets, the same in SQL as in code', async () => {
    const everyone = ['ann', 'bob', 'cai', 'dan', 'eve', 'fay']
    const ids = new Map(await Promise.all(everyone.map(async (u) => [u, await c.profileId(u)] as const)))
    for (const seed of ['holdout-a', 'holdout-b']) {
      const expected = everyone.filter((u) => randomBucket(ids.get(u)!, seed) < 5_000)
      expect(await c.matches({ random: { seed, percent: [0, 50] } })).toEqual(expected)
      expect(await c.matches({ random: { seed, percent: [50, 100] } })).toEqual(everyone.filter((u) => !expected.includes(u)))
    }
    expect(await c.matches({ random: { seed: 'all', percent: [0, 100] } })).toEqual(everyone)
  })

  it('nests all, any and not', async () => {
    const definition = {
      any: [
        { trait: 'city', op: 'equals', value: 'Beijing' },
        { all: [{ trait: 'plan', op: 'equals', value: 'pro' }, { not: { performed: { event: 'Order Completed' } } }] },
      ],
    }
    expect(await c.matches(definition)).toEqual(['bob', 'dan'])
  })

  it('binds values, so SQL in a value is only text to compare', async () => {
    expect(await c.matches({ trait: 'nickname', op: 'equals', value: "O'Brien'); drop table profiles; --" })).toEqual(['dan'])
    expect(await c.matches({ trait: 'plan', op: 'equals', value: "pro' or '1'='1" })).toEqual([])
    expect(await c.matches({ performed: { event: "x' or 1=1 --", within: '30d' } })).toEqual([])
    const profiles = await h.chorus.ctx.database.db.selectFrom('profiles').select('id').where('workspace_id', '=', c.ws.workspaceId).execute()
    expect(profiles.length).toBeGreaterThanOrEqual(6)
  })
})
