import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/platform/index.ts'
import { seedDemoIfEmpty } from '../../src/cli/demo-seed.ts'
import { createAdminToken, ensureDefaultWorkspace } from '../../src/workspaces/index.ts'
import { DIALECTS } from '../support/databases.ts'
import { startTestChorus, type TestChorus } from '../support/chorus.ts'

/**
 * What `chorus serve` seeds into a fresh database: the demo brand's traffic through the tracking
 * API, then its launch campaign — and what the dashboard then shows of it.
 */
describe.each(DIALECTS)('seeding the demo on a fresh %s database', (dialect) => {
  let chorus: TestChorus
  let workspaceId: string
  let bearer: { authorization: string }
  let baseUrl: string
  let writeKey: string
  const out = mkdtempSync(join(tmpdir(), 'chorus-demo-seed-'))
  const seed = () => seedDemoIfEmpty({ ctx: chorus.ctx, baseUrl, writeKey, workspaceId, logger: silentLogger(), people: 200, days: 21, outDir: out })

  beforeAll(async () => {
    chorus = await startTestChorus(dialect, { start: Date.now() })
    const { workspace, source } = await ensureDefaultWorkspace(chorus.ctx.database.db, chorus.clock.now())
    workspaceId = workspace.id
    writeKey = source.writeKey
    bearer = { authorization: `Bearer ${(await createAdminToken(chorus.ctx.database.db, { workspaceId, name: 'test', role: 'admin', now: chorus.clock.now() })).token}` }
    baseUrl = await chorus.app.listen({ host: '127.0.0.1', port: 0 })
    await seed()
  }, 240_000)
  afterAll(async () => {
    await chorus.close()
    rmSync(out, { recursive: true, force: true })
  })

  const api = async (url: string) => {
    const res = await chorus.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer })
    expect(res.statusCode, url).toBe(200)
    return res.json()
  }

  const count = async (table: 'campaigns' | 'content_houses' | 'content_variants' | 'campaign_lessons' | 'measurement_spend') => {
    const row = await chorus.ctx.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()
    return Number(row.n)
  }

  it('lists one finished demo campaign with goals, channel mix and a budget that adds up', async () => {
    const list = await api('/campaigns')
    expect(list.items).toHaveLength(1)
    const campaign = list.items[0]
    expect(campaign).toMatchObject({ name: '活力健康新品上市', brand: '和声优品', status: 'finished', currency: 'CNY', timezone: 'Asia/Shanghai' })
    expect(campaign.plan.insight.goals.map((g: { id: string }) => g.id)).toEqual(['revenue', 'orders', 'reach', 'members'])
    const smart = await api(`/campaigns/${campaign.id}/smart`)
    // Every goal names a metric, a number, a baseline and a deadline; a launch has no history to check A against.
    expect(smart.goals.map((g: { goalId: string; missing: string[] }) => [g.goalId, g.missing])).toEqual([['revenue', []], ['orders', []], ['reach', []], ['members', []]])
    expect(smart.goals[0].letters.A.status).toBe('unverified')
    const { channelMix, budget, houseId } = campaign.plan.strategy
    expect(houseId).toBe(campaign.houseId)
    expect(channelMix.map((c: { channel: string }) => c.channel)).toEqual(['wechat_official_account', 'douyin', 'xiaohongshu', 'weibo', 'baidu_search', 'sms', 'email'])
    const lines = budget.lines.reduce((sum: number, l: { amountMinor: number }) => sum + l.amountMinor, 0)
    expect(lines + (budget.test?.amountMinor ?? 0)).toBe(budget.totalMinor)
  })

  it('shows the message house with its channel variants, each checked and scored, and the problems the checks catch', async () => {
    const { items: houses } = await api('/content/houses')
    expect(houses).toHaveLength(1)
    const matrix = await api(`/content/houses/${houses[0].id}/matrix`)
    expect(matrix.cells).toHaveLength(9)
    for (const cell of matrix.cells) {
      expect(cell.score).toBeGreaterThanOrEqual(0)
      expect(cell.score).toBeLessThanOrEqual(100)
      const variant = await api(`/content/variants/${cell.variantId}`)
      for (const item of variant.check.report.items) expect(item.why.length, `${cell.channel} ${item.code}`).toBeGreaterThan(0)
    }
    expect(matrix.cells.map((c: { state: string }) => c.state).sort()).toEqual(['approved', 'draft', 'draft', 'in_review', 'in_review', 'published', 'published', 'published', 'published'])
    const douyin = matrix.cells.find((c: { channel: string }) => c.channel === 'douyin-caption')
    expect(douyin).toMatchObject({ state: 'draft', blocks: 1 })
    const report = await api(`/content/houses/${houses[0].id}/report`)
    expect(report.score).toBe(houses[0].score)
    expect(report.items.map((i: { code: string }) => i.code)).toContain('contradiction.price')
    const approvals = await api(`/content/variants/${matrix.cells.find((c: { channel: string }) => c.channel === 'wechat-article').variantId}/history`)
    expect(approvals.items.find((h: { action: string }) => h.action === 'approved')).toMatchObject({ role: 'content_reviewer' })
  })

  it('has tasks with owners and dependencies, a critical path and the two planted conflicts', async () => {
    const { id } = (await api('/campaigns')).items[0]
    const schedule = await api(`/campaigns/${id}/schedule`)
    expect(schedule.tasks).toHaveLength(13)
    for (const task of schedule.tasks) expect(task.owner).toBeTruthy()
    expect(schedule.tasks.find((t: { id: string }) => t.id === 'launch').dependsOn).toEqual(['media', 'crm', 'pop', 'faq', 'training'])
    expect(schedule.criticalPath[0]).toBe('brief')
    expect(schedule.criticalPath.at(-1)).toBe('retro')
    expect(schedule.conflicts.map((c: { kind: string }) => c.kind).sort()).toEqual(['dependency-overlap', 'owner-double-booked'])
    const ics = await chorus.app.inject({ method: 'GET', url: `/api/v1/campaigns/${id}/calendar.ics`, headers: bearer })
    expect(ics.body.match(/BEGIN:VEVENT/g)).toHaveLength(13)
  })

  it('computes its KPIs live from the seeded log and the imported spend export', async () => {
    const { id } = (await api('/campaigns')).items[0]
    const { kpis, spend, goals } = await api(`/campaigns/${id}/kpis`)
    const db = chorus.ctx.database.db
    const orders = await db.selectFrom('events').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('order_minor').as('revenue')]).where('workspace_id', '=', workspaceId).where('event', '=', 'Order Completed').executeTakeFirstOrThrow()
    expect(kpis.conversions).toBe(Number(orders.n))
    expect(kpis.revenueMinor).toBe(Number(orders.revenue))
    expect(kpis.conversions).toBeGreaterThan(0)
    expect(kpis.reach).toBeGreaterThan(0)
    const csv = readFileSync(join(out, 'spend.csv'), 'utf8').trim().split('\n').slice(1)
    const costMinor = csv.reduce((sum, line) => sum + Math.round(Number(line.split(',')[5]) * 100), 0)
    expect(spend.totalMinor).toBe(costMinor)
    expect(kpis.roi).toBeCloseTo((kpis.revenueMinor - costMinor) / costMinor, 10)
    expect(goals.map((g: { goalId: string; actual: number | null }) => g.actual !== null)).toEqual([true, true, true, true])
  })

  it('keeps the finished review with lessons that the knowledge base finds', async () => {
    const { id } = (await api('/campaigns')).items[0]
    const review = await api(`/campaigns/${id}/review`)
    expect(review).toMatchObject({ stored: true, finished: true })
    for (const goal of review.goals) expect(['achieved', 'missed']).toContain(goal.verdict)
    expect(review.channels.available).toBe(true)
    expect(review.lessons).toHaveLength(3)
    const found = await api(`/lessons/search?q=${encodeURIComponent('广告法')}`)
    expect(found.items[0].lesson.title).toBe('文案先过合规再排期')
  })

  it('does not seed a second time when the server starts again', async () => {
    const before = { campaigns: await count('campaigns'), houses: await count('content_houses'), variants: await count('content_variants'), lessons: await count('campaign_lessons'), spend: await count('measurement_spend') }
    expect(before).toMatchObject({ campaigns: 1, houses: 1, variants: 9, lessons: 3 })
    const events = await chorus.ctx.database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    await seed()
    const after = { campaigns: await count('campaigns'), houses: await count('content_houses'), variants: await count('content_variants'), lessons: await count('campaign_lessons'), spend: await count('measurement_spend') }
    expect(after).toEqual(before)
    const eventsAfter = await chorus.ctx.database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(eventsAfter.n)).toBe(Number(events.n))
  })
})
