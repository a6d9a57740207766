import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { JobWorker, silentLogger } from '../../src/platform/index.ts'
import { backgroundWork } from '../../src/server/background.ts'
import { mulberry32, sampleGamma } from '../../src/measurement/customers/bg-nbd-simulation.ts'
import { api, DAY, MINUTE, order, page, personOf, send, track } from './fixtures.ts'

const WEEK = 7 * DAY
const ORIGIN = Date.UTC(2025, 0, 6)

/**
 * Buyers drawn from BG/NBD (r = 0.6, α = 4 per week, a = 0.7, b = 2.5) with Gamma-Gamma spend
 * (p = 5, q = 4, γ = 60 yuan), first purchases in the first eight weeks, observed for 39 weeks.
 */
function simulatedOrders(customers: number, seed: number): object[] {
  const random = mulberry32(seed)
  const calls: object[] = []
  const end = ORIGIN + 39 * WEEK
  for (let i = 0; i < customers; i++) {
    const who = { userId: `buyer-${i}` }
    const lambda = sampleGamma(0.6, random) / 4
    const x = sampleGamma(0.7, random)
    const p = x / (x + sampleGamma(2.5, random))
    const nu = sampleGamma(4, random) / 60
    let t = ORIGIN + random() * 8 * WEEK
    calls.push(order(who, t, Math.round((sampleGamma(5, random) / nu) * 100) / 100))
    for (;;) {
      t += (-Math.log(1 - random()) / lambda) * WEEK
      if (t >= end) break
      calls.push(order(who, t, Math.round((sampleGamma(5, random) / nu) * 100) / 100))
      if (random() < p) break
    }
  }
  return calls
}

/**
 * Visitors whose engagement e ∈ [0, 1) sets how often they visit (0.02 + 0.25e a day) and how
 * likely a visit ends in an order (0.2e): engaged people buy more and are active later.
 */
function simulatedVisits(people: number, days: number, seed: number): object[] {
  const random = mulberry32(seed)
  const calls: object[] = []
  for (let i = 0; i < people; i++) {
    const who = { userId: `visitor-${i}` }
    const e = random()
    calls.push(page(who, 'Landing', ORIGIN + random() * DAY, i % 3 === 0 ? 'baidu' : 'wechat'))
    let t = ORIGIN
    for (;;) {
      t += (-Math.log(1 - random()) / (0.02 + 0.25 * e)) * DAY
      if (t >= ORIGIN + days * DAY) break
      calls.push(page(who, 'Home', t), track(who, 'Product Viewed', t + MINUTE))
      if (random() < 0.2 * e) calls.push(order(who, t + 5 * MINUTE, 50 + Math.round(random() * 100)))
    }
  }
  return calls
}

describe.each(DIALECTS)('model runs on %s', (dialect) => {
  let chorus: TestChorus
  let worker: JobWorker
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    worker = new JobWorker({ queue: chorus.ctx.jobs, handlers: backgroundWork(chorus.ctx).jobHandlers, logger: silentLogger() })
  })
  afterAll(() => chorus.close())

  const runToEnd = async (ws: TestWorkspace, runId: string) => {
    expect((await api(chorus, ws, 'GET', `/measurement/models/${runId}`)).body.status).toBe('queued')
    await worker.runDue()
    return (await api(chorus, ws, 'GET', `/measurement/models/${runId}`)).body
  }

  describe('predicted LTV', () => {
    let ws: TestWorkspace
    beforeAll(async () => {
      ws = await newWorkspace(chorus)
      await send(chorus, ws, simulatedOrders(500, 21))
    })

    it('fits BG/NBD and Gamma-Gamma on the log, validates on a hold-out and scores every buyer', async () => {
      const start = await api(chorus, ws, 'POST', '/measurement/ltv/models', { holdout: { amount: 13, unit: 'week' }, horizon: { amount: 26, unit: 'week' }, asOf: new Date(ORIGIN + 39 * WEEK).toISOString() })
      expect(start.status, JSON.stringify(start.body)).toBe(202)
      const run = await runToEnd(ws, start.body.runId)
      expect(run.status, run.error).toBe('succeeded')
      expect(run.progress).toBe(1)
      const { calibration, validation, final } = run.result
      expect(calibration.customers).toBe(500)
      expect(final.customers).toBe(500)
      // Predicted vs actual repeat transactions over the 13-week hold-out: within the noise of 500 buyers.
      expect(Math.abs(validation.errorPercent)).toBeLessThan(25)
      expect(validation.predictedRepeatTransactions).toBeGreaterThan(0)
      expect(validation.byFrequency[0].x).toBe('0')
      // Heavier calibration buyers are predicted, and do, buy more in the hold-out.
      const groups = validation.byFrequency
      expect(groups[groups.length - 1].predictedMean).toBeGreaterThan(groups[0].predictedMean)
      expect(final.transactionModel.r).toBeGreaterThan(0.3)
      expect(final.transactionModel.r).toBeLessThan(1.2)
      // Population mean spend pγ/(q−1) = 5·60/3 = 100 yuan = 10,000 fen.
      const spend = final.spendModel
      expect((spend.p * spend.gamma) / (spend.q - 1)).toBeGreaterThan(7000)
      expect((spend.p * spend.gamma) / (spend.q - 1)).toBeLessThan(13000)

      const predictions = await api(chorus, ws, 'GET', '/measurement/ltv/predictions?limit=5')
      expect(predictions.body.items).toHaveLength(5)
      const values = predictions.body.items.map((i: { score: number }) => i.score)
      expect([...values].sort((a, b) => b - a)).toEqual(values)
      const next = await api(chorus, ws, 'GET', `/measurement/ltv/predictions?limit=5&cursor=${predictions.body.nextCursor}`)
      expect(next.body.items[0].score).toBeLessThanOrEqual(values[4])
      const buyer = await personOf(chorus, ws, 'user_id', 'buyer-0')
      const scores = (await api(chorus, ws, 'GET', `/measurement/scores/profiles/${buyer}`)).body.scores
      expect(scores.p_alive.score).toBeGreaterThan(0)
      expect(scores.p_alive.score).toBeLessThanOrEqual(1)
      expect(scores.predicted_ltv.modelId).toBe(start.body.runId)
    })

    it('fails a run with too little history with a message that says what is missing', async () => {
      const small = await newWorkspace(chorus)
      await send(chorus, small, [order({ userId: 'only' }, ORIGIN, 10)])
      const start = await api(chorus, small, 'POST', '/measurement/ltv/models', { asOf: new Date(ORIGIN + 30 * WEEK).toISOString() })
      const run = await runToEnd(small, start.body.runId)
      expect(run.status).toBe('failed')
      expect(run.error).toContain('at least 10 repeat buyers')
    })
  })

  describe('propensity and churn scores', () => {
    let ws: TestWorkspace
    const asOf = new Date(ORIGIN + 120 * DAY).toISOString()
    beforeAll(async () => {
      ws = await newWorkspace(chorus)
      await send(chorus, ws, simulatedVisits(300, 120, 5))
    })

    it('trains a propensity model with an out-of-time AUC and writes scores and traits an audience follows', async () => {
      const likely = await api(chorus, ws, 'POST', '/audiences', { name: 'Likely buyers', definition: { trait: 'propensity_score', op: 'gte', value: 0.5 } })
      expect(likely.status, JSON.stringify(likely.body)).toBe(201)
      const start = await api(chorus, ws, 'POST', '/measurement/scores/train', { kind: 'propensity', window: { amount: 30, unit: 'day' }, asOf })
      expect(start.status, JSON.stringify(start.body)).toBe(202)
      const run = await runToEnd(ws, start.body.runId)
      expect(run.status, run.error).toBe('succeeded')
      expect(run.result.cutoffs).toEqual({ train: new Date(ORIGIN + 60 * DAY).toISOString(), holdout: new Date(ORIGIN + 90 * DAY).toISOString(), scoring: asOf })
      expect(run.result.holdout.auc).toBeGreaterThan(0.7)
      expect(run.result.scored).toBe(300)
      expect(run.result.traitsWritten).toBe(300)
      expect(run.result.features).toContain('recency_days')

      const top = await api(chorus, ws, 'GET', '/measurement/scores?kind=propensity&limit=300')
      expect(top.body.items).toHaveLength(300)
      const first = top.body.items[0]
      const profile = await api(chorus, ws, 'GET', `/profiles/${first.profileId}`)
      expect(profile.body.traits.propensity_score).toBe(first.score)

      // The run queued a recompute of the audience that reads the trait.
      expect(run.result.audiencesRecomputed).toEqual([likely.body.audience.id])
      await worker.runDue()
      const audience = await api(chorus, ws, 'GET', `/audiences/${run.result.audiencesRecomputed[0]}`)
      const likelyBuyers = top.body.items.filter((i: { score: number }) => i.score >= 0.5).length
      expect(likelyBuyers).toBeGreaterThan(0)
      expect(audience.body.size).toBe(likelyBuyers)
    })

    it('trains a churn model and keeps traits written by ingest', async () => {
      await send(chorus, ws, [{ type: 'identify', userId: 'visitor-1', traits: { city: '杭州' } }])
      const start = await api(chorus, ws, 'POST', '/measurement/scores/train', { kind: 'churn', window: { amount: 30, unit: 'day' }, asOf })
      const run = await runToEnd(ws, start.body.runId)
      expect(run.status, run.error).toBe('succeeded')
      expect(run.result.holdout.auc).toBeGreaterThan(0.65)
      const person = await personOf(chorus, ws, 'user_id', 'visitor-1')
      const profile = await api(chorus, ws, 'GET', `/profiles/${person}`)
      expect(profile.body.traits).toMatchObject({ city: '杭州' })
      expect(typeof profile.body.traits.churn_score).toBe('number')
      expect(typeof profile.body.traits.propensity_score).toBe('number')
      const runs = await api(chorus, ws, 'GET', '/measurement/models?kind=churn')
      expect(runs.body.items.map((r: { id: string }) => r.id)).toEqual([start.body.runId])
    })
  })
})
