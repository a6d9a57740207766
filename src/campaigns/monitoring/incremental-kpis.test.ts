import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { EventReads } from '../../../test/support/event-reads.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { api, order, page, personOf, send, track } from '../../../test/measurement-customers/fixtures.ts'
import { incrementalKpis } from './incremental-kpis.ts'
import { ALL_MEASURES } from './kpi-tally.ts'
import { logKpis, logMetric, type KpiQuery } from './log-kpis.ts'

// The window is 2026-03-01 to 2026-03-10 (UTC); the clock stands after it, so every event is in the past.
const at = (day: number, hour = 12) => Date.UTC(2026, 2, day, hour)
const usd = (who: object, ms: number, dollars: number) => ({ type: 'track', event: 'Order Completed', timestamp: new Date(ms).toISOString(), properties: { total: dollars, currency: 'USD' }, ...who })

/**
 * KPIs kept between reads and extended with what the log and the merge audit recorded since must
 * be what a fresh scan of the window answers, after every kind of change.
 */
describe.each(DIALECTS)('campaign KPIs extended from a kept read on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect, { start: at(20) })
  })
  afterAll(() => chorus.close())

  async function workspace(): Promise<{ ws: TestWorkspace; q: KpiQuery; reads: EventReads; read: (to?: number) => ReturnType<typeof incrementalKpis> }> {
    const ws = await newWorkspace(chorus)
    const q: KpiQuery = { workspaceId: ws.workspaceId, from: at(1, 0), to: at(10, 0), currency: 'CNY', leadEvents: ['Signed Up'], conversionEvents: ['Order Completed'] }
    await send(chorus, ws, [
      page({ userId: 'a' }, 'Home', at(2), 'douyin'),
      order({ userId: 'a' }, at(2, 15), 50),
      page({ anonymousId: 'anon-b' }, 'Home', at(3), 'xiaohongshu'),
      track({ userId: 'b' }, 'Signed Up', at(3, 13)),
      page({ userId: 'c' }, 'Home', at(4), 'baidu'),
      order({ userId: 'c' }, at(4, 15), 30),
      usd({ userId: 'c' }, at(4, 16), 7),
      order({ userId: 'f' }, at(5), 20),
      order({ anonymousId: 'anon-h' }, at(1, 0) - 86_400_000, 10),
      page({ anonymousId: 'anon-x' }, 'Home', at(6)),
    ])
    // Its own handle: what is kept is per database handle.
    const reads = new EventReads(q.from)
    const db = chorus.ctx.database.db.withPlugin(reads)
    return { ws, q, reads, read: (to = q.to) => incrementalKpis(db, { ...q, to }, ALL_MEASURES) }
  }
  const fresh = (q: KpiQuery) => logKpis(chorus.ctx.database.db, q)

  it('reads the window whole the first time, answering as the count queries do', async () => {
    const { q, read } = await workspace()
    const first = await read()
    expect(first.source).toBe('full')
    expect(first.answer).toEqual(await fresh(q))
    // a, anon-b, b, c, f (anon-h ordered before the window; anon-x is a visitor with a profile too).
    expect(first.answer).toMatchObject({ reach: 6, leads: 1, conversions: 4, revenueMinor: 10_000, otherCurrencies: { USD: 700 }, newCustomers: 3 })
  })

  it('adds events dated in the window, late ones included, and leaves out those dated outside it', async () => {
    const { ws, q, read } = await workspace()
    await read()
    await send(chorus, ws, [
      page({ userId: 'd' }, 'Home', at(7), 'douyin'),
      order({ userId: 'd' }, at(7, 13), 40),
      // Late-arriving: dated in the part of the window already read.
      page({ userId: 'e' }, 'Home', at(1, 6), 'weibo'),
      track({ userId: 'e' }, 'Signed Up', at(1, 7)),
      order({ userId: 'e' }, at(1, 8), 10),
      // After the window, and an order dated before it that makes `a` an earlier customer.
      page({ userId: 'g' }, 'Home', at(11), 'douyin'),
      order({ userId: 'g' }, at(11, 13), 99),
      order({ userId: 'a' }, at(1, 0) - 3_600_000, 5),
    ])
    const extended = await read()
    expect(extended.source).toBe('extended')
    expect(extended.answer).toEqual(await fresh(q))
    // d and e are new customers; a is not any more.
    expect(extended.answer).toMatchObject({ reach: 8, leads: 2, conversions: 6, revenueMinor: 15_000, newCustomers: 4 })
  })

  it('counts two counted people once after a login merges them', async () => {
    const { ws, q, read } = await workspace()
    const before = await read()
    await send(chorus, ws, [{ type: 'identify', anonymousId: 'anon-b', userId: 'b', timestamp: new Date(at(12)).toISOString() }])
    const extended = await read()
    expect(extended.source).toBe('extended')
    expect(extended.answer).toEqual(await fresh(q))
    expect(extended.answer.reach).toBe(before.answer.reach! - 1)
  })

  it('no longer counts a new customer whose merged profile ordered before the window', async () => {
    const { ws, q, read } = await workspace()
    const before = await read()
    await send(chorus, ws, [{ type: 'identify', anonymousId: 'anon-h', userId: 'f', timestamp: new Date(at(12)).toISOString() }])
    const extended = await read()
    expect(extended.source).toBe('extended')
    expect(extended.answer).toEqual(await fresh(q))
    expect(extended.answer.newCustomers).toBe(before.answer.newCustomers! - 1)
    // The profile that ordered before the window had no event in it: still one person reached.
    expect(extended.answer.reach).toBe(before.answer.reach)
  })

  it('drops an erased person, their revenue and a source only they came from', async () => {
    const { ws, q, read } = await workspace()
    const before = await read()
    const c = await personOf(chorus, ws, 'user_id', 'c')
    expect((await api(chorus, ws, 'DELETE', `/profiles/${c}`)).status).toBe(200)
    const extended = await read()
    expect(extended.source).toBe('extended')
    expect(extended.answer).toEqual(await fresh(q))
    expect(extended.answer).toMatchObject({ reach: before.answer.reach! - 1, revenueMinor: before.answer.revenueMinor! - 3_000, newCustomers: before.answer.newCustomers! - 1 })
    expect(extended.answer.otherCurrencies).toEqual({})
    expect(extended.answer.traffic!.bySource.find((s) => s.source === 'baidu')).toBeUndefined()
  })

  it('grows with a window whose end moves on, counting what was already in the log for the new stretch', async () => {
    const { q, read } = await workspace()
    const early = await read(at(5, 0))
    expect(early.answer).toEqual(await fresh({ ...q, to: at(5, 0) }))
    const later = await read(at(8, 0))
    expect(later.source).toBe('extended')
    expect(later.answer).toEqual(await fresh({ ...q, to: at(8, 0) }))
    expect(later.answer.newCustomers).toBe(early.answer.newCustomers! + 1)
    // A window that ends earlier than the kept one is read whole.
    const shorter = await read(at(6, 0))
    expect(shorter.source).toBe('full')
    expect(shorter.answer).toEqual(await fresh({ ...q, to: at(6, 0) }))
  })

  it('grows a running window without looking for its new stretch when nothing was dated ahead of the kept end', async () => {
    const { q } = await workspace()
    // Its own handle, counting the statements that bind the kept end (the stretch's start).
    const stretchReads = new EventReads(at(10, 0))
    const db = chorus.ctx.database.db.withPlugin(stretchReads)
    await incrementalKpis(db, { ...q, to: at(10, 0) }, ALL_MEASURES)
    stretchReads.reset()
    const grown = await incrementalKpis(db, { ...q, to: at(12, 0) }, ALL_MEASURES)
    expect(grown.source).toBe('extended')
    expect(grown.answer).toEqual(await fresh({ ...q, to: at(12, 0) }))
    expect(stretchReads.boundReads).toBe(0)
  })

  it('keeps a single goal metric on its own, narrowed to the goal\'s sources', async () => {
    const { ws, q } = await workspace()
    const db = chorus.ctx.database.db.withPlugin(new EventReads(q.from))
    const douyin = { ...q, sources: ['Douyin'] }
    expect((await incrementalKpis(db, douyin, ['reach'])).answer).toEqual(await logMetric(chorus.ctx.database.db, douyin, 'reach'))
    await send(chorus, ws, [page({ userId: 'b' }, 'Home', at(8), 'douyin'), page({ userId: 'c' }, 'Home', at(8), 'baidu')])
    const extended = await incrementalKpis(db, douyin, ['reach'])
    expect(extended.source).toBe('extended')
    expect(extended.answer).toEqual(await logMetric(chorus.ctx.database.db, douyin, 'reach'))
    expect(extended.answer).toEqual({ reach: 2 })
  })

  it('reads only what was appended, never the window again', async () => {
    const { ws, q, reads, read } = await workspace()
    await read()
    // The first read scans the window, one statement per measure.
    expect(reads.boundReads).toBeGreaterThanOrEqual(6)
    reads.reset()
    await send(chorus, ws, [page({ userId: 'd' }, 'Home', at(7), 'douyin'), order({ userId: 'd' }, at(7, 13), 40)])
    await send(chorus, ws, [{ type: 'identify', anonymousId: 'anon-b', userId: 'b', timestamp: new Date(at(12)).toISOString() }])
    const extended = await read()
    expect(extended.source).toBe('extended')
    expect(extended.answer).toEqual(await fresh(q))
    expect(reads.boundReads).toBe(0)
    // The log's last number, the events appended since and the first orders of the people touched.
    expect(reads.count).toBeLessThanOrEqual(3)
  })
})
