import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { generateDemo, toHttpRequest } from '../../demo/index.ts'
import { CHROMIUM_PATH } from './pdf.ts'
import { seedDemoCampaign, type DemoCampaignReport } from '../demo-campaign.ts'
import { CampaignPlanner } from '../planner.ts'

/** The demo brand's traffic, written through the tracking APIs in-process, then its campaign. */
describe.each(DIALECTS)('the demo campaign and its review on %s', (dialect) => {
  let chorus: TestChorus
  let ws: TestWorkspace
  let seeded: DemoCampaignReport
  beforeAll(async () => {
    chorus = await startTestChorus(dialect, { start: Date.UTC(2026, 2, 1) })
    ws = await newWorkspace(chorus)
    const name = (await chorus.ctx.database.db.selectFrom('workspaces').select('name').where('id', '=', ws.workspaceId).executeTakeFirstOrThrow()).name
    const target = { baseUrl: '', writeKey: ws.writeKey, sensorsProject: name, sensorsGzip: false }
    for (const batch of generateDemo({ people: 160, days: 14, seed: 7, start: '2026-01-05' })) {
      const request = toHttpRequest(batch, target, chorus.clock.now())
      const res = await chorus.app.inject({ method: 'POST', url: request.url, headers: request.headers, payload: request.body })
      expect(res.statusCode).toBe(200)
    }
    seeded = await seedDemoCampaign(chorus.ctx, ws.workspaceId)
  }, 120_000)
  afterAll(() => chorus.close())

  const api = (url: string, method: 'GET' | 'POST' = 'GET') => chorus.app.inject({ method, url: `/api/v1${url}`, headers: ws.bearer })

  it('seeds a finished campaign with its message house, variants, plan and kept review, once', async () => {
    expect(seeded.created).toBe(true)
    const campaign = (await api(`/campaigns/${seeded.campaignId}`)).json()
    expect(campaign).toMatchObject({ name: '活力健康新品上市', brand: '和声优品', status: 'finished', houseId: seeded.houseId })
    expect(campaign.startsAt).toBe('2026-01-04T16:00:00.000Z')
    expect(campaign.plan.insight.goals.map((g: { id: string }) => g.id)).toEqual(['revenue', 'orders', 'reach', 'members'])
    const schedule = (await api(`/campaigns/${seeded.campaignId}/schedule`)).json()
    expect(schedule.conflicts.map((c: { kind: string }) => c.kind).sort()).toEqual(['dependency-overlap', 'owner-double-booked'])
    expect(schedule.criticalPath.at(-1)).toBe('retro')
    const again = await seedDemoCampaign(chorus.ctx, ws.workspaceId)
    expect(again).toMatchObject({ created: false, campaignId: seeded.campaignId })
  })

  it('catches the deliberate content problems: a 全网第一, an over-length Xiaohongshu title, two prices for one offer', async () => {
    const douyin = (await api(`/content/variants/${seeded.variants['douyin-launch']}`)).json()
    expect(douyin.check.report.items.some((i: { code: string; where: Array<{ text: string }> }) => i.code === 'ad-law.block' && i.where[0]?.text === '全网第一')).toBe(true)
    expect(douyin.state).toBe('draft')
    const history = (await api(`/content/variants/${seeded.variants['douyin-launch']}/history`)).json().items
    expect(history.find((h: { action: string }) => h.action === 'rejected')).toMatchObject({ role: 'content_reviewer', comment: expect.stringContaining('全网第一') })
    const xhs = (await api(`/content/variants/${seeded.variants['xhs-note']}`)).json()
    expect(xhs.check.report.items.some((i: { code: string; where: Array<{ field: string }> }) => i.code === 'channel.length.max' && i.where[0]?.field === 'title')).toBe(true)
    const report = (await api(`/content/houses/${seeded.houseId}/report`)).json()
    const price = report.items.find((i: { check: string; code: string }) => i.check === 'contradiction')
    expect(price.where.map((w: { variantId: string }) => w.variantId)).toContain(seeded.variants['email-decision'])
    expect((await api(`/content/variants/${seeded.variants['wechat-article']}`)).json().state).toBe('published')
  })

  it('generates the review: goals against targets, KPIs, channels, content, what changed, alerts and lessons', async () => {
    const review = (await api(`/campaigns/${seeded.campaignId}/review`)).json()
    expect(review.stored).toBe(true)
    expect(review.finished).toBe(true)
    for (const goal of review.goals) {
      expect(['achieved', 'missed']).toContain(goal.verdict)
      expect(goal.difference).toBe(goal.metric === 'cac' ? goal.target - goal.actual : Math.round((goal.actual - goal.target) * 100) / 100)
    }
    expect(review.kpis.conversions).toBeGreaterThan(0)
    expect(review.content).toMatchObject({ available: true, houseId: seeded.houseId })
    expect(review.content.blocking.map((b: { channel: string }) => b.channel).sort()).toEqual(['douyin-caption', 'xiaohongshu-note'])
    const during = review.changes.filter((c: { duringCampaign: boolean }) => c.duringCampaign)
    expect(during.some((c: { reason: string | null }) => c.reason?.startsWith('B站测试素材未按时交付'))).toBe(true)
    expect(review.lessons).toHaveLength(3)

    const md = await api(`/campaigns/${seeded.campaignId}/review.md`)
    expect(md.statusCode).toBe(200)
    expect(md.headers['content-type']).toContain('text/markdown')
    const text = md.body
    expect(text.startsWith('# Campaign review: 活力健康新品上市\n')).toBe(true)
    expect(text).toContain('和声优品 · 2026-01-05 – 2026-01-18 (Asia/Shanghai) · status finished')
    for (const heading of ['## Goals', '## KPIs', '## Channels: ROI and attribution', '## Journeys', '## Content consistency', '## What changed during the campaign', '## Alerts and decisions', '## Lessons']) {
      expect(text).toContain(`\n${heading}\n`)
    }
    const revenue = review.goals.find((g: { goalId: string }) => g.goalId === 'revenue')
    expect(text).toContain(`| revenue: ${revenue.statement} | revenue |`)
    expect(text).toMatch(/Blocked: douyin-caption · awareness \(var_\w+\): .*全网第一/)
    expect(text).toContain('Contradiction: price differs')
    expect(text).toContain('`strategy.budget.test`')
    expect(text).toContain('**小红书种草带动天猫成交**')
  })

  it('prints the review to PDF with Chromium, or says plainly that Chromium is missing', async () => {
    const res = await api(`/campaigns/${seeded.campaignId}/review.pdf`)
    if (existsSync(CHROMIUM_PATH)) {
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('application/pdf')
      expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    } else {
      expect(res.statusCode).toBe(503)
      expect(res.json().error.message).toContain('apt-get install -y chromium')
    }
  }, 60_000)

  it('keeps the complete review even when the hourly monitor finishes the campaign while it is seeded', async () => {
    // The monitor job finishes a running campaign past its end; here it does so just as the
    // first lesson is written, as it would if its hour struck mid-seed.
    class MonitorStrikes extends CampaignPlanner {
      struck = false
      override async addLesson(input: Parameters<CampaignPlanner['addLesson']>[0]) {
        if (!this.struck && input.campaign) {
          this.struck = true
          const running = (await this.get(input.workspaceId, input.campaign.id))!
          expect((await this.finish({ campaign: running, actor: 'system', now: input.now, reason: 'the campaign reached its end date' })).ok).toBe(true)
        }
        return super.addLesson(input)
      }
    }
    const other = await newWorkspace(chorus)
    const planner = new MonitorStrikes({ database: chorus.ctx.database, hub: (await CampaignPlanner.open({ database: chorus.ctx.database })).deps.hub })
    const report = await seedDemoCampaign(chorus.ctx, other.workspaceId, { planner })
    expect(planner.struck).toBe(true)
    const review = (await chorus.app.inject({ method: 'GET', url: `/api/v1/campaigns/${report.campaignId}/review`, headers: other.bearer })).json()
    expect(review).toMatchObject({ stored: true, finished: true })
    expect(review.lessons).toHaveLength(3)
    // Finished once, by the monitor; the seed's own finish then only keeps the complete review.
    const edits = (await chorus.app.inject({ method: 'GET', url: `/api/v1/campaigns/${report.campaignId}/edits`, headers: other.bearer })).json().items
    const finishes = edits.filter((e: { changes: Array<{ path: string; after: unknown }> }) => e.changes.some((c) => c.path === 'campaign.status' && c.after === 'finished'))
    expect(finishes.map((e: { actor: string }) => e.actor)).toEqual(['system'])
  })

  it('finds lessons in Chinese and English and suggests them to a similar new campaign', async () => {
    const zh = (await api(`/lessons/search?q=${encodeURIComponent('小红书')}`)).json()
    expect(zh.items[0].lesson.title).toBe('小红书种草带动天猫成交')
    const en = (await api('/lessons/search?q=incrementality')).json()
    expect(en.items.map((i: { lesson: { title: string } }) => i.lesson.title)).toEqual(['Brand search collects last clicks'])

    const next = await chorus.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: ws.bearer, payload: { name: '秋季复购', brand: '和声优品', startsAt: '2026-09-01', endsAt: '2026-09-30' } })
    const id = next.json().id
    await chorus.app.inject({ method: 'PUT', url: `/api/v1/campaigns/${id}/insight`, headers: ws.bearer, payload: { goals: [{ id: 'rev', statement: '小红书种草带动复购销售额', metric: 'revenue' }] } })
    await chorus.app.inject({ method: 'PUT', url: `/api/v1/campaigns/${id}/strategy`, headers: ws.bearer, payload: { channelMix: [{ channel: 'xiaohongshu', roles: { consideration: 'engage' } }, { channel: 'tmall', roles: { decision: 'convert' } }] } })
    const suggested = (await api(`/campaigns/${id}/lessons/suggested`)).json().items
    expect(suggested[0].lesson.title).toBe('小红书种草带动天猫成交')
    expect(suggested[0].similarity).toMatchObject({ sharedChannels: ['xiaohongshu', 'tmall'], sharedMetrics: ['revenue'] })
    expect(suggested.map((s: { lesson: { title: string } }) => s.lesson.title)).not.toContain('Brand search collects last clicks')
  })
})
