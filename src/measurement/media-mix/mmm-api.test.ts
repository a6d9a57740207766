import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { JobWorker, silentLogger } from '../../platform/index.ts'
import { backgroundWork } from '../../server/background.ts'
import { createAdminToken } from '../../workspaces/index.ts'
import { FIT_HEARTBEAT_MS, MMM_FIT_JOB, runMmmFitJob } from './mmm-jobs.ts'
import { applyAdstock, createSeededRandom, hill } from '../mmm/index.ts'

const DAY = 86_400_000
/** Midnight of 2025-03-01 in Asia/Shanghai (the workspace default), UTC+8. */
const START = Date.UTC(2025, 1, 28, 16, 0, 0)
const DAYS = 120

/**
 * 120 days of spend on two channels in flights, and the orders it causes: a base of 12 a day
 * plus douyin (carry-over 0.5) worth up to 30 and weibo (no carry-over) up to 8 a day. Each order
 * is written at a day-specific hour, the last ones at 23:50 Shanghai time (15:50 UTC), so a day
 * counted by its UTC date would be wrong.
 */
function simulate(seed: number) {
  const random = createSeededRandom(seed)
  const douyin = Array.from({ length: DAYS }, (_, d) => (Math.floor(d / 10) % 2 === 0 ? 400 + Math.round(random.next() * 800) : Math.round(random.next() * 50)))
  const weibo = Array.from({ length: DAYS }, (_, d) => (Math.floor(d / 7) % 3 !== 0 ? 200 + Math.round(random.next() * 300) : 0))
  const adDouyin = applyAdstock(douyin, { type: 'geometric', theta: 0.5 })
  const orders = Array.from({ length: DAYS }, (_, d) => Math.round(12 + 30 * hill(adDouyin[d]!, 1.5, 900) + 8 * hill(weibo[d]!, 1, 250) + (random.next() - 0.5) * 2))
  return { douyin, weibo, orders }
}

const dateOf = (day: number) => new Date(START + day * DAY + 8 * 3_600_000).toISOString().slice(0, 10)

describe.each(DIALECTS)('media-mix API (%s)', (dialect) => {
  let chorus: TestChorus
  let worker: JobWorker
  let ws: TestWorkspace
  const sim = simulate(7)
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    worker = new JobWorker({ queue: chorus.ctx.jobs, handlers: backgroundWork(chorus.ctx).jobHandlers, logger: silentLogger() })
    ws = await newWorkspace(chorus)
    const rows = sim.douyin.flatMap((cost, d) => [
      { date: dateOf(d), channel: 'douyin', campaign: '新品上市', cost },
      ...(sim.weibo[d]! > 0 ? [{ date: dateOf(d), channel: 'weibo', cost: sim.weibo[d]! }] : []),
    ])
    expect((await call(ws, 'POST', '/spend', { rows })).statusCode).toBe(200)
    const batch: object[] = []
    sim.orders.forEach((count, d) => {
      for (let i = 0; i < count; i++) {
        const at = START + d * DAY + DAY - (i + 1) * 10 * 60_000
        batch.push({ type: 'track', userId: `buyer-${d}-${i}`, event: 'Order Completed', properties: { total: 100, currency: 'CNY' }, timestamp: new Date(at).toISOString() })
      }
    })
    for (let i = 0; i < batch.length; i += 500) {
      const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch: batch.slice(i, i + 500) } })
      expect(res.statusCode, res.body).toBe(200)
    }
  })
  afterAll(() => chorus.close())

  const call = (who: TestWorkspace, method: 'GET' | 'POST', url: string, payload?: object) =>
    chorus.app.inject({ method, url: `/api/v1/measurement${url}`, headers: who.bearer, ...(payload === undefined ? {} : { payload }) })

  const fitToEnd = async (body: object) => {
    const started = await call(ws, 'POST', '/mmm/fit', body)
    expect(started.statusCode, started.body).toBe(202)
    const { id } = started.json()
    expect((await call(ws, 'GET', `/mmm/models/${id}`)).json()).toMatchObject({ status: 'queued', progress: 0 })
    await worker.runDue()
    return (await call(ws, 'GET', `/mmm/models/${id}`)).json()
  }

  let fitted: any
  it('fits daily conversions on the imported spend as a job, from data read exactly off the log and the spend table', async () => {
    fitted = await fitToEnd({ outcome: 'conversions', weekdaySeasonality: false, iterations: 300 })
    expect(fitted).toMatchObject({ status: 'fitted', progress: 1, stage: 'done', error: null })
    expect(fitted.dataset).toMatchObject({ from: '2025-03-01', to: dateOf(DAYS - 1), cadence: 'day', periods: DAYS, currency: 'CNY', outcome: { name: 'conversions', total: sim.orders.reduce((s, v) => s + v, 0) } })
    const spend = Object.fromEntries(fitted.dataset.channels.map((c: { channel: string; spend: number }) => [c.channel, c.spend]))
    expect(spend).toEqual({ douyin: sim.douyin.reduce((s, v) => s + v, 0), weibo: sim.weibo.reduce((s, v) => s + v, 0) })
  })

  it('reports hold-out fit, per-channel contribution, ROI, marginal ROI and response curves that tell the channels apart', () => {
    const report = fitted.report
    expect(report.split.holdout.periods).toBe(18)
    expect(report.metrics.holdout.r2).toBeGreaterThan(0.5)
    expect(report.metrics.holdout.mape).toBeLessThan(0.2)
    const [douyin, weibo] = ['douyin', 'weibo'].map((c) => report.channels.find((r: { channel: string }) => r.channel === c))
    expect(douyin.contribution).toBeGreaterThan(weibo.contribution)
    for (const channel of [douyin, weibo]) {
      expect(channel.roi).toBeGreaterThan(0)
      expect(channel.marginalRoi).toBeGreaterThanOrEqual(0)
      expect(channel.responseCurve.length).toBe(41)
      expect(channel.responseCurve[0]).toMatchObject({ spend: 0, response: 0 })
    }
  })

  it('splits a budget where marginal returns are equal, within the bounds, and answers what-if', async () => {
    const current = fitted.report.channels.reduce((s: number, c: { meanSpend: number }) => s + c.meanSpend, 0)
    const optimised = await call(ws, 'POST', `/mmm/models/${fitted.id}/optimise`, { budget: current * 1.2, bounds: [{ channel: 'weibo', maxRatio: 1.1 }] })
    expect(optimised.statusCode, optimised.body).toBe(200)
    const { basis, plan } = optimised.json()
    expect(basis).toBe('mmm')
    const recommended = plan.channels.reduce((s: number, c: { recommendedSpend: number }) => s + c.recommendedSpend, 0)
    expect(recommended).toBeCloseTo(current * 1.2, 3)
    const weibo = plan.channels.find((c: { channel: string }) => c.channel === 'weibo')
    expect(weibo.recommendedSpend).toBeLessThanOrEqual(weibo.currentSpend * 1.1 + 1e-6)
    expect(plan.recommendedResponse).toBeGreaterThanOrEqual(plan.currentResponse)

    const whatIf = await call(ws, 'POST', `/mmm/models/${fitted.id}/what-if`, { spends: { douyin: 0 } })
    expect(whatIf.statusCode, whatIf.body).toBe(200)
    expect(whatIf.json().change).toBeLessThan(0)
    expect(whatIf.json().channels.find((c: { channel: string }) => c.channel === 'weibo').spend).toBeCloseTo(weibo.currentSpend, 6)
  })

  it('leaves a fit another worker is running alone while it reports progress, and takes it over once it stops', async () => {
    chorus.clock.advance(60_000)
    const started = await call(ws, 'POST', '/mmm/fit', { outcome: 'conversions', weekdaySeasonality: false, iterations: 100 })
    const { id } = started.json()
    // What a worker that claimed the job and then went quiet leaves behind.
    const db = chorus.ctx.database.db
    await db.updateTable('measurement_mmm_models').set({ status: 'running', progress: 0.3, stage: 'searching', updated_at: chorus.clock.now() }).where('id', '=', id).execute()
    const job = { id: 'job', workspaceId: ws.workspaceId, kind: MMM_FIT_JOB, dedupeKey: `${MMM_FIT_JOB}:${id}`, runAt: 0, attempts: 1, maxAttempts: 3, payload: { workspaceId: ws.workspaceId, runId: id } }
    expect(await runMmmFitJob(chorus.ctx, job)).toEqual({ reschedule: chorus.clock.now() + FIT_HEARTBEAT_MS })
    expect((await call(ws, 'GET', `/mmm/models/${id}`)).json()).toMatchObject({ status: 'running', progress: 0.3 })
    chorus.clock.advance(FIT_HEARTBEAT_MS)
    expect(await runMmmFitJob(chorus.ctx, job)).toBeUndefined()
    expect((await call(ws, 'GET', `/mmm/models/${id}`)).json()).toMatchObject({ status: 'fitted', progress: 1 })
    await worker.runDue()
  })

  it('lists runs newest first and finds the latest fitted one', async () => {
    const all = (await call(ws, 'GET', '/mmm/models?limit=100')).json().items
    expect(all.map((r: { id: string }) => r.id)).toEqual([...all.map((r: { id: string }) => r.id)].sort().reverse())
    expect(all.at(-1).id).toBe(fitted.id)
    const latest = (await call(ws, 'GET', '/mmm/models?status=fitted&limit=1')).json()
    expect(latest.items.map((r: { id: string }) => r.id)).toEqual([all.find((r: { status: string }) => r.status === 'fitted').id])
    expect(latest.nextCursor).not.toBeNull()
    const next = (await call(ws, 'GET', `/mmm/models?status=fitted&limit=1&cursor=${latest.nextCursor}`)).json()
    expect(next.items.map((r: { id: string }) => r.id)).toEqual([fitted.id])
  })

  it('answers a history too short for the variables with the attribution-ROAS recommendation, and optimises with it', async () => {
    const short = await newWorkspace(chorus)
    const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((d) => [
      { date: dateOf(d), channel: 'douyin', cost: 300 },
      { date: dateOf(d), channel: 'baidu_search', cost: 100 },
    ])
    expect((await call(short, 'POST', '/spend', { rows })).statusCode).toBe(200)
    const batch: object[] = []
    for (let d = 0; d < 10; d++) {
      for (const [source, medium, buyers] of [['douyin', 'cpc', 3], ['baidu', 'cpc', 1]] as const) {
        for (let i = 0; i < buyers; i++) {
          const who = { userId: `${source}-${d}-${i}` }
          const at = START + d * DAY + 3_600_000 * (2 + i)
          batch.push({ type: 'page', ...who, name: 'Landing', timestamp: new Date(at).toISOString(), context: { campaign: { source, medium } } })
          batch.push({ type: 'track', ...who, event: 'Order Completed', properties: { total: 200, currency: 'CNY' }, timestamp: new Date(at + 60_000).toISOString() })
        }
      }
    }
    expect((await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: short.basic, payload: { batch } })).statusCode).toBe(200)
    const started = await call(short, 'POST', '/mmm/fit', { attributionModel: 'last_touch' })
    expect(started.statusCode, started.body).toBe(202)
    await worker.runDue()
    const run = (await call(short, 'GET', `/mmm/models/${started.json().id}`)).json()
    expect(run).toMatchObject({ status: 'insufficient_history', report: null, insufficientHistory: { periods: 10 } })
    expect(run.insufficientHistory.requiredPeriods).toBeGreaterThan(10)
    const recommendation = run.insufficientHistory.recommendation
    expect(recommendation.method).toBe('attribution-roas-heuristic')
    // last touch per day: douyin ¥600 on ¥300 (ROAS 2), baidu ¥200 on ¥100 (ROAS 2).
    expect(recommendation.channels.map((c: { channel: string; cost: number; attributedRevenue: number }) => [c.channel, c.cost, c.attributedRevenue]).sort()).toEqual([
      ['baidu_search', 100, 200],
      ['douyin', 300, 600],
    ])
    const optimised = await call(short, 'POST', `/mmm/models/${started.json().id}/optimise`, { budget: 500 })
    expect(optimised.statusCode, optimised.body).toBe(200)
    expect(optimised.json()).toMatchObject({ basis: 'attribution', recommendation: { budget: 500 } })
    const tooMuch = await call(short, 'POST', `/mmm/models/${started.json().id}/optimise`, { budget: 1000 })
    expect(tooMuch.statusCode).toBe(422)
    expect(tooMuch.json().error).toMatchObject({ code: 'InfeasibleBudget' })
    expect(tooMuch.json().error.message).toContain('between 280 and 520')
    expect((await call(short, 'POST', `/mmm/models/${started.json().id}/what-if`, { spends: { douyin: 1 } })).statusCode).toBe(409)
  })

  describe('refuses what it cannot do, and changes nothing', () => {
    it('bad requests: unknown fields, out-of-range options, unknown conversion or channel, no spend', async () => {
      const expectRefusal = async (who: TestWorkspace, body: object, status: number, code?: string) => {
        const res = await call(who, 'POST', '/mmm/fit', body)
        expect(res.statusCode, res.body).toBe(status)
        if (code) expect(res.json().error.code).toBe(code)
      }
      const runsBefore = (await call(ws, 'GET', '/mmm/models?limit=100')).json().items.length
      await expectRefusal(ws, { iterations: 10 }, 400)
      await expectRefusal(ws, { outcome: 'profit' }, 400)
      await expectRefusal(ws, { from: '2025-03-10', to: '2025-03-01' }, 400)
      await expectRefusal(ws, { from: '2025-02-30' }, 400, 'BadPeriod')
      await expectRefusal(ws, { budget: 5 }, 400)
      await expectRefusal(ws, { conversion: 'signup' }, 404, 'UnknownConversion')
      await expectRefusal(ws, { channels: ['douyin', 'tv'] }, 400, 'UnknownChannel')
      await expectRefusal(await newWorkspace(chorus), {}, 409, 'NoSpend')
      expect((await call(ws, 'GET', '/mmm/models?limit=100')).json().items.length).toBe(runsBefore)
    })

    it('bad optimiser and what-if input: unknown channels, crossed or infeasible bounds, negative spend, unknown run', async () => {
      const at = (path: string, body: object) => call(ws, 'POST', `/mmm/models/${fitted.id}/${path}`, body)
      expect((await at('optimise', { bounds: [{ channel: 'tv', max: 5 }] })).json().error.code).toBe('UnknownChannel')
      expect((await at('optimise', { bounds: [{ channel: 'douyin', min: 10_000_000 }] })).json().error.code).toBe('CrossedBounds')
      const infeasible = await at('optimise', { budget: 1e9 })
      expect(infeasible.statusCode).toBe(422)
      expect(infeasible.json().error.code).toBe('InfeasibleBudget')
      expect((await at('optimise', { bounds: [{ channel: 'douyin', min: 1, minRatio: 0.5 }] })).statusCode).toBe(400)
      expect((await at('what-if', { spends: { douyin: -1 } })).statusCode).toBe(400)
      expect((await at('what-if', { spends: { radio: 1 } })).json().error.code).toBe('UnknownChannel')
      expect((await call(ws, 'POST', '/mmm/models/mmm_nope/optimise', {})).statusCode).toBe(404)
      expect((await call(ws, 'GET', '/mmm/models/mmm_nope')).statusCode).toBe(404)
    })

    it('lets analysts and marketers fit and viewers read but not fit', async () => {
      const as = async (role: 'viewer' | 'analyst' | 'marketer'): Promise<TestWorkspace> => {
        const { token } = await createAdminToken(chorus.ctx.database.db, { workspaceId: ws.workspaceId, name: role, role, now: chorus.clock.now() })
        return { ...ws, adminToken: token, bearer: { authorization: `Bearer ${token}` } }
      }
      const viewer = await as('viewer')
      const refused = await call(viewer, 'POST', '/mmm/fit', {})
      expect(refused.statusCode).toBe(403)
      expect((await call(viewer, 'GET', `/mmm/models/${fitted.id}`)).json().status).toBe('fitted')
      expect((await call(viewer, 'POST', `/mmm/models/${fitted.id}/what-if`, { spends: { douyin: 100 } })).statusCode).toBe(200)
      for (const role of ['analyst', 'marketer'] as const) {
        expect((await call(await as(role), 'POST', '/mmm/fit', { iterations: 50, weekdaySeasonality: false })).statusCode).toBe(202)
      }
      await worker.runDue()
    })
  })
})
