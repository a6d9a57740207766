import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../test/support/chorus.ts'
import { createAudience } from '../audiences/index.ts'
import { TEST_HOUSE, tokenFor } from '../content/store/test-fixtures.ts'

const GOALS = [
  { id: 'revenue', statement: '上新期间销售额 ¥100,000', metric: 'revenue', target: 10_000_000, baseline: { kind: 'previous-period' }, deadline: '2026-03-31', why: '新品站稳' },
  { id: 'vague', statement: '让更多人知道我们' },
]
const MIX = [
  { channel: 'douyin', roles: { awareness: 'reach' } },
  { channel: 'xiaohongshu', roles: { consideration: 'engage', decision: 'convert' } },
]
const TASKS = [
  { id: 'brief', name: '简报', owner: '王芳', department: 'marketing', start: '2026-02-20', end: '2026-02-21' },
  { id: 'copy', name: '文案', owner: '李雷', department: 'marketing', start: '2026-02-22', end: '2026-02-24', dependsOn: ['brief'] },
  { id: 'launch', name: '上线', owner: '王芳', department: 'marketing', start: '2026-03-01', end: '2026-03-01', dependsOn: ['copy'] },
]

describe.each(DIALECTS)('campaign planner API on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect, { start: Date.UTC(2026, 1, 1) })
  })
  afterAll(() => chorus.close())

  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, headers: object, payload?: object) =>
    chorus.app.inject({ method, url: `/api/v1${url}`, headers: headers as Record<string, string>, ...(payload ? { payload } : {}) })
  async function campaignIn(ws: TestWorkspace) {
    const res = await api('POST', '/campaigns', ws.bearer, { name: '三月上新', brand: '和声优品', startsAt: '2026-03-01', endsAt: '2026-03-31' })
    expect(res.statusCode).toBe(201)
    return res.json()
  }

  it('describes the planner\'s routes in the OpenAPI document', async () => {
    const paths = Object.keys((await chorus.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths)
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/campaigns', '/api/v1/campaigns/{id}/strategy', '/api/v1/campaigns/{id}/calendar.ics', '/api/v1/campaigns/{id}/alerts/{alertId}/confirm', '/api/v1/campaigns/{id}/review.pdf', '/api/v1/lessons/search']))
  })

  it('creates a campaign in the workspace\'s zone and currency, and refuses impossible dates by name', async () => {
    const ws = await newWorkspace(chorus)
    const campaign = await campaignIn(ws)
    expect(campaign).toMatchObject({ status: 'planning', timezone: 'Asia/Shanghai', currency: 'CNY', startsAt: '2026-02-28T16:00:00.000Z', endsAt: '2026-03-31T16:00:00.000Z', planVersion: 1 })
    const bad = await api('POST', '/campaigns', ws.bearer, { name: 'x', brand: 'y', startsAt: '2026-03-31', endsAt: '2026-03-01', timezone: 'Mars/Olympus' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('Mars/Olympus')
    const backwards = await api('POST', '/campaigns', ws.bearer, { name: 'x', brand: 'y', startsAt: '2026-03-31', endsAt: '2026-03-01' })
    expect(backwards.json().error.message).toContain('ends (2026-03-01) before it starts (2026-03-31)')
    const viewer = await tokenFor(chorus.ctx.database.db, ws.workspaceId, 'viewer', chorus.clock.now())
    expect((await api('POST', '/campaigns', viewer, { name: 'x', brand: 'y', startsAt: '2026-03-01', endsAt: '2026-03-02' })).statusCode).toBe(403)
    expect((await api('GET', `/campaigns/${campaign.id}`, viewer)).statusCode).toBe(200)
  })

  it('stores goals and says which SMART letters each one lacks', async () => {
    const ws = await newWorkspace(chorus)
    const campaign = await campaignIn(ws)
    const res = await api('PUT', `/campaigns/${campaign.id}/insight`, ws.bearer, { goals: GOALS, personas: [{ name: '健身白领', needs: ['补水'] }], resources: { budgetMinor: 50_000_000, team: [{ name: '王芳', department: 'marketing' }] } })
    expect(res.statusCode).toBe(200)
    const [revenue, vague] = res.json().smart
    // No orders before the campaign: achievability cannot be checked, which does not fail the goal.
    expect(revenue).toMatchObject({ goalId: 'revenue', smart: true, missing: [], letters: { A: { status: 'unverified' } } })
    expect(vague).toMatchObject({ goalId: 'vague', smart: false, missing: ['S', 'M', 'A', 'R', 'T'] })
    expect((await api('GET', `/campaigns/${campaign.id}/smart`, ws.bearer)).json().goals).toHaveLength(2)
    const dup = await api('PUT', `/campaigns/${campaign.id}/insight`, ws.bearer, { goals: [GOALS[0], GOALS[0]] })
    expect(dup.statusCode).toBe(400)
    expect(dup.json().error.message).toContain('two goals have the id "revenue"')

    const saved = await createAudience(chorus.ctx, ws.workspaceId, { name: '高价值会员', definition: { computed: 'lifetime_revenue', op: '>=', value: 1000 } })
    if (saved.kind !== 'Saved') throw new Error('audience not created')
    const unknown = await api('PUT', `/campaigns/${campaign.id}/insight`, ws.bearer, { goals: GOALS, audiences: [{ audienceId: saved.audience.id }, { audienceId: 'aud_nope', name: '新客' }] })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.message).toBe('the goals and insight are not valid: no audience aud_nope (新客) in this workspace')
    const linked = await api('PUT', `/campaigns/${campaign.id}/insight`, ws.bearer, { goals: GOALS, audiences: [{ audienceId: saved.audience.id, name: '高价值会员' }] })
    expect(linked.json().campaign.plan.insight.audiences).toEqual([{ audienceId: saved.audience.id, name: '高价值会员', role: 'primary' }])
  })

  it('refuses a budget that does not add up, naming the difference, and answers a forecast for one that does', async () => {
    const ws = await newWorkspace(chorus)
    const campaign = await campaignIn(ws)
    const short = await api('PUT', `/campaigns/${campaign.id}/strategy`, ws.bearer, { channelMix: MIX, budget: { totalMinor: 10_000_000, lines: [{ channel: 'douyin', amountMinor: 6_000_000 }, { channel: 'xiaohongshu', amountMinor: 3_500_000 }] } })
    expect(short.statusCode).toBe(400)
    expect(short.json().error.message).toContain('budget lines come to ¥95,000.00: ¥5,000.00 short of the total ¥100,000.00')
    expect(short.json().error.details[0].code).toBe('budget.does-not-add-up')
    const unknownHouse = await api('PUT', `/campaigns/${campaign.id}/strategy`, ws.bearer, { houseId: 'mh_nope', channelMix: MIX })
    expect(unknownHouse.json().error.message).toContain('no message house mh_nope')
    // Nothing of a refused section is stored: the plan is as it was, with no edit in its audit.
    const untouched = (await api('GET', `/campaigns/${campaign.id}`, ws.bearer)).json()
    expect(untouched.planVersion).toBe(campaign.planVersion)
    expect(untouched.plan.strategy.channelMix).toEqual([])
    expect((await api('GET', `/campaigns/${campaign.id}/edits`, ws.bearer)).json().items).toEqual([])

    const house = (await api('POST', '/content/houses', ws.bearer, { name: '上新', house: TEST_HOUSE })).json()
    const ok = await api('PUT', `/campaigns/${campaign.id}/strategy`, ws.bearer, {
      houseId: house.id,
      channelMix: [MIX[0], { ...MIX[1], assumedRoas: 3 }],
      budget: { totalMinor: 10_000_000, lines: [{ channel: 'douyin', amountMinor: 6_000_000 }, { channel: 'xiaohongshu', amountMinor: 3_500_000 }], test: { amountMinor: 500_000, channels: ['bilibili'], hypothesis: 'B站种草' } },
    })
    expect(ok.statusCode).toBe(200)
    const { campaign: saved, forecast } = ok.json()
    expect(saved.houseId).toBe(house.id)
    expect(forecast.method).toBe('stated-assumptions')
    expect(forecast.channels).toEqual([
      expect.objectContaining({ channel: 'douyin', basis: 'none', forecastRevenueMinor: null }),
      expect.objectContaining({ channel: 'xiaohongshu', basis: 'assumed-roas', forecastRevenueMinor: 10_500_000 }),
    ])
    expect(forecast.assumptions.join('\n')).toContain('test budget ¥5,000.00 on bilibili')
  })

  it('refuses cyclic or mis-dated execution plans naming the tasks, and serves the schedule and an iCalendar file', async () => {
    const ws = await newWorkspace(chorus)
    const campaign = await campaignIn(ws)
    const cyclic = await api('PUT', `/campaigns/${campaign.id}/execution`, ws.bearer, { tasks: TASKS.map((t) => (t.id === 'brief' ? { ...t, dependsOn: ['launch'] } : t)) })
    expect(cyclic.statusCode).toBe(400)
    expect(cyclic.json().error.message).toContain('brief → copy → launch → brief')
    const backwards = await api('PUT', `/campaigns/${campaign.id}/execution`, ws.bearer, { tasks: [{ ...TASKS[0], start: '2026-02-25', end: '2026-02-21' }] })
    expect(backwards.json().error.message).toContain('task "brief" (简报) ends')
    const missing = await api('PUT', `/campaigns/${campaign.id}/execution`, ws.bearer, { tasks: [{ ...TASKS[0], deliverables: [{ kind: 'variant', ref: 'var_nope', title: '笔记' }] }] })
    expect(missing.json().error.message).toContain('delivers variant var_nope, which does not exist')
    expect((await api('GET', `/campaigns/${campaign.id}`, ws.bearer)).json().plan.execution.tasks).toEqual([])

    const res = await api('PUT', `/campaigns/${campaign.id}/execution`, ws.bearer, { tasks: TASKS })
    expect(res.statusCode).toBe(200)
    expect(res.json().schedule.criticalPath).toEqual(['brief', 'copy', 'launch'])
    const schedule = (await api('GET', `/campaigns/${campaign.id}/schedule`, ws.bearer)).json()
    expect(schedule.gantt.rows.map((r: { id: string }) => r.id)).toEqual(['brief', 'copy', 'launch'])
    expect(schedule.tasks.find((t: { id: string }) => t.id === 'launch').slackDays).toBe(0)

    const ics = await api('GET', `/campaigns/${campaign.id}/calendar.ics`, ws.bearer)
    expect(ics.statusCode).toBe(200)
    expect(ics.headers['content-type']).toContain('text/calendar')
    expect(ics.body).toContain('DTSTART:20260219T160000Z')
    expect(ics.body.match(/BEGIN:VEVENT\r\n/g)).toHaveLength(3)
  })

  it('launches only a plan whose goals are SMART and whose budget holds, and keeps an audit of every edit', async () => {
    const ws = await newWorkspace(chorus)
    const campaign = await campaignIn(ws)
    await api('PUT', `/campaigns/${campaign.id}/insight`, ws.bearer, { goals: GOALS })
    const refused = await api('POST', `/campaigns/${campaign.id}/launch`, ws.bearer)
    expect(refused.statusCode).toBe(400)
    const codes = refused.json().error.details.map((p: { code: string; subjects: string[] }) => `${p.code}:${p.subjects.join(',')}`)
    expect(codes).toEqual(['launch.goal-not-smart:vague', 'launch.no-channels:', 'launch.no-budget:'])
    expect(refused.json().error.message).toContain('S — name the metric')

    await api('PUT', `/campaigns/${campaign.id}/insight`, ws.bearer, { goals: [GOALS[0]] })
    await api('PUT', `/campaigns/${campaign.id}/strategy`, ws.bearer, { channelMix: MIX, budget: { totalMinor: 100, lines: [{ channel: 'douyin', amountMinor: 100 }] } })
    chorus.clock.set(Date.UTC(2026, 1, 20))
    const launched = await api('POST', `/campaigns/${campaign.id}/launch`, ws.bearer)
    expect(launched.statusCode).toBe(200)
    expect(launched.json().status).toBe('running')
    expect((await api('POST', `/campaigns/${campaign.id}/launch`, ws.bearer)).statusCode).toBe(409)
    expect((await api('GET', '/campaigns?status=running', ws.bearer)).json().items.map((c: { id: string }) => c.id)).toEqual([campaign.id])

    const edits = (await api('GET', `/campaigns/${campaign.id}/edits`, ws.bearer)).json().items
    expect(edits.map((e: { section: string }) => e.section)).toEqual(['insight', 'insight', 'strategy', 'campaign'])
    expect(edits[1].changes).toEqual([{ path: 'insight.goals[vague]', before: { id: 'vague', statement: '让更多人知道我们' }, after: undefined }])
    expect(edits[3]).toMatchObject({ reason: 'launched', changes: [{ path: 'campaign.status', before: 'planning', after: 'running' }] })
  })
})
