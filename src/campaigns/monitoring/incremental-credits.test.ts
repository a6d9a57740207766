import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { EventReads } from '../../../test/support/event-reads.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { api, order, page, personOf, send } from '../../../test/measurement-customers/fixtures.ts'
import { incrementalCredits } from './incremental-credits.ts'
import type { CreditQuery, Credits } from './last-touch.ts'
import { lastTouchCredits } from './log-kpis.ts'

// The window is 2026-03-01 to 2026-03-10 (UTC); the clock stands after it, so every event is in the past.
const at = (day: number, hour = 12) => Date.UTC(2026, 2, day, hour)
const DAY = 86_400_000

/** Credits as plain data, channels in order, so two answers compare whatever order they were found in. */
const plain = (c: Credits) => ({ byChannel: Object.fromEntries([...c.byChannel].sort(([a], [b]) => (a < b ? -1 : 1))), unattributed: c.unattributed })

/**
 * Last-touch credits kept between reads and extended with what the log and the merge audit
 * recorded since must be what a fresh scan of the window answers, after every kind of change.
 */
describe.each(DIALECTS)('last-touch credits extended from a kept read on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect, { start: at(20) })
  })
  afterAll(() => chorus.close())

  async function workspace(): Promise<{ ws: TestWorkspace; q: CreditQuery; reads: EventReads; read: (over?: Partial<CreditQuery>) => ReturnType<typeof incrementalCredits> }> {
    const ws = await newWorkspace(chorus)
    const q: CreditQuery = {
      workspaceId: ws.workspaceId,
      from: at(1, 0),
      to: at(10, 0),
      currency: 'CNY',
      conversionEvents: ['Order Completed'],
      sourceToChannel: new Map([
        ['douyin', 'Douyin'],
        ['baidu', 'Search'],
        ['xiaohongshu', 'Xiaohongshu'],
      ]),
      lookbackMs: 3 * DAY,
    }
    await send(chorus, ws, [
      page({ userId: 'a' }, 'Home', at(2), 'douyin'),
      order({ userId: 'a' }, at(2, 15), 50),
      page({ anonymousId: 'anon-b' }, 'Home', at(3), 'xiaohongshu'),
      order({ userId: 'b' }, at(3, 13), 40),
      page({ userId: 'c' }, 'Home', at(4), 'baidu'),
      order({ userId: 'c' }, at(4, 15), 30),
      order({ userId: 'f' }, at(5), 20),
      // A touch before the window, within the lookback of an order in it.
      page({ userId: 'e' }, 'Home', at(1, 0) - DAY, 'douyin'),
      order({ userId: 'e' }, at(1, 6), 10),
    ])
    // Its own handle: what is kept is per database handle.
    const reads = new EventReads(q.from - q.lookbackMs)
    const db = chorus.ctx.database.db.withPlugin(reads)
    return { ws, q, reads, read: (over = {}) => incrementalCredits(db, { ...q, ...over }) }
  }
  const fresh = async (q: CreditQuery) => plain(await lastTouchCredits(chorus.ctx.database.db, q))

  it('reads the window whole the first time, crediting as the scan does', async () => {
    const { q, read } = await workspace()
    const first = await read()
    expect(first.source).toBe('full')
    expect(plain(first.answer)).toEqual(await fresh(q))
    expect(plain(first.answer)).toEqual({
      byChannel: { Douyin: { conversions: 2, revenueMinor: 6_000 }, Search: { conversions: 1, revenueMinor: 3_000 } },
      unattributed: { conversions: 2, revenueMinor: 6_000 },
    })
  })

  it('credits a new conversion to its person\'s last touch', async () => {
    const { ws, q, read } = await workspace()
    await read()
    await send(chorus, ws, [order({ userId: 'c' }, at(6), 15), page({ userId: 'd' }, 'Home', at(7), 'xiaohongshu'), order({ userId: 'd' }, at(7, 13), 25)])
    const extended = await read()
    expect(extended.source).toBe('extended')
    expect(plain(extended.answer)).toEqual(await fresh(q))
    expect(extended.answer.byChannel.get('Search')).toEqual({ conversions: 2, revenueMinor: 4_500 })
    expect(extended.answer.byChannel.get('Xiaohongshu')).toEqual({ conversions: 1, revenueMinor: 2_500 })
  })

  it('credits again a conversion a late-arriving touch dated before it now precedes', async () => {
    const { ws, q, read } = await workspace()
    const before = await read()
    // f's order on the 5th was unattributed; a touch dated the day before arrives now.
    await send(chorus, ws, [page({ userId: 'f' }, 'Home', at(4, 12), 'douyin')])
    const extended = await read()
    expect(extended.source).toBe('extended')
    expect(plain(extended.answer)).toEqual(await fresh(q))
    expect(extended.answer.byChannel.get('Douyin')).toEqual({ conversions: 3, revenueMinor: 8_000 })
    expect(extended.answer.unattributed).toEqual({ conversions: before.answer.unattributed.conversions - 1, revenueMinor: before.answer.unattributed.revenueMinor - 2_000 })
  })

  it('credits a conversion to the touches of a profile a login merges into its person', async () => {
    const { ws, q, read } = await workspace()
    const before = await read()
    expect(before.answer.byChannel.get('Xiaohongshu')).toBeUndefined()
    await send(chorus, ws, [{ type: 'identify', anonymousId: 'anon-b', userId: 'b', timestamp: new Date(at(12)).toISOString() }])
    const extended = await read()
    expect(extended.source).toBe('extended')
    expect(plain(extended.answer)).toEqual(await fresh(q))
    expect(extended.answer.byChannel.get('Xiaohongshu')).toEqual({ conversions: 1, revenueMinor: 4_000 })
    expect(extended.answer.unattributed.conversions).toBe(before.answer.unattributed.conversions - 1)
  })

  it('drops an erased person\'s conversions and the channel only they were credited to', async () => {
    const { ws, q, read } = await workspace()
    await read()
    const c = await personOf(chorus, ws, 'user_id', 'c')
    expect((await api(chorus, ws, 'DELETE', `/profiles/${c}`)).status).toBe(200)
    const extended = await read()
    expect(extended.source).toBe('extended')
    expect(plain(extended.answer)).toEqual(await fresh(q))
    expect(extended.answer.byChannel.has('Search')).toBe(false)
  })

  it('grows with a window whose end moves on, crediting the conversions already in the log for the new stretch', async () => {
    const { q, read } = await workspace()
    const early = await read({ to: at(4, 0) })
    expect(plain(early.answer)).toEqual(await fresh({ ...q, to: at(4, 0) }))
    const later = await read({ to: at(8, 0) })
    expect(later.source).toBe('extended')
    expect(plain(later.answer)).toEqual(await fresh({ ...q, to: at(8, 0) }))
    // c's order on the 4th (Search) and f's on the 5th (unattributed) are in the stretch.
    expect(later.answer.byChannel.get('Search')).toEqual({ conversions: 1, revenueMinor: 3_000 })
    expect(later.answer.unattributed.conversions).toBe(early.answer.unattributed.conversions + 1)
    // A window that ends earlier than the kept one is read whole.
    const shorter = await read({ to: at(6, 0) })
    expect(shorter.source).toBe('full')
    expect(plain(shorter.answer)).toEqual(await fresh({ ...q, to: at(6, 0) }))
  })

  it('never shares what is kept between reads that credit differently', async () => {
    const { ws, q, read } = await workspace()
    await read()
    await send(chorus, ws, [order({ userId: 'a' }, at(8), 5)])
    const others: Array<Partial<CreditQuery>> = [
      { sourceToChannel: new Map([['douyin', 'Search'], ['baidu', 'Douyin']]) },
      { lookbackMs: 2 * 3_600_000 },
      { conversionEvents: ['Order Completed', 'Signed Up'] },
    ]
    for (const other of others) {
      const answer = await read(other)
      expect(answer.source).toBe('full')
      expect(plain(answer.answer)).toEqual(await fresh({ ...q, ...other }))
    }
  })

  it('reads the touches of the people something happened to, never the window\'s again', async () => {
    const { ws, q, reads, read } = await workspace()
    await read()
    // The first read scans every touch from the lookback's start: a, anon-b, c and e's.
    expect(reads.boundRows).toBeGreaterThanOrEqual(4)
    reads.reset()
    await send(chorus, ws, [page({ userId: 'd' }, 'Home', at(7), 'douyin'), order({ userId: 'd' }, at(7, 13), 40)])
    const extended = await read()
    expect(extended.source).toBe('extended')
    expect(plain(extended.answer)).toEqual(await fresh(q))
    // d's touch and order, and nobody else's.
    expect(reads.boundRows).toBe(2)
    // The log's last number, the events appended since and d's events.
    expect(reads.count).toBeLessThanOrEqual(3)
  })
})
