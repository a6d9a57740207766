import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'

// The campaign runs 2026-03-01 to 2026-03-10 in Asia/Shanghai (UTC+8); the clock stands inside it.
const at = (day: number, hour = 12) => Date.UTC(2026, 2, day, hour - 8)
const iso = (ms: number) => new Date(ms).toISOString()
const page = (who: object, ms: number, source?: string) => ({ type: 'page', name: 'Home', timestamp: iso(ms), ...who, ...(source ? { context: { campaign: { source, medium: 'cpc', name: 'launch' } } } : {}) })
const order = (who: object, ms: number, yuan: number) => ({ type: 'track', event: 'Order Completed', timestamp: iso(ms), properties: { order_id: `o-${ms}-${yuan}`, total: yuan, currency: 'CNY' }, ...who })
const LOG = [
  page({ userId: 'a' }, at(2), 'douyin'),
  order({ userId: 'a' }, at(2, 15), 50),
  page({ anonymousId: 'anon-b' }, at(3), 'xiaohongshu'),
  { type: 'track', event: 'Signed Up', userId: 'b', timestamp: iso(at(3, 13)) },
  page({ userId: 'c' }, at(4), 'baidu'),
  order({ userId: 'c' }, at(4, 15), 30),
]

/**
 * The KPIs a dashboard asks for again and again are kept between calls while the log stands
 * still; these cases hold them to a direct count of the log after each kind of change.
 */
describe.each(DIALECTS)('campaign KPIs stay equal to the log on %s', (dialect) => {
  let chorus: TestChorus
  let ws: TestWorkspace
  let campaignId: string
  const from = Date.parse('2026-03-01T00:00:00+08:00')

  beforeAll(async () => {
    chorus = await startTestChorus(dialect, { start: at(5) })
    ws = await newWorkspace(chorus)
    await track(...LOG)
    const created = await api('POST', '/campaigns', { name: '三月上新', brand: '和声优品', startsAt: '2026-03-01', endsAt: '2026-03-10', timezone: 'Asia/Shanghai', currency: 'CNY' })
    expect(created.statusCode).toBe(201)
    campaignId = created.json().id
    const insight = await api('PUT', `/campaigns/${campaignId}/insight`, {
      goals: [{ id: 'douyin-reach', statement: '抖音触达 3 人', metric: 'reach', channel: 'douyin', target: 3, baseline: { kind: 'value', value: 1 }, deadline: '2026-03-10', why: '认知' }],
    })
    expect(insight.statusCode).toBe(200)
    const strategy = await api('PUT', `/campaigns/${campaignId}/strategy`, { channelMix: [{ channel: 'douyin', roles: { awareness: 'reach' } }, { channel: 'baidu_search', roles: { decision: 'convert' }, logSources: ['baidu'] }] })
    expect(strategy.statusCode).toBe(200)
  })
  afterAll(() => chorus.close())

  function api(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) {
    return chorus.app.inject({ method, url: `/api/v1${url}`, headers: ws.bearer, ...(payload ? { payload } : {}) })
  }
  async function track(...calls: object[]) {
    const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch: calls } })
    expect(res.statusCode).toBe(200)
  }
  async function kpis() {
    const res = await api('GET', `/campaigns/${campaignId}/kpis`)
    expect(res.statusCode).toBe(200)
    return res.json()
  }

  /** The KPIs counted straight from the log's rows, for the window up to the clock. */
  async function counted() {
    const to = chorus.clock.now()
    const rows = await sql<{ person: string | null; visitor: string | null; type: string; event: string | null; channel: string | null; order_minor: number | string | null }>`
      select coalesce(p.merged_into, e.profile_id) as person, coalesce(p.merged_into, e.profile_id, e.anonymous_id) as visitor, e.type, e.event, e.channel, e.order_minor
      from events e left join profiles p on p.workspace_id = e.workspace_id and p.id = e.profile_id
      where e.workspace_id = ${ws.workspaceId} and e.timestamp >= ${from} and e.timestamp < ${to}`.execute(chorus.ctx.database.db)
    const people = new Set(rows.rows.flatMap((r) => (r.person ? [r.person] : [])))
    const views = rows.rows.filter((r) => r.type === 'page' || r.type === 'screen')
    const douyin = new Set(rows.rows.flatMap((r) => (r.person && r.channel === 'douyin' ? [r.person] : [])))
    return {
      reach: people.size,
      views: views.length,
      visitors: new Set(views.flatMap((r) => (r.visitor ? [r.visitor] : []))).size,
      conversions: rows.rows.filter((r) => r.event === 'Order Completed').length,
      revenueMinor: rows.rows.reduce((s, r) => s + (r.order_minor === null ? 0 : Number(r.order_minor)), 0),
      douyinReach: douyin.size,
    }
  }
  async function expectLogCounts() {
    const [answer, log] = [await kpis(), await counted()]
    expect({
      reach: answer.kpis.reach,
      views: answer.kpis.traffic.views,
      visitors: answer.kpis.traffic.visitors,
      conversions: answer.kpis.conversions,
      revenueMinor: answer.kpis.revenueMinor,
      douyinReach: answer.goals[0].actual,
    }).toEqual(log)
    return answer
  }

  it('answers the counts of the log, and the same again while the log stands still and the clock moves', async () => {
    const first = await expectLogCounts()
    // A, B anonymous, B signed in (two people until an identify joins them) and C.
    expect(first.kpis).toMatchObject({ reach: 4, conversions: 2, revenueMinor: 8_000, traffic: { views: 3, visitors: 3 } })
    expect(first.goals[0].actual).toBe(1)
    chorus.clock.set(at(5, 18))
    const later = await kpis()
    expect(later.kpis).toEqual(first.kpis)
    expect(later.channels).toEqual(first.channels)
    expect(later.window.to).not.toBe(first.window.to)
  })

  it('counts an event that arrives after the KPIs were read: a view, a Douyin visitor and an order', async () => {
    const before = await kpis()
    chorus.clock.set(at(6, 12))
    await track(page({ userId: 'd' }, at(6, 11), 'douyin'), order({ userId: 'd' }, at(6, 11), 120))
    const after = await expectLogCounts()
    expect(after.kpis.reach).toBe(before.kpis.reach + 1)
    expect(after.kpis.traffic.views).toBe(before.kpis.traffic.views + 1)
    expect(after.kpis.conversions).toBe(before.kpis.conversions + 1)
    expect(after.kpis.revenueMinor).toBe(before.kpis.revenueMinor + 12_000)
    expect(after.goals[0].actual).toBe(before.goals[0].actual + 1)
    expect(after.channels.find((c: { channel: string }) => c.channel === 'douyin').conversions).toBe(2)
  })

  it('counts an event dated ahead of the clock once the clock passes it, with no new event between', async () => {
    await kpis()
    chorus.clock.set(at(7, 9))
    await track(page({ userId: 'e' }, at(7, 10), 'douyin'))
    // Read with the window ending before the event, then after it, at the same log state: the two
    // ends must not share an answer, so the workspace's latest event time must include it.
    const before = await expectLogCounts()
    chorus.clock.set(at(7, 12))
    const after = await expectLogCounts()
    expect(after.kpis.traffic.views).toBe(before.kpis.traffic.views + 1)
  })

  it('counts a merged person once from the merge on', async () => {
    const before = await kpis()
    // B's anonymous visit and B signed in were two people until the identify joins them.
    await track({ type: 'identify', anonymousId: 'anon-b', userId: 'b', timestamp: iso(at(6, 11)) })
    const after = await expectLogCounts()
    expect(after.kpis.reach).toBe(before.kpis.reach - 1)
  })

  it('drops a deleted person\'s events at once, though the log gains no event', async () => {
    const before = await kpis()
    const lastSeq = async () => Number((await sql<{ seq: number | string }>`select max(seq) as seq from events`.execute(chorus.ctx.database.db)).rows[0]!.seq)
    const seq = await lastSeq()
    const c = await chorus.ctx.database.db.selectFrom('identities').select('profile_id').where('workspace_id', '=', ws.workspaceId).where('type', '=', 'user_id').where('value', '=', 'c').executeTakeFirstOrThrow()
    expect((await api('DELETE', `/profiles/${c.profile_id}`)).statusCode).toBe(200)
    expect(await lastSeq()).toBe(seq)
    const after = await expectLogCounts()
    expect(after.kpis).toMatchObject({ reach: before.kpis.reach - 1, conversions: before.kpis.conversions - 1, revenueMinor: before.kpis.revenueMinor - 3_000 })
    expect(after.kpis.traffic.bySource.find((s: { source: string }) => s.source === 'baidu')).toBeUndefined()
  })
})
