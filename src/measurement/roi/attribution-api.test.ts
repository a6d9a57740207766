import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'

/**
 * A small world written through the tracking API, and every figure computed by hand from the
 * paths it should give (period 2025-03-01 … 2025-03-31, Asia/Shanghai, 30-day look-back):
 *
 *   A  douyin (Mar 2) > baidu_search (Mar 5, bd_vid)      → order ¥100 (Mar 5)      new customer
 *   B  xiaohongshu (Mar 3; a same-site page after it) > direct (Mar 10) → order ¥50   new customer
 *   C  email (Mar 4; a second email landing 5 min later is the same visit)   → no order
 *   D  weibo (Feb 20, in the look-back) > douyin (Mar 6)  → order ¥200 (Mar 6)      new customer
 *      baidu_organic (Mar 20)                             → order ¥80 (Mar 20)      repeat
 *   E  store order ¥30 (Mar 8), POS: a store visit and a conversion; E bought in January too
 *   F  weibo as an anonymous visitor (Mar 7), order as a member (Mar 12); the two profiles merge
 *   G  douyin (Mar 30)                                    → no order in the period
 */
const T = (day: string, time = '10:00') => `${day}T${time}:00+08:00`
const SITE = 'https://shop.example.cn'

function landing(who: { userId?: string; anonymousId?: string }, at: string, campaign: { source: string; medium: string; name?: string } | null, referrer = '', extraQuery = '') {
  const search = campaign ? `?utm_source=${campaign.source}&utm_medium=${campaign.medium}${extraQuery}` : extraQuery ? `?${extraQuery.slice(1)}` : ''
  return {
    type: 'page',
    ...who,
    name: 'Landing',
    timestamp: at,
    context: { page: { url: `${SITE}/${search}`, path: '/', search, referrer }, ...(campaign ? { campaign } : {}) },
  }
}
const order = (who: { userId?: string; anonymousId?: string }, at: string, total: number, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  ...who,
  event: 'Order Completed',
  timestamp: at,
  properties: { order_id: `${JSON.stringify(who)}-${at}`, total, currency: 'CNY', ...extra },
})

const SPEND_CSV = [
  'date,channel,campaign,impressions,clicks,cost',
  '2025-03-02,douyin,launch,1000,10,150.00',
  '2025-03-05,baidu,品牌词,200,5,50.00',
  '2025-02-25,weibo,spring,900,2,99.00',
  '2025-03-10,weibo,热搜,500,3,60.00',
  '2025-03-15,kuaishou,test,100,1,20.00',
  '2025-13-01,douyin,launch,1,1,1.00',
  '2025-03-03,douyin,launch,10,1,abc',
  '2025-03-04,,launch,10,1,5.00',
].join('\n')

describe.each(DIALECTS)('attribution on the event log (%s)', (dialect) => {
  let chorus: TestChorus
  let ws: TestWorkspace
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    ws = await newWorkspace(chorus)
    const send = async (batch: object[]) => {
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch } })
      expect(res.statusCode).toBe(200)
      expect(res.json().rejected ?? []).toEqual([])
    }
    const A = { userId: 'a' }, B = { userId: 'b' }, C = { userId: 'c' }, D = { userId: 'd' }, E = { userId: 'e' }, G = { userId: 'g' }
    await send([
      landing(A, T('2025-03-02'), { source: 'douyin', medium: 'paid_video', name: 'launch' }, 'https://www.douyin.com/'),
      landing(A, T('2025-03-05'), { source: 'baidu', medium: 'cpc', name: '品牌词' }, 'https://www.baidu.com/', '&bd_vid=1234567890'),
      order(A, T('2025-03-05', '10:10'), 100),
      landing(B, T('2025-03-03'), { source: 'xiaohongshu', medium: 'kol', name: '种草' }, 'https://www.xiaohongshu.com/'),
      { ...landing(B, T('2025-03-03', '10:10'), null, `${SITE}/products/1`), name: 'Product' },
      landing(B, T('2025-03-10'), null, ''),
      order(B, T('2025-03-10', '10:05'), 50),
      landing(C, T('2025-03-04'), { source: 'email', medium: 'email', name: '周报' }),
      landing(C, T('2025-03-04', '10:05'), { source: 'email', medium: 'email', name: '周报' }),
      landing(D, T('2025-02-20'), { source: 'weibo', medium: 'paid_social', name: 'spring' }, 'https://weibo.com/'),
      landing(D, T('2025-03-06'), { source: 'douyin', medium: 'paid_video', name: 'launch' }, 'https://www.douyin.com/'),
      order(D, T('2025-03-06', '10:30'), 200),
      landing(D, T('2025-03-20'), null, 'https://www.baidu.com/s?wd=shop'),
      order(D, T('2025-03-20', '10:30'), 80),
      order(E, T('2025-01-01'), 30, { channel: 'pos' }),
      order(E, T('2025-03-08'), 30, { channel: 'pos', store_id: 'S1' }),
      landing(G, T('2025-03-30'), { source: 'douyin', medium: 'paid_video', name: 'launch' }, 'https://www.douyin.com/'),
    ])
    // F: two profiles (an anonymous visitor, a member) that an identify merges.
    await send([landing({ anonymousId: 'anon-f' }, T('2025-03-07'), { source: 'weibo', medium: 'paid_social', name: '热搜' }, 'https://weibo.com/')])
    await send([order({ userId: 'f' }, T('2025-03-12'), 60)])
    await send([{ type: 'identify', userId: 'f', anonymousId: 'anon-f', timestamp: T('2025-03-12', '11:00'), traits: { name: 'F' } }])
    const spend = await chorus.app.inject({ method: 'POST', url: '/api/v1/measurement/spend/csv', headers: { ...ws.bearer, 'content-type': 'text/csv' }, payload: SPEND_CSV })
    expect(spend.statusCode).toBe(200)
  })
  afterAll(() => chorus.close())

  const attribution = async (body: object) => {
    const res = await chorus.app.inject({ method: 'POST', url: '/api/v1/measurement/attribution', headers: ws.bearer, payload: { from: '2025-03-01', to: '2025-03-31', ...body } })
    expect(res.statusCode).toBe(200)
    return res.json()
  }
  const byChannel = (rows: { label: string; conversions: number; revenueMinor: number }[]) =>
    Object.fromEntries(rows.filter((r) => r.conversions > 1e-12).map((r) => [r.label, [round(r.conversions), round(r.revenueMinor)]]))
  const round = (x: number) => Math.round(x * 1e6) / 1e6

  it('builds the journeys the fixture describes: merged profiles, look-back, visits, repeat orders', async () => {
    const report = await attribution({ models: ['last_touch'], topPaths: 20 })
    expect(report.totals).toMatchObject({ conversions: 6, revenueMinor: 52_000, nullJourneys: 2, journeys: 8, people: 7 })
    const paths = Object.fromEntries(report.topPaths.map((p: { path: string[]; conversions: number; nulls: number }) => [p.path.join(' > '), [p.conversions, p.nulls]]))
    expect(paths).toEqual({
      'douyin > baidu_search': [1, 0],
      'xiaohongshu > direct': [1, 0],
      'weibo > douyin': [1, 0],
      baidu_organic: [1, 0],
      offline_store: [1, 0],
      weibo: [1, 0],
      email: [0, 1],
      douyin: [0, 1],
    })
    expect(report.scan.conversionsWithoutTouch).toBe(0)
    expect(report.scan.sameVisit).toBe(1)
  })

  it('credits every rule-based model as computed by hand', async () => {
    const { models } = await attribution({ models: ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'shapley'] })
    expect(byChannel(models.first_touch)).toEqual({ douyin: [1, 10_000], xiaohongshu: [1, 5_000], weibo: [2, 26_000], baidu_organic: [1, 8_000], offline_store: [1, 3_000] })
    expect(byChannel(models.last_touch)).toEqual({ baidu_search: [1, 10_000], direct: [1, 5_000], douyin: [1, 20_000], baidu_organic: [1, 8_000], offline_store: [1, 3_000], weibo: [1, 6_000] })
    // Direct traffic passes its credit back to the last channel before it.
    expect(byChannel(models.last_non_direct)).toEqual({ baidu_search: [1, 10_000], xiaohongshu: [1, 5_000], douyin: [1, 20_000], baidu_organic: [1, 8_000], offline_store: [1, 3_000], weibo: [1, 6_000] })
    const halves = { douyin: [1, 15_000], baidu_search: [0.5, 5_000], xiaohongshu: [0.5, 2_500], direct: [0.5, 2_500], weibo: [1.5, 16_000], baidu_organic: [1, 8_000], offline_store: [1, 3_000] }
    expect(byChannel(models.linear)).toEqual(halves)
    expect(byChannel(models.position_based)).toEqual(halves)
    expect(byChannel(models.shapley)).toEqual(halves)
  })

  it('decays by the real time between touch and order', async () => {
    const { models } = await attribution({ models: ['time_decay'], halfLifeDays: 7 })
    // Weights 2^(−age/7 days) relative to the last touch: A's douyin is 3 days older than its
    // baidu click, B's xiaohongshu 7 days older than its direct visit, D's weibo 14 days.
    const a = 2 ** (-3 / 7)
    const share = (w: number) => w / (w + 1)
    const expected = {
      douyin: [round(share(a) + 0.8), round(share(a) * 10_000 + 0.8 * 20_000)],
      baidu_search: [round(1 - share(a)), round((1 - share(a)) * 10_000)],
      xiaohongshu: [round(1 / 3), round(5_000 / 3)],
      direct: [round(2 / 3), round(10_000 / 3)],
      weibo: [round(0.2 + 1), round(0.2 * 20_000 + 6_000)],
      baidu_organic: [1, 8_000],
      offline_store: [1, 3_000],
    }
    expect(byChannel(models.time_decay)).toEqual(expected)
  })

  it('gives the Markov removal effects of the hand-solved chain', async () => {
    const report = await attribution({ models: ['markov'] })
    // P(conversion) = 6/8. Removing douyin leaves 4/8 (effect 1/3), weibo 13/24 (5/18), each of
    // baidu_search, xiaohongshu, direct, baidu_organic, offline_store 5/8 (1/6), email 0.
    expect(report.markov.conversionProbability).toBeCloseTo(0.75, 12)
    const effects = Object.fromEntries(report.markov.removalEffects.map((r: { label: string; conversions: number }) => [r.label, round(r.conversions)]))
    expect(effects).toEqual({ douyin: round(1 / 3), weibo: round(5 / 18), baidu_search: round(1 / 6), xiaohongshu: round(1 / 6), direct: round(1 / 6), baidu_organic: round(1 / 6), offline_store: round(1 / 6), email: 0 })
    const credits = Object.fromEntries(report.models.markov.filter((r: { conversions: number }) => r.conversions > 0).map((r: { label: string; conversions: number }) => [r.label, round(r.conversions)]))
    expect(credits).toEqual({ douyin: round(36 / 26), weibo: round(30 / 26), baidu_search: round(18 / 26), xiaohongshu: round(18 / 26), direct: round(18 / 26), baidu_organic: round(18 / 26), offline_store: round(18 / 26) })
    const start = report.markov.transitions.filter((t: { from: string }) => t.from === '(start)')
    expect(Object.fromEntries(start.map((t: { to: string; probability: number }) => [t.to, t.probability]))).toMatchObject({ douyin: 2 / 8, weibo: 2 / 8, email: 1 / 8 })
  })

  it("conserves the totals in every model's credits", async () => {
    const report = await attribution({ markovOrder: 'auto' })
    expect(Object.keys(report.models)).toHaveLength(9)
    for (const [model, rows] of Object.entries(report.models) as [string, { conversions: number; revenueMinor: number }[]][]) {
      const conversions = rows.reduce((s, r) => s + r.conversions, 0)
      const revenue = rows.reduce((s, r) => s + r.revenueMinor, 0)
      expect(conversions, model).toBeCloseTo(6, 9)
      expect(revenue, model).toBeCloseTo(52_000, 6)
    }
  })

  it('joins spend per channel and per campaign for ROAS and CPA, and shows spend nothing was credited to', async () => {
    const report = await attribution({ models: ['last_touch'] })
    const rows = Object.fromEntries(report.models.last_touch.map((r: { label: string }) => [r.label, r]))
    expect(rows.douyin).toMatchObject({ costMinor: 15_000, roas: 20_000 / 15_000, cpa: 15_000 })
    expect(rows.baidu_search).toMatchObject({ costMinor: 5_000, roas: 2, cpa: 5_000 })
    expect(rows.weibo).toMatchObject({ costMinor: 6_000, roas: 1 })
    expect(rows.kuaishou).toMatchObject({ conversions: 0, costMinor: 2_000, roas: 0, cpa: null, group: 'paid_social' })
    expect(rows.direct.costMinor).toBeNull()
    expect(report.totals.costMinor).toBe(28_000)
    const byCampaign = await attribution({ models: ['last_touch'], groupBy: 'campaign' })
    const campaign = Object.fromEntries(byCampaign.models.last_touch.map((r: { label: string }) => [r.label, r]))
    expect(campaign['weibo / 热搜']).toMatchObject({ channel: 'weibo', campaign: '热搜', conversions: 1, costMinor: 6_000, roas: 1 })
    expect(campaign['douyin / launch']).toMatchObject({ conversions: 1, costMinor: 15_000 })
    expect(campaign['baidu_search / 品牌词']).toMatchObject({ conversions: 1, costMinor: 5_000 })
  })

  it('reports ROI, ROAS, CPA and CAC with new customers = first order ever in the period', async () => {
    const res = await chorus.app.inject({ method: 'GET', url: '/api/v1/measurement/roi?from=2025-03-01&to=2025-03-31&model=last_touch', headers: ws.bearer })
    expect(res.statusCode).toBe(200)
    const report = res.json()
    const rows = Object.fromEntries(report.rows.map((r: { label: string }) => [r.label, r]))
    // New customers: A (baidu_search last), B (direct), D's first order (douyin), F (weibo); E bought in January, D's second order is a repeat.
    expect(rows.douyin).toMatchObject({ costMinor: 15_000, conversions: 1, newCustomers: 1, cac: 15_000, roi: (20_000 - 15_000) / 15_000, impressions: 1000, clicks: 10 })
    expect(rows.baidu_search).toMatchObject({ newCustomers: 1, cac: 5_000 })
    expect(rows.weibo).toMatchObject({ newCustomers: 1, cac: 6_000 })
    expect(rows.baidu_organic).toMatchObject({ conversions: 1, newCustomers: 0 })
    expect(rows.offline_store).toMatchObject({ conversions: 1, newCustomers: 0 })
    expect(rows.kuaishou).toMatchObject({ costMinor: 2_000, newCustomers: 0, cac: null, roas: 0 })
    expect(report.totals).toMatchObject({ costMinor: 28_000, conversions: 6, revenueMinor: 52_000, newCustomers: 4, cac: 7_000 })
  })

  it('counts a conversion definition with a property filter and a property value', async () => {
    const put = await chorus.app.inject({
      method: 'PUT',
      url: '/api/v1/measurement/conversions/store-order',
      headers: ws.bearer,
      payload: { name: 'Store orders', events: ['Order Completed'], filters: [{ property: 'properties.channel', op: 'eq', value: 'pos' }], value: { from: 'property', property: 'properties.total' }, touchpoints: ['store_visit'] },
    })
    expect(put.statusCode).toBe(201)
    const report = await attribution({ conversion: 'store-order', models: ['last_touch'] })
    expect(report.totals).toMatchObject({ conversions: 1, revenueMinor: 3_000 })
    expect(byChannel(report.models.last_touch)).toEqual({ offline_store: [1, 3_000] })
  })

  it('refuses a bad period or an unknown conversion with a reason', async () => {
    const bad = await chorus.app.inject({ method: 'POST', url: '/api/v1/measurement/attribution', headers: ws.bearer, payload: { from: '2025-03-31', to: '2025-03-01' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('must come after')
    const unknown = await chorus.app.inject({ method: 'POST', url: '/api/v1/measurement/attribution', headers: ws.bearer, payload: { from: '2025-03-01', to: '2025-03-31', conversion: 'nope' } })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.message).toContain("no conversion 'nope'")
  })

  it('reads the same paths when the scan pages through profiles a few at a time', async () => {
    const { extractPaths, defaultConversion, defaultChannelRules } = await import('../index.ts')
    const full = await extractPaths({ database: chorus.ctx.database, workspaceId: ws.workspaceId, from: Date.parse(T('2025-03-01', '00:00')), to: Date.parse(T('2025-04-01', '00:00')), conversion: defaultConversion(), rules: defaultChannelRules() })
    const paged = await extractPaths({ database: chorus.ctx.database, workspaceId: ws.workspaceId, from: Date.parse(T('2025-03-01', '00:00')), to: Date.parse(T('2025-04-01', '00:00')), conversion: defaultConversion(), rules: defaultChannelRules(), pageSize: 2 })
    const describe = (e: typeof full) => {
      const out: string[] = []
      for (let i = 0; i < e.paths.size; i++) out.push(`${Array.from(e.paths.touches.subarray(e.paths.offsets[i]!, e.paths.offsets[i + 1]!), (id) => e.paths.channels[id]).join('>')}:${e.paths.conversions[i]}:${e.paths.values[i]}`)
      return out.sort()
    }
    expect(describe(paged)).toEqual(describe(full))
    expect(paged.stats.people).toBe(7)
  })
})
