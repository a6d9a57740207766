import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { bucketOf } from '../../src/measurement/customers/index.ts'
import { api, DAY, personOf, send, track, order, page } from './fixtures.ts'

const START = Date.UTC(2026, 4, 4)

describe.each(DIALECTS)('experiment read-outs on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  describe('explicit groups of profiles', () => {
    let ws: TestWorkspace
    let control: string[]
    let treatment: string[]
    beforeAll(async () => {
      ws = await newWorkspace(chorus)
      const calls: object[] = []
      for (let i = 1; i <= 10; i++) calls.push(page({ userId: `c${i}` }, 'Home', START - DAY), page({ userId: `t${i}` }, 'Home', START - DAY))
      // Control: c1 and c2 buy (100 and 200 yuan); treatment: t1…t5 buy 100 each, t6 only after the 7-day window.
      calls.push(order({ userId: 'c1' }, START + DAY, 100), order({ userId: 'c2' }, START + 2 * DAY, 200))
      for (let i = 1; i <= 5; i++) calls.push(order({ userId: `t${i}` }, START + i * DAY, 100))
      calls.push(order({ userId: 't6' }, START + 8 * DAY, 100))
      // m browses anonymously, then logs in; the two profiles are merged later.
      calls.push(page({ anonymousId: 'anon-m' }, 'Home', START - DAY))
      await send(chorus, ws, calls)
      await send(chorus, ws, [page({ userId: 'm' }, 'Home', START - DAY)])
      const anonM = await personOf(chorus, ws, 'anonymous_id', 'anon-m')
      const userM = await personOf(chorus, ws, 'user_id', 'm')
      await send(chorus, ws, [{ type: 'identify', userId: 'm', anonymousId: 'anon-m' }])
      control = [...(await Promise.all(Array.from({ length: 10 }, (_, i) => personOf(chorus, ws, 'user_id', `c${i + 1}`)))), anonM, 'prf_unknown']
      treatment = [...(await Promise.all(Array.from({ length: 10 }, (_, i) => personOf(chorus, ws, 'user_id', `t${i + 1}`)))), userM]
    })

    it('gives the z-test and Welch t-test a hand computation gives', async () => {
      const res = await api(chorus, ws, 'POST', '/measurement/experiments/analyze', {
        assignment: { kind: 'profiles', startAt: new Date(START).toISOString(), groups: [{ name: 'control', profileIds: control }, { name: 'journey', profileIds: treatment }] },
        window: { amount: 7, unit: 'day' },
        asOf: '2026-06-01',
      })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      // m's two profile ids are one person in both groups: left out. prf_unknown is nobody.
      expect(res.body.excluded).toEqual({ inSeveralGroups: 1, unknownProfiles: 1 })
      expect(res.body.groups.map((g: { name: string; people: number; conversions: number }) => [g.name, g.people, g.conversions])).toEqual([
        ['control', 10, 2],
        ['journey', 10, 5],
      ])
      const [comparison] = res.body.comparisons
      // Pooled p = 7/20; SE = √(0.35·0.65·(1/10 + 1/10)) = 0.2133073; z = 0.3/SE = 1.4064217; p = 0.1595989.
      expect(comparison.conversion.z).toBeCloseTo(1.4064217, 6)
      expect(comparison.conversion.pValue).toBeCloseTo(0.1595989, 6)
      expect(comparison.conversion.differenceInterval[0]).toBeCloseTo(-0.0968625, 6)
      expect(comparison.conversion.differenceInterval[1]).toBeCloseTo(0.6968625, 6)
      expect(comparison.conversion.relativeLift).toBeCloseTo(1.5, 12)
      // Revenue per person in fen: control {10000, 20000, 0 ×8}, mean 3000, s² = 410e6/9;
      // journey {10000 ×5, 0 ×5}, mean 5000, s² = 250e6/9. t = 2000/√(s₁²/10 + s₂²/10) = 0.7385489,
      // Welch–Satterthwaite df = 17.000867, two-sided p = 0.470255 (numerical integration of the t density).
      expect(res.body.groups[0].revenue.meanMinor).toBeCloseTo(3000, 9)
      expect(res.body.groups[0].revenue.variance).toBeCloseTo(410e6 / 9, 3)
      expect(comparison.revenue.t).toBeCloseTo(0.7385489, 6)
      expect(comparison.revenue.degreesOfFreedom).toBeCloseTo(17.000867, 5)
      expect(comparison.revenue.pValue).toBeCloseTo(0.470255, 5)
    })

    it('refuses a control group that is not one of the groups', async () => {
      const res = await api(chorus, ws, 'POST', '/measurement/experiments/analyze', {
        assignment: { kind: 'profiles', startAt: '2026-05-04', groups: [{ name: 'a', profileIds: control }, { name: 'b', profileIds: treatment }] },
        control: 'holdout',
      })
      expect(res.status).toBe(400)
      expect(res.body.error.message).toContain('not one of the groups: a, b')
    })
  })

  it('reads groups from assignment events, each person from their own exposure', async () => {
    const ws = await newWorkspace(chorus)
    const assigned = (userId: string, variant: string, at: number, experiment = 'exp1') => track({ userId }, 'Experiment Assigned', at, { experiment, variant })
    await send(chorus, ws, [
      assigned('e1', 'A', START),
      assigned('e2', 'A', START + 5 * DAY),
      assigned('e3', 'B', START),
      assigned('e4', 'B', START),
      assigned('e5', 'B', START, 'exp2'),
      // e1 converts within 3 days of exposure; e2 signed up before its own exposure (does not count).
      track({ userId: 'e1' }, 'Signed Up', START + DAY),
      track({ userId: 'e2' }, 'Signed Up', START + DAY),
      track({ userId: 'e3' }, 'Signed Up', START + 2 * DAY),
      track({ userId: 'e4' }, 'Signed Up', START + 4 * DAY),
      track({ userId: 'e5' }, 'Signed Up', START + DAY),
    ])
    const res = await api(chorus, ws, 'POST', '/measurement/experiments/analyze', {
      assignment: { kind: 'event', event: 'Experiment Assigned', property: 'variant', where: [{ property: 'experiment', op: 'eq', value: 'exp1' }] },
      conversion: { event: 'Signed Up' },
      window: { amount: 3, unit: 'day' },
      control: 'A',
      asOf: '2026-06-01',
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.groups.map((g: { name: string; people: number; conversions: number }) => [g.name, g.people, g.conversions])).toEqual([
      ['A', 2, 1],
      ['B', 2, 1],
    ])
  })

  it('splits an active population into hash buckets the way bucketOf does', async () => {
    const ws = await newWorkspace(chorus)
    await send(chorus, ws, Array.from({ length: 40 }, (_, i) => page({ userId: `b${i}` }, 'Home', START - 10 * DAY)))
    const buckets = [
      { name: 'holdout', weight: 1 },
      { name: 'journey', weight: 3 },
    ]
    const res = await api(chorus, ws, 'POST', '/measurement/experiments/analyze', { assignment: { kind: 'bucket', salt: 'welcome-v1', buckets, startAt: '2026-05-04' }, asOf: '2026-06-01' })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const people = await Promise.all(Array.from({ length: 40 }, (_, i) => personOf(chorus, ws, 'user_id', `b${i}`)))
    const holdout = people.filter((p) => bucketOf('welcome-v1', p, buckets) === 'holdout').length
    expect(res.body.groups.map((g: { people: number }) => g.people)).toEqual([holdout, 40 - holdout])
  })
})
