import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { api, DAY, MINUTE, order, page, send, track } from './fixtures.ts'

// Monday 2 March 2026 starts ISO week W0; W1 starts 9 March, W2 16 March, W3 23 March.
const W0 = Date.UTC(2026, 2, 2, 10)
const week = (w: number, day = 0) => W0 + (w * 7 + day) * DAY

describe.each(DIALECTS)('retention, lifecycle and historical LTV on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  describe('retention', () => {
    let ws: TestWorkspace
    beforeAll(async () => {
      ws = await newWorkspace(chorus)
      await send(chorus, ws, [
        page({ userId: 'u1' }, 'Home', week(0)),
        page({ userId: 'u1' }, 'Home', week(1, 2)),
        order({ userId: 'u1' }, week(3, 1), 100),
        page({ userId: 'u2' }, 'Home', week(0, 3)),
        page({ userId: 'u2' }, 'Home', week(1)),
        page({ userId: 'u3' }, 'Home', week(0, 6)),
        page({ userId: 'u4' }, 'Home', week(1, 1)),
        page({ userId: 'u4' }, 'Home', week(2, 4)),
        page({ userId: 'u5' }, 'Home', week(1, 2), 'google'),
        page({ userId: 'u5' }, 'Cart', week(1, 3)),
        page({ userId: 'u5' }, 'Home', week(3)),
        // u6 browses anonymously in W0, comes back logged in during W2 and is merged then.
        page({ anonymousId: 'anon-6' }, 'Home', week(0, 1)),
        page({ userId: 'u6' }, 'Home', week(2, 1)),
        { type: 'identify', userId: 'u6', anonymousId: 'anon-6', timestamp: new Date(week(2, 1) + MINUTE).toISOString() },
        // Outside the cohort range: first seen in W2.
        page({ userId: 'late' }, 'Home', week(2)),
      ])
    })

    const retention = (body: object = {}) =>
      api(chorus, ws, 'POST', '/measurement/retention', { from: '2026-03-02', to: '2026-03-16', period: 'week', periods: 3, asOf: '2026-03-25T12:00:00Z', ...body })
    const matrix = (cohort: { cells: Array<{ people: number; eligible: number }> }) => cohort.cells.map((c) => [c.people, c.eligible])

    it('builds the cohort × week matrix the hand count gives, a merged person in their first cohort', async () => {
      const res = await retention()
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      const [w0, w1] = res.body.cohorts
      // W0: u1, u2, u3, u6. Returns: week 0 all four; week 1 u1, u2; week 2 u6; week 3 u1 (still running).
      expect(w0.cohort).toBe('2026-03-02')
      expect(w0.size).toBe(4)
      expect(matrix(w0)).toEqual([[4, 4], [2, 4], [1, 4], [1, 4]])
      expect(w0.cells.map((c: { complete: boolean }) => c.complete)).toEqual([true, true, true, false])
      expect(w0.cells[1].rate).toBe(0.5)
      // W1: u4, u5. Week 0 both; week 1 u4; week 2 u5 (still running); week 3 has not begun.
      expect(w1.cohort).toBe('2026-03-09')
      expect(matrix(w1)).toEqual([[2, 2], [1, 2], [1, 2], [0, 0]])
      expect(w1.cells[3].rate).toBeNull()
      expect(matrix(res.body.total)).toEqual([[6, 6], [3, 6], [2, 6], [1, 4]])
    })

    it('takes a configurable returning event', async () => {
      const res = await retention({ returning: [{ event: '$order' }] })
      expect(matrix(res.body.cohorts[0])).toEqual([[0, 4], [0, 4], [0, 4], [1, 4]])
    })

    it('groups by acquisition channel (first touch)', async () => {
      const res = await retention({ cohortBy: 'channel' })
      const byChannel = Object.fromEntries(res.body.cohorts.map((c: { cohort: string; size: number }) => [c.cohort, c.size]))
      expect(byChannel).toEqual({ direct: 5, google_organic: 1 })
      const google = res.body.cohorts.find((c: { cohort: string }) => c.cohort === 'google_organic')
      expect(matrix(google)).toEqual([[1, 1], [0, 1], [1, 1], [0, 0]])
    })

    it('groups by month', async () => {
      const res = await retention({ period: 'month', periods: 1, from: '2026-03-01', to: '2026-04-01' })
      expect(res.body.cohorts.map((c: { cohort: string; size: number }) => [c.cohort, c.size])).toEqual([['2026-03', 7]])
      expect(matrix(res.body.cohorts[0])).toEqual([[7, 7], [0, 0]])
    })
  })

  describe('lifecycle stages', () => {
    let ws: TestWorkspace
    const asOf = Date.UTC(2026, 5, 1)
    const ago = (days: number, minutes = 0) => asOf - days * DAY + minutes * MINUTE
    beforeAll(async () => {
      ws = await newWorkspace(chorus)
      await send(chorus, ws, [
        page({ userId: 'p1' }, 'Home', ago(10)),
        page({ userId: 'p1' }, 'About', ago(10, 5)),
        page({ userId: 'p2' }, 'Home', ago(10)),
        page({ userId: 'p2' }, 'Home', ago(10, 45)),
        track({ userId: 'p3' }, 'Product Viewed', ago(3)),
        track({ userId: 'p4' }, 'Product Added', ago(3)),
        order({ userId: 'p5' }, ago(20), 10),
        order({ userId: 'p6' }, ago(100), 10),
        order({ userId: 'p6' }, ago(5), 10),
        order({ userId: 'p7' }, ago(300), 10),
        order({ userId: 'p7' }, ago(5), 10),
        order({ userId: 'p8' }, ago(30), 10),
        track({ userId: 'p8' }, 'Product Reviewed', ago(2)),
        track({ userId: 'p9' }, 'Product Reviewed', ago(2)),
        // After asOf: not counted.
        order({ userId: 'p1' }, asOf + DAY, 10),
      ])
    })

    it('places each person in the last stage whose default rule holds', async () => {
      const res = await api(chorus, ws, 'GET', `/measurement/lifecycle?asOf=${new Date(asOf).toISOString()}`)
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      const counts = Object.fromEntries(res.body.stages.map((s: { stage: string; people: number }) => [s.stage, s.people]))
      // p1, p9 aware; p2 (two sessions), p3 (product view) interested; p4 considering; p5 and p7
      // (second order outside 180 days) bought; p6 loyal; p8 reviewed after buying.
      expect(counts).toEqual({ Awareness: 2, Interest: 2, Consideration: 1, Purchase: 2, Loyalty: 1, Advocacy: 1 })
      expect(res.body.total).toBe(9)
      expect(res.body.stages[3].reachedOrBeyond).toBe(4)
    })

    it('uses the workspace’s own rules once they are set', async () => {
      const rules = {
        stages: [
          { name: 'Visitor', all: [{ kind: 'seen' }] },
          { name: 'Buyer', all: [{ kind: 'orders', min: 1 }] },
        ],
      }
      const put = await api(chorus, ws, 'PUT', '/measurement/lifecycle/rules', rules)
      expect(put.status, JSON.stringify(put.body)).toBe(200)
      const res = await api(chorus, ws, 'GET', `/measurement/lifecycle?asOf=${new Date(asOf).toISOString()}`)
      expect(res.body.stages.map((s: { stage: string; people: number }) => [s.stage, s.people])).toEqual([
        ['Visitor', 5],
        ['Buyer', 4],
      ])
      const bad = await api(chorus, ws, 'PUT', '/measurement/lifecycle/rules', { stages: [{ name: 'A', all: [{ kind: 'seen' }] }, { name: 'A', all: [{ kind: 'seen' }] }] })
      expect(bad.status).toBe(400)
      expect(JSON.stringify(bad.body)).toContain('unique')
    })
  })

  describe('historical LTV', () => {
    it('sums order amounts per person by cohort and by first-touch channel, in one currency', async () => {
      const ws = await newWorkspace(chorus)
      await send(chorus, ws, [
        page({ userId: 'x' }, 'Home', week(0), 'baidu'),
        order({ userId: 'x' }, week(0, 1), 100),
        order({ userId: 'x' }, week(5), 50),
        order({ userId: 'y' }, week(1), 30, 'baidu'),
        track({ userId: 'y' }, 'Order Completed', week(1, 1), { total: 999, currency: 'USD' }),
        page({ userId: 'z' }, 'Home', week(0)),
        page({ userId: 'w' }, 'Home', Date.UTC(2026, 3, 2), 'douyin'),
        order({ userId: 'w' }, Date.UTC(2026, 3, 3), 20),
      ])
      const res = await api(chorus, ws, 'GET', '/measurement/ltv/historical?groupBy=cohort-month&periods=1&asOf=2026-05-01')
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      expect(res.body.currency).toBe('CNY')
      const march = res.body.groups.find((g: { group: string }) => g.group === '2026-03')
      // x, y, z first seen in March: 180 fen of CNY orders (y's USD order is another currency), 2 buyers.
      expect(march).toMatchObject({ people: 3, customers: 2, orders: 3, revenueMinor: 18000, perCustomerMinor: 9000 })
      expect(march.perPersonMinor).toBeCloseTo(6000, 9)
      // x's 50 in April falls in period 1: cumulative per person 130/3 then 180/3.
      expect(march.cumulativePerPersonMinor.map((c: { minor: number }) => Math.round(c.minor))).toEqual([4333, 6000])
      const byChannel = await api(chorus, ws, 'GET', '/measurement/ltv/historical?groupBy=channel&asOf=2026-05-01')
      const revenue = Object.fromEntries(byChannel.body.groups.map((g: { group: string; revenueMinor: number }) => [g.group, g.revenueMinor]))
      // y's order carries a UTM source but an order is not an arrival: y has no touch at all.
      expect(revenue).toEqual({ baidu_organic: 15000, douyin_organic: 2000, direct: 0, '(none)': 3000 })
      expect(byChannel.body.total.revenueMinor).toBe(20000)
    })
  })
})
