import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { api, MINUTE, order, page, personOf, send, track } from './fixtures.ts'

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0)
const at = (minutes: number) => T0 + minutes * MINUTE
const shoes = { category: 'shoes' }

const funnel = (mode: string) => ({
  mode,
  window: { amount: 1, unit: 'day' },
  steps: [
    { event: 'Product Viewed', where: [{ property: 'category', op: 'eq', value: 'shoes' }], label: 'View shoes' },
    { event: 'Product Added' },
    { event: '$order', label: 'Buy' },
  ],
})

/**
 * The fixture, person by person, and what each mode must say (worked out by hand):
 *
 * | person | events (minutes)                                                    | ordered | strict | any-order |
 * |--------|---------------------------------------------------------------------|---------|--------|-----------|
 * | a      | (pages from google −60, wechat −30) view 0, add 1, buy 2             | 3       | 3      | 3         |
 * | b      | (page from weibo −10) view 0, page Home 1, add 2, buy 3             | 3       | 1      | 3         |
 * | c      | add 0, view 1, buy 2                                                 | 1       | 1      | 3         |
 * | d      | view hats 0, add 1, buy 2  (no shoes view: never enters)             | –       | –      | –         |
 * | e      | view 0, add 2 days later (outside the 1-day window)                  | 1       | 1      | 1         |
 * | f      | anonymous view 0; as user f: add 1, buy 2; identify links both (9)  | 3       | 3      | 3         |
 * | g      | view 0, page 1, view 2, add 3, buy 4 (strict: the second attempt)   | 3       | 3      | 3         |
 *
 * Person f is two profiles merged into one: counted once, with steps from both.
 */
describe.each(DIALECTS)('funnels on %s', (dialect) => {
  let chorus: TestChorus
  let ws: TestWorkspace
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    ws = await newWorkspace(chorus)
    const a = { userId: 'a' }
    const b = { userId: 'b' }
    const c = { userId: 'c' }
    const d = { userId: 'd' }
    const e = { userId: 'e' }
    const fAnon = { anonymousId: 'anon-f' }
    const f = { userId: 'f' }
    const g = { userId: 'g' }
    await send(chorus, ws, [
      page(a, 'Home', at(-60), 'google'),
      page(a, 'Promo', at(-30), 'wechat'),
      track(a, 'Product Viewed', at(0), shoes),
      track(a, 'Product Added', at(1)),
      order(a, at(2), 199),
      page(b, 'Landing', at(-10), 'weibo'),
      track(b, 'Product Viewed', at(0), shoes),
      page(b, 'Home', at(1)),
      track(b, 'Product Added', at(2)),
      order(b, at(3), 99),
      track(c, 'Product Added', at(0)),
      track(c, 'Product Viewed', at(1), shoes),
      order(c, at(2), 50),
      track(d, 'Product Viewed', at(0), { category: 'hats' }),
      track(d, 'Product Added', at(1)),
      order(d, at(2), 80),
      track(e, 'Product Viewed', at(0), shoes),
      track(e, 'Product Added', at(2 * 24 * 60)),
      track(fAnon, 'Product Viewed', at(0), shoes),
    ])
    await send(chorus, ws, [track(f, 'Product Added', at(1)), order(f, at(2), 120)])
    await send(chorus, ws, [
      { type: 'identify', userId: 'f', anonymousId: 'anon-f', timestamp: new Date(at(9)).toISOString() },
      track(g, 'Product Viewed', at(0), shoes),
      page(g, 'Sale', at(1)),
      track(g, 'Product Viewed', at(2), shoes),
      track(g, 'Product Added', at(3)),
      order(g, at(4), 60),
    ])
  })
  afterAll(() => chorus.close())

  const report = (mode: string, extra: object = {}) =>
    api(chorus, ws, 'POST', '/measurement/funnels/report', { funnel: funnel(mode), from: '2026-03-02', to: '2026-03-03', ...extra })
  const people = async (mode: string, step: number, status = 'dropped') => {
    const res = await api(chorus, ws, 'POST', '/measurement/funnels/people', { funnel: funnel(mode), from: '2026-03-02', to: '2026-03-03', step, status })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body
  }
  const ids = async (...userIds: string[]) => (await Promise.all(userIds.map((u) => personOf(chorus, ws, 'user_id', u)))).sort()

  it('counts ordered funnels as the hand computation does, a merged person once', async () => {
    const res = await report('ordered')
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.entered).toBe(6)
    expect(res.body.steps.map((s: { people: number }) => s.people)).toEqual([6, 4, 4])
    expect(res.body.steps.map((s: { droppedAfter: number }) => s.droppedAfter)).toEqual([2, 0, 0])
    expect(res.body.steps[1].conversionFromPrevious).toBeCloseTo(4 / 6, 12)
    expect(res.body.steps[2].conversionFromStart).toBeCloseTo(4 / 6, 12)
    expect(res.body.steps.map((s: { label: string }) => s.label)).toEqual(['View shoes', 'Product Added', 'Buy'])
    // View → add gaps: a 1, b 2, f 1, g 3 (its first view is the earliest attempt that gets furthest)
    // → 1, 1, 2, 3 minutes, median 1.5.
    expect(res.body.steps[1].medianMsFromPrevious).toBe(1.5 * MINUTE)
  })

  it('breaks strict funnels on an event in between, and takes the attempt that gets furthest', async () => {
    const res = await report('strict')
    expect(res.body.steps.map((s: { people: number }) => s.people)).toEqual([6, 3, 3])
    const dropped = await people('strict', 1)
    expect(dropped.items).toEqual(await ids('b', 'c', 'e'))
    expect(dropped.total).toBe(3)
  })

  it('accepts any order, but still needs every step within the window', async () => {
    const res = await report('any-order')
    expect(res.body.steps.map((s: { people: number }) => s.people)).toEqual([6, 5, 5])
    expect(res.body.steps[1].medianMsFromPrevious).toBeNull()
    expect((await people('any-order', 1)).items).toEqual(await ids('e'))
  })

  it('lists who dropped and who converted, in pages and as CSV', async () => {
    expect((await people('ordered', 1)).items).toEqual(await ids('c', 'e'))
    const converted = await people('ordered', 3, 'reached')
    const expected = [...(await ids('a', 'b', 'g')), await personOf(chorus, ws, 'anonymous_id', 'anon-f')].sort()
    expect(converted.items).toEqual(expected)

    const first = await api(chorus, ws, 'POST', '/measurement/funnels/people', { funnel: funnel('ordered'), from: '2026-03-02', to: '2026-03-03', step: 3, status: 'reached', limit: 3 })
    expect(first.body.items).toEqual(expected.slice(0, 3))
    const second = await api(chorus, ws, 'POST', '/measurement/funnels/people', { funnel: funnel('ordered'), from: '2026-03-02', to: '2026-03-03', step: 3, status: 'reached', limit: 3, cursor: first.body.nextCursor })
    expect(second.body.items).toEqual(expected.slice(3))
    expect(second.body.nextCursor).toBeNull()

    const csv = await api(chorus, ws, 'POST', '/measurement/funnels/people', { funnel: funnel('ordered'), from: '2026-03-02', to: '2026-03-03', step: 1, format: 'csv' })
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body).toBe(['profile_id', ...(await ids('c', 'e'))].join('\r\n') + '\r\n')
  })

  it('breaks down by first-touch and last-touch channel, as the channel grouping names them', async () => {
    const first = await report('ordered', { breakdown: { by: 'channel', attribution: 'first-touch' } })
    const byValue = (r: typeof first) => Object.fromEntries(r.body.breakdown.groups.map((g: { value: string; steps: Array<{ people: number }> }) => [g.value, g.steps.map((s) => s.people)]))
    // Touches are page arrivals: a came from google then wechat, b from weibo then a direct page,
    // g only by a direct page; c, e and f have no touch (track calls are not arrivals).
    expect(byValue(first)).toEqual({ '(none)': [3, 1, 1], google_organic: [1, 1, 1], weibo_organic: [1, 1, 1], direct: [1, 1, 1] })
    const last = await report('ordered', { breakdown: { by: 'channel', attribution: 'last-touch' } })
    expect(byValue(last)).toEqual({ '(none)': [3, 1, 1], wechat: [1, 1, 1], direct: [2, 2, 2] })
  })

  it('breaks down by a trait of the canonical profile', async () => {
    await send(chorus, ws, [{ type: 'identify', userId: 'a', traits: { tier: 'gold' } }, { type: 'identify', userId: 'c', traits: { tier: 'gold' } }])
    const res = await report('ordered', { breakdown: { by: 'trait', trait: 'tier' } })
    const groups = Object.fromEntries(res.body.breakdown.groups.map((g: { value: string; entered: number; steps: Array<{ people: number }> }) => [g.value, g.steps.map((s) => s.people)]))
    expect(groups).toEqual({ gold: [2, 1, 1], '(none)': [4, 3, 3] })
  })

  it('saves a funnel and reads its report and drop-off by id', async () => {
    const saved = await api(chorus, ws, 'POST', '/measurement/funnels', { name: 'Shoes to order', definition: funnel('ordered') })
    expect(saved.status).toBe(201)
    const again = await api(chorus, ws, 'GET', `/measurement/funnels/${saved.body.id}/report?from=2026-03-02&to=2026-03-03&breakdown=channel&attribution=first-touch`)
    expect(again.body.steps.map((s: { people: number }) => s.people)).toEqual([6, 4, 4])
    expect(again.body.breakdown.attribution).toBe('first-touch')
    const dropped = await api(chorus, ws, 'GET', `/measurement/funnels/${saved.body.id}/people?from=2026-03-02&to=2026-03-03&step=1&format=csv`)
    expect(dropped.body.split('\r\n').slice(1, -1)).toEqual(await ids('c', 'e'))
    const list = await api(chorus, ws, 'GET', '/measurement/funnels')
    expect(list.body.items.map((f: { name: string }) => f.name)).toContain('Shoes to order')
  })

  it('saves who dropped as a static audience, which can then break the funnel down', async () => {
    const saved = await api(chorus, ws, 'POST', '/measurement/funnels/people/audience', { funnel: funnel('ordered'), from: '2026-03-02', to: '2026-03-03', step: 1, name: 'Viewed shoes, never added' })
    expect(saved.status, JSON.stringify(saved.body)).toBe(201)
    expect(saved.body).toMatchObject({ people: 2, members: 2, withoutIdentifier: 0 })
    const members = await api(chorus, ws, 'GET', `/audiences/${saved.body.audienceId}/members`)
    expect(members.body.items.map((m: { profileId: string }) => m.profileId).sort()).toEqual(await ids('c', 'e'))
    const res = await report('ordered', { breakdown: { by: 'audience', audienceIds: [saved.body.audienceId] } })
    const groups = Object.fromEntries(res.body.breakdown.groups.map((g: { value: string; steps: Array<{ people: number }> }) => [g.value, g.steps.map((s) => s.people)]))
    expect(groups).toEqual({ [saved.body.audienceId]: [2, 0, 0], '(no audience)': [4, 4, 4] })
    const again = await api(chorus, ws, 'POST', '/measurement/funnels/people/audience', { funnel: funnel('ordered'), from: '2026-03-02', to: '2026-03-03', step: 1, name: 'Viewed shoes, never added' })
    expect(again.status).toBe(409)
  })

  it('answers bad input with a message to act on', async () => {
    const backwards = await api(chorus, ws, 'POST', '/measurement/funnels/report', { funnel: funnel('ordered'), from: '2026-03-03', to: '2026-03-02' })
    expect(backwards.status).toBe(400)
    expect(backwards.body.error.message).toContain('must be after')
    const badDate = await api(chorus, ws, 'POST', '/measurement/funnels/report', { funnel: funnel('ordered'), from: 'last week', to: '2026-03-02' })
    expect(badDate.status).toBe(400)
    expect(badDate.body.error.message).toContain('ISO 8601')
    const lastStep = await api(chorus, ws, 'POST', '/measurement/funnels/people', { funnel: funnel('ordered'), from: '2026-03-02', to: '2026-03-03', step: 3 })
    expect(lastStep.status).toBe(400)
    expect(lastStep.body.error.message).toContain('Nobody drops after the last step')
    const oneStep = await api(chorus, ws, 'POST', '/measurement/funnels/report', { funnel: { steps: [{ event: 'x' }] }, from: '2026-03-02', to: '2026-03-03' })
    expect(oneStep.status).toBe(400)
    const unknownAudience = await report('ordered', { breakdown: { by: 'audience', audienceIds: ['aud_missing'] } })
    expect(unknownAudience.status).toBe(404)
  })
})

