import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { storeSpend } from '../../measurement/index.ts'
import { tokenFor } from '../../content/store/test-fixtures.ts'

// A fixture log worked by hand. The campaign runs 2026-03-01 to 2026-03-10 in Asia/Shanghai (UTC+8).
const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 2, day, hour - 8)).toISOString()
const order = (who: object, day: number, yuan: number, extra: object = {}) => ({ type: 'track', event: 'Order Completed', timestamp: at(day, 15), properties: { order_id: `o-${day}-${yuan}`, total: yuan, currency: 'CNY', ...extra }, ...who })
const page = (who: object, day: number, source?: string) => ({ type: 'page', name: 'Home', timestamp: at(day, 10), ...who, ...(source ? { context: { campaign: { source, medium: 'cpc', name: 'launch' } } } : {}) })
const LOG = [
  // A bought before the campaign (so is no new customer), then came from Douyin and bought ¥50.
  order({ userId: 'a' }, 1, 100),
  page({ userId: 'a' }, 2, 'douyin'),
  order({ userId: 'a' }, 2, 50),
  // B browses anonymously from Xiaohongshu and, on another device, signed in; the two profiles merge.
  page({ anonymousId: 'anon-b' }, 3, 'xiaohongshu'),
  page({ userId: 'b' }, 3),
  { type: 'identify', anonymousId: 'anon-b', userId: 'b', timestamp: at(4) },
  { type: 'track', event: 'Signed Up', userId: 'b', timestamp: at(4, 13) },
  order({ userId: 'b' }, 5, 80),
  // C comes from Baidu, signs up, opens the app; buys only after the campaign.
  page({ userId: 'c' }, 6, 'baidu'),
  { type: 'track', event: 'Signed Up', userId: 'c', timestamp: at(6, 11) },
  { type: 'screen', name: 'Home', userId: 'c', timestamp: at(6, 12) },
  order({ userId: 'c' }, 15, 30),
  // D opens an email, then buys on Tmall the next day.
  { type: 'track', event: 'Email Opened', userId: 'd', timestamp: at(7), properties: { channel: 'email' } },
  order({ userId: 'd' }, 8, 40, { channel: 'tmall' }),
  // E buys with no touch at all.
  order({ userId: 'e' }, 9, 60),
]
// The first order of A is on 2026-02-20, before the window.
LOG[0] = { ...(LOG[0] as object), timestamp: new Date(Date.UTC(2026, 1, 20, 7)).toISOString() } as (typeof LOG)[number]

const SPEND = [
  { date: '2026-02-28', channel: 'douyin', amount: 99_900 },
  { date: '2026-03-02', channel: 'douyin', amount: 10_000 },
  { date: '2026-03-04', channel: 'douyin', amount: 10_000 },
  { date: '2026-03-03', channel: 'xiaohongshu', amount: 15_000 },
  { date: '2026-03-06', channel: 'baidu_search', amount: 9_000 },
  { date: '2026-03-12', channel: 'douyin', amount: 99_900 },
]

describe.each(DIALECTS)('campaign KPIs from the log on %s', (dialect) => {
  let chorus: TestChorus
  let ws: TestWorkspace
  let campaignId: string
  beforeAll(async () => {
    chorus = await startTestChorus(dialect, { start: Date.UTC(2026, 1, 1) })
    ws = await newWorkspace(chorus)
    for (const call of LOG) {
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch: [call] } })
      expect(res.statusCode).toBe(200)
    }
    await storeSpend(chorus.ctx.database, {
      workspaceId: ws.workspaceId,
      records: SPEND.map((s) => ({ date: s.date, channel: s.channel, campaign: 'launch', impressions: 1000, clicks: 10, costMinor: s.amount, currency: 'CNY' })),
      source: 'test',
      now: chorus.clock.now(),
    })
    const created = await api('POST', '/campaigns', { name: '三月上新', brand: '和声优品', startsAt: '2026-03-01', endsAt: '2026-03-10', timezone: 'Asia/Shanghai', currency: 'CNY' })
    expect(created.statusCode).toBe(201)
    campaignId = created.json().id
    expect(
      (
        await api('PUT', `/campaigns/${campaignId}/insight`, {
          goals: [
            { id: 'revenue', statement: '销售额 ¥1,000', metric: 'revenue', target: 100_000, baseline: { kind: 'value', value: 80_000 }, deadline: '2026-03-10', why: '上新' },
            { id: 'reach', statement: '触达 4 人', metric: 'reach', target: 4, baseline: { kind: 'previous-period' }, deadline: '2026-03-10', why: '认知' },
            { id: 'cac', statement: 'CAC ≤ ¥200', metric: 'cac', target: 20_000, baseline: { kind: 'value', value: 25_000 }, deadline: '2026-03-10', why: '效率' },
          ],
        })
      ).statusCode,
    ).toBe(200)
    const strategy = await api('PUT', `/campaigns/${campaignId}/strategy`, {
      channelMix: [
        { channel: 'douyin', roles: { awareness: 'reach' }, cpaThresholdMinor: 10_000 },
        { channel: 'xiaohongshu', roles: { consideration: 'engage' } },
        { channel: 'baidu_search', roles: { decision: 'convert' }, logSources: ['baidu'] },
        { channel: 'email', roles: { loyalty: 'serve' } },
      ],
      budget: { totalMinor: 300_000, lines: [{ channel: 'douyin', amountMinor: 100_000 }, { channel: 'xiaohongshu', amountMinor: 100_000 }, { channel: 'baidu_search', amountMinor: 100_000 }] },
    })
    expect(strategy.statusCode).toBe(200)
  })
  afterAll(() => chorus.close())

  function api(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: object = ws.bearer) {
    return chorus.app.inject({ method, url: `/api/v1${url}`, headers: headers as Record<string, string>, ...(payload ? { payload } : {}) })
  }

  it('computes reach, traffic by source, leads, conversions, revenue, new customers, spend, ROI and CAC as counted by hand', async () => {
    chorus.clock.set(Date.UTC(2026, 2, 20))
    const res = await api('GET', `/campaigns/${campaignId}/kpis`)
    expect(res.statusCode).toBe(200)
    const { kpis, channels, unattributed, elapsed, spend } = res.json()
    expect(elapsed).toBe(1)
    expect(kpis).toMatchObject({ reach: 5, leads: 2, conversions: 4, revenueMinor: 23_000, newCustomers: 3, spendMinor: 44_000, cacMinor: 14_667 })
    expect(kpis.roi).toBeCloseTo((23_000 - 44_000) / 44_000, 10)
    expect(kpis.roas).toBeCloseTo(23_000 / 44_000, 10)
    expect(kpis.traffic).toEqual({
      views: 5,
      visitors: 3,
      bySource: [
        { source: 'direct', views: 2, visitors: 2 },
        { source: 'baidu', views: 1, visitors: 1 },
        { source: 'douyin', views: 1, visitors: 1 },
        { source: 'xiaohongshu', views: 1, visitors: 1 },
      ],
    })
    expect(spend.byChannel).toEqual({ douyin: 20_000, xiaohongshu: 15_000, baidu_search: 9_000 })
    const row = (c: string) => channels.find((r: { channel: string }) => r.channel === c)
    expect(row('douyin')).toMatchObject({ spendMinor: 20_000, plannedMinor: 100_000, conversions: 1, revenueMinor: 5_000, cpaMinor: 20_000, roas: 0.25 })
    expect(row('xiaohongshu')).toMatchObject({ spendMinor: 15_000, conversions: 1, revenueMinor: 8_000, cpaMinor: 15_000 })
    expect(row('baidu_search')).toMatchObject({ spendMinor: 9_000, conversions: 0, revenueMinor: 0, cpaMinor: null, roi: -1 })
    expect(row('email')).toMatchObject({ spendMinor: 0, conversions: 1, revenueMinor: 4_000, roas: null })
    expect(unattributed).toEqual({ conversions: 1, revenueMinor: 6_000 })

    const goals = res.json().goals
    expect(goals.find((g: { goalId: string }) => g.goalId === 'revenue')).toMatchObject({ actual: 23_000, status: 'done', achieved: false, gap: -77_000 })
    expect(goals.find((g: { goalId: string }) => g.goalId === 'reach')).toMatchObject({ actual: 5, achieved: true })
    expect(goals.find((g: { goalId: string }) => g.goalId === 'cac')).toMatchObject({ actual: 44_000 / 3, achieved: true })
  })

  it('paces goals against the time gone, raises alerts with suggested moves, and records a confirmed move in the plan', async () => {
    chorus.clock.set(Date.parse('2026-03-06T00:00:00+08:00'))
    const snapshot = (await api('GET', `/campaigns/${campaignId}/kpis`)).json()
    expect(snapshot.elapsed).toBe(0.5)
    // By 6 March: A's ¥50 and B's ¥80 against ¥500 expected at half time.
    expect(snapshot.goals.find((g: { goalId: string }) => g.goalId === 'revenue')).toMatchObject({ actual: 13_000, expectedByNow: 50_000, pace: 0.26, projected: 26_000, status: 'behind' })
    // Spend up to 5 March (the last whole local day): Douyin ¥200 for one conversion, over its ¥100 threshold.
    expect(snapshot.channels.find((c: { channel: string }) => c.channel === 'douyin')).toMatchObject({ spendMinor: 20_000, conversions: 1, cpaMinor: 20_000 })

    const evaluated = await api('POST', `/campaigns/${campaignId}/alerts/evaluate`)
    expect(evaluated.statusCode).toBe(200)
    const open = evaluated.json().items as Array<{ id: string; kind: string; subject: string; message: string; actions: Array<{ id: string; kind: string; description: string; from?: string; to?: string; amountMinor?: number }> }>
    expect(open.map((a) => `${a.kind}:${a.subject}`).sort()).toEqual(['channel-cpa-high:douyin', 'goal-behind-pace:revenue'])
    const cpa = open.find((a) => a.kind === 'channel-cpa-high')!
    expect(cpa.message).toContain('¥200.00 per conversion')
    expect(cpa.actions).toEqual([
      expect.objectContaining({ id: 'pause-douyin', kind: 'pause-channel' }),
      expect.objectContaining({ id: 'shift-douyin-xiaohongshu', kind: 'shift-budget', from: 'douyin', to: 'xiaohongshu', amountMinor: 50_000 }),
    ])
    const behind = open.find((a) => a.kind === 'goal-behind-pace')!
    expect(behind.actions[0]).toMatchObject({ kind: 'shift-budget', from: 'douyin', to: 'xiaohongshu', amountMinor: 20_000 })

    const viewer = await tokenFor(chorus.ctx.database.db, ws.workspaceId, 'viewer', chorus.clock.now())
    expect((await api('POST', `/campaigns/${campaignId}/alerts/${cpa.id}/confirm`, { actionId: 'shift-douyin-xiaohongshu' }, viewer)).statusCode).toBe(403)
    expect((await api('POST', `/campaigns/${campaignId}/alerts/${cpa.id}/confirm`, { actionId: 'no-such-action' })).statusCode).toBe(404)

    const confirmed = await api('POST', `/campaigns/${campaignId}/alerts/${cpa.id}/confirm`, { actionId: 'shift-douyin-xiaohongshu', note: '抖音先减半' })
    expect(confirmed.statusCode).toBe(200)
    expect(confirmed.json().alert).toMatchObject({ status: 'confirmed', decision: { action: { id: 'shift-douyin-xiaohongshu' }, note: '抖音先减半' } })
    expect(confirmed.json().alert.decidedBy).toEqual(expect.any(String))
    const plan = (await api('GET', `/campaigns/${campaignId}`)).json().plan
    expect(plan.strategy.budget.lines).toEqual([
      { channel: 'douyin', amountMinor: 50_000 },
      { channel: 'xiaohongshu', amountMinor: 150_000 },
      { channel: 'baidu_search', amountMinor: 100_000 },
    ])
    const edits = (await api('GET', `/campaigns/${campaignId}/edits`)).json().items
    const last = edits[edits.length - 1]
    expect(last.reason).toBe(`alert ${cpa.id} confirmed: ${cpa.actions[1]!.description}`)
    expect(last.changes).toEqual([
      { path: 'strategy.budget.lines[douyin].amountMinor', before: 100_000, after: 50_000 },
      { path: 'strategy.budget.lines[xiaohongshu].amountMinor', before: 100_000, after: 150_000 },
    ])
    expect((await api('POST', `/campaigns/${campaignId}/alerts/${cpa.id}/dismiss`, {})).statusCode).toBe(409)

    const dismissed = await api('POST', `/campaigns/${campaignId}/alerts/${behind.id}/dismiss`, { note: '上新第一周正常' })
    expect(dismissed.json().alert).toMatchObject({ status: 'dismissed', decision: { action: null, note: '上新第一周正常' } })
    // Both conditions still hold, but decided alerts stay quiet for a day.
    expect((await api('POST', `/campaigns/${campaignId}/alerts/evaluate`)).json().items).toEqual([])
    const all = (await api('GET', `/campaigns/${campaignId}/alerts`)).json().items
    expect(all.map((a: { status: string }) => a.status).sort()).toEqual(['confirmed', 'dismissed'])
  })
})
