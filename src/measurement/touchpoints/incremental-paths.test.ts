import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { api, DAY, MINUTE, order, page, personOf, send, track } from '../../../test/measurement-customers/fixtures.ts'
import { ChannelRule, defaultChannelRules } from '../grouping/index.ts'
import { defaultConversion } from './conversion-definition.ts'
import { extractPaths, type PathExtraction } from './extract-paths.ts'
import { extractPathsIncrementally } from './incremental-paths.ts'

const START = Date.UTC(2025, 2, 1)
const HOUR = 3_600_000
const FROM = START
const TO = START + 20 * DAY

/** Everything an extraction answers with, except how long it took. */
function snapshot(extraction: PathExtraction) {
  const pathsOf = (p: PathExtraction['paths']) => ({
    channels: p.channels,
    size: p.size,
    offsets: Array.from(p.offsets),
    touches: Array.from(p.touches),
    ages: p.ages ? Array.from(p.ages) : null,
    conversions: Array.from(p.conversions),
    values: Array.from(p.values),
    nulls: Array.from(p.nulls),
  })
  return {
    paths: pathsOf(extraction.paths),
    newCustomerPaths: pathsOf(extraction.newCustomerPaths),
    labels: [...extraction.labels.entries()],
    directLabels: extraction.directLabels,
    stats: { ...extraction.stats, seconds: 0 },
  }
}

describe.each(DIALECTS)('extending a path extraction with appended events (%s)', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const input = (ws: TestWorkspace, rules = defaultChannelRules()) => ({ database: chorus.ctx.database, workspaceId: ws.workspaceId, from: FROM, to: TO, conversion: defaultConversion('CNY'), rules })
  const keyOf = (rules: unknown) => ['paths', FROM, TO, defaultConversion('CNY'), rules]
  const incremental = (ws: TestWorkspace, rules = defaultChannelRules()) => extractPathsIncrementally(input(ws, rules), keyOf(rules))
  const fresh = (ws: TestWorkspace, rules = defaultChannelRules()) => extractPaths(input(ws, rules))

  let ws: TestWorkspace
  beforeAll(async () => {
    ws = await newWorkspace(chorus)
    await send(chorus, ws, [
      page({ userId: 'a' }, 'Landing', START + HOUR, 'baidu'),
      order({ userId: 'a' }, START + 2 * HOUR, 100),
      page({ userId: 'b' }, 'Landing', START + 2 * DAY, 'weibo'),
      page({ userId: 'c' }, 'Landing', START + 3 * DAY, 'douyin'),
      order({ userId: 'c' }, START + 3 * DAY + HOUR, 80),
      page({ anonymousId: 'anon-x' }, 'Landing', START + 4 * DAY, 'xiaohongshu'),
    ])
  })

  it('reads the log whole the first time, then only what was appended, with the same answer as a fresh scan', async () => {
    const first = await incremental(ws)
    expect(first.source).toBe('full')
    expect(snapshot(first.extraction)).toEqual(snapshot(await fresh(ws)))

    await send(chorus, ws, [
      // A new person, touched and converting.
      page({ userId: 'd' }, 'Landing', START + 5 * DAY, 'zhihu'),
      order({ userId: 'd' }, START + 5 * DAY + HOUR, 60),
      // A returning buyer: a new visit and a repeat order.
      page({ userId: 'a' }, 'Landing', START + 6 * DAY, 'weibo'),
      order({ userId: 'a' }, START + 6 * DAY + HOUR, 40),
      // Arriving late, dated before what b already had: a touch ahead of the weibo visit, then an order.
      page({ userId: 'b' }, 'Landing', START + DAY, 'bilibili'),
      order({ userId: 'b' }, START + DAY + 12 * HOUR, 20),
      order({ userId: 'b' }, START + 7 * DAY, 70),
      // Arriving late, ten minutes ahead of c's douyin visit: now the visit starts there.
      page({ userId: 'c' }, 'Landing', START + 3 * DAY - 10 * MINUTE, 'douyin'),
      // Arriving late, dated before the scanned range: c had bought before, so c is no new customer.
      order({ userId: 'c' }, START - 40 * DAY, 10),
      // A touch that is not a conversion, for someone with no order.
      track({ userId: 'e' }, 'Ad Viewed', START + 8 * DAY, { platform: 'douyin' }),
    ])
    const second = await incremental(ws)
    expect(second.source).toBe('extended')
    const full = await fresh(ws)
    expect(snapshot(second.extraction)).toEqual(snapshot(full))
    expect(full.stats.convertingJourneys).toBe(6)
    expect(full.stats.sameVisit).toBe(1)
    expect(full.stats.newCustomers).toBe(3)
    expect(full.stats.people).toBe(6)
  })

  it('answers from what it kept when nothing in the workspace was appended', async () => {
    await incremental(ws)
    const other = await newWorkspace(chorus)
    await send(chorus, other, [page({ userId: 'z' }, 'Landing', START + HOUR, 'baidu')])
    const again = await incremental(ws)
    expect(again.source).toBe('extended')
    expect(snapshot(again.extraction)).toEqual(snapshot(await fresh(ws)))
  })

  it('extends the kept scan across a login that merges an anonymous visitor into a known person', async () => {
    await incremental(ws)
    // The anonymous visitor signs in as a: their history joins a's.
    await send(chorus, ws, [{ type: 'identify', userId: 'a', anonymousId: 'anon-x', timestamp: new Date(START + 9 * DAY).toISOString() }, order({ userId: 'a' }, START + 9 * DAY + HOUR, 30)])
    const merged = await incremental(ws)
    expect(merged.source).toBe('extended')
    expect(snapshot(merged.extraction)).toEqual(snapshot(await fresh(ws)))
    expect(await personOf(chorus, ws, 'anonymous_id', 'anon-x')).toBe(await personOf(chorus, ws, 'user_id', 'a'))
    const journeys = merged.extraction.stats.convertingJourneys
    expect(journeys).toBe(7)

    await send(chorus, ws, [page({ userId: 'f' }, 'Landing', START + 10 * DAY, 'baidu')])
    const after = await incremental(ws)
    expect(after.source).toBe('extended')
    expect(snapshot(after.extraction)).toEqual(snapshot(await fresh(ws)))
  })

  it('keeps no extraction larger than the bound, and scans whole after new events', async () => {
    const bound = 3
    const over = await extractPathsIncrementally(input(ws), ['bounded'], bound)
    expect(over.source).toBe('full')
    expect(over.extraction.stats.events).toBeGreaterThan(bound)
    await send(chorus, ws, [page({ userId: 'g' }, 'Landing', START + 11 * DAY, 'weibo')])
    const next = await extractPathsIncrementally(input(ws), ['bounded'], bound)
    expect(next.source).toBe('full')
    expect(snapshot(next.extraction)).toEqual(snapshot(await fresh(ws)))
    await send(chorus, ws, [page({ userId: 'g' }, 'Landing', START + 12 * DAY, 'douyin')])
    expect((await extractPathsIncrementally(input(ws), ['bounded'])).source).toBe('full')
    await send(chorus, ws, [page({ userId: 'g' }, 'Landing', START + 13 * DAY, 'baidu')])
    expect((await extractPathsIncrementally(input(ws), ['bounded'])).source).toBe('extended')
  })

  it('scans whole for other channel rules, which are another extraction', async () => {
    await incremental(ws)
    const rules = [ChannelRule.parse({ id: 'all-weibo', name: 'everything is weibo', when: [], channel: 'weibo', group: 'paid_social' }), ...defaultChannelRules()]
    const other = await incremental(ws, rules)
    expect(other.source).toBe('full')
    // Every touch is weibo now; a's last order had no touch since the one before it.
    expect(other.extraction.paths.channels.filter((c) => c !== '(none)')).toEqual(['weibo'])
    expect(snapshot(other.extraction)).toEqual(snapshot(await fresh(ws, rules)))
  })
})

describe.each(DIALECTS)('extending a path extraction across merges and erasures (%s)', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const input = (ws: TestWorkspace) => ({ database: chorus.ctx.database, workspaceId: ws.workspaceId, from: FROM, to: TO, conversion: defaultConversion('CNY'), rules: defaultChannelRules() })
  const key = ['paths', FROM, TO, defaultConversion('CNY'), defaultChannelRules()]
  /** The next read, with how it was made, checked against a fresh scan of the same log. */
  const read = async (ws: TestWorkspace) => {
    const { extraction, source } = await extractPathsIncrementally(input(ws), key)
    expect(snapshot(extraction)).toEqual(snapshot(await extractPaths(input(ws))))
    return { source, stats: extraction.stats }
  }
  const at = (ms: number) => new Date(ms).toISOString()
  const identify = (who: { userId?: string; anonymousId?: string; deviceId?: string }, ms: number) => ({
    type: 'identify',
    ...(who.userId ? { userId: who.userId } : {}),
    ...(who.anonymousId ? { anonymousId: who.anonymousId } : {}),
    ...(who.deviceId ? { context: { device: { id: who.deviceId } } } : {}),
    timestamp: at(ms),
  })

  it('folds in a chain of merges (a into b, then b into c), whether seen at once or one by one', async () => {
    for (const oneByOne of [false, true]) {
      const ws = await newWorkspace(chorus)
      await send(chorus, ws, [
        page({ anonymousId: 'web' }, 'Landing', START + HOUR, 'baidu'),
        { ...page({ anonymousId: 'app' }, 'Home', START + DAY, 'douyin'), context: { device: { id: 'dev-1' }, campaign: { source: 'douyin' } } },
        order({ anonymousId: 'app' }, START + DAY + HOUR, 50),
        page({ userId: 'member' }, 'Landing', START + 2 * DAY, 'weibo'),
        order({ userId: 'member' }, START + 2 * DAY + HOUR, 80),
        page({ userId: 'bystander' }, 'Landing', START + 3 * DAY, 'zhihu'),
      ])
      expect((await read(ws)).stats.people).toBe(4)
      await send(chorus, ws, [identify({ anonymousId: 'web', deviceId: 'dev-1' }, START + 4 * DAY)])
      if (oneByOne) expect(await read(ws)).toMatchObject({ source: 'extended', stats: { people: 3 } })
      await send(chorus, ws, [identify({ userId: 'member', deviceId: 'dev-1' }, START + 5 * DAY), order({ userId: 'member' }, START + 5 * DAY + HOUR, 20)])
      expect(await read(ws)).toMatchObject({ source: 'extended', stats: { people: 2, convertingJourneys: 3, newCustomers: 1 } })
      const person = await personOf(chorus, ws, 'user_id', 'member')
      expect(await personOf(chorus, ws, 'anonymous_id', 'web')).toBe(person)
      expect(await personOf(chorus, ws, 'anonymous_id', 'app')).toBe(person)
    }
  })

  it('merges two people who both had touches and orders, and asks again who converted before the period', async () => {
    const ws = await newWorkspace(chorus)
    await send(chorus, ws, [
      page({ anonymousId: 'phone' }, 'Landing', START + HOUR, 'xiaohongshu'),
      order({ anonymousId: 'phone' }, START + 2 * HOUR, 40),
      page({ userId: 'h' }, 'Landing', START + 3 * DAY, 'baidu'),
      order({ userId: 'h' }, START + 3 * DAY + HOUR, 90),
      // Someone who bought long before the period and has nothing in the scanned range.
      order({ anonymousId: 'old-browser' }, START - 60 * DAY, 10),
      page({ userId: 'k' }, 'Landing', START + 4 * DAY, 'weibo'),
      order({ userId: 'k' }, START + 4 * DAY + HOUR, 30),
    ])
    expect((await read(ws)).stats).toMatchObject({ people: 3, newCustomers: 3 })
    // h signs in on the phone: one person with two journeys, the first order now the first ever.
    await send(chorus, ws, [identify({ userId: 'h', anonymousId: 'phone' }, START + 5 * DAY)])
    expect(await read(ws)).toMatchObject({ source: 'extended', stats: { people: 2, convertingJourneys: 3, newCustomers: 2 } })
    // k turns out to be the old buyer: no new customer any more, though that profile had no event in the range.
    await send(chorus, ws, [identify({ userId: 'k', anonymousId: 'old-browser' }, START + 6 * DAY)])
    expect(await read(ws)).toMatchObject({ source: 'extended', stats: { people: 2, newCustomers: 1 } })
  })

  it('follows events written to a profile merged away in the same batch, and later ones sent under its id', async () => {
    const ws = await newWorkspace(chorus)
    await send(chorus, ws, [page({ anonymousId: 'tablet' }, 'Landing', START + HOUR, 'bilibili'), page({ userId: 'y' }, 'Landing', START + DAY, 'zhihu')])
    await read(ws)
    // The page is stored under the tablet's profile, which the identify after it merges away.
    await send(chorus, ws, [page({ anonymousId: 'tablet' }, 'Landing', START + 2 * DAY, 'douyin'), identify({ userId: 'y', anonymousId: 'tablet' }, START + 2 * DAY + MINUTE), order({ anonymousId: 'tablet' }, START + 2 * DAY + HOUR, 70)])
    expect(await read(ws)).toMatchObject({ source: 'extended', stats: { people: 1, convertingJourneys: 1 } })
    // A browser first seen in this batch, merged away within it.
    await send(chorus, ws, [page({ anonymousId: 'kiosk' }, 'Landing', START + 3 * DAY, 'weibo'), identify({ userId: 'y', anonymousId: 'kiosk' }, START + 3 * DAY + MINUTE), order({ userId: 'y' }, START + 3 * DAY + HOUR, 15)])
    expect(await read(ws)).toMatchObject({ source: 'extended', stats: { people: 1, convertingJourneys: 2 } })
    await send(chorus, ws, [page({ anonymousId: 'tablet' }, 'Landing', START + 4 * DAY, 'baidu'), order({ anonymousId: 'kiosk' }, START + 4 * DAY + HOUR, 25)])
    expect(await read(ws)).toMatchObject({ source: 'extended', stats: { people: 1, convertingJourneys: 3 } })
  })

  it('reads a person whose own pages in the range are all inside a visit, once a browser with a landing joins them', async () => {
    const ws = await newWorkspace(chorus)
    const inside = { type: 'page', userId: 'n', name: 'Cart', timestamp: at(START + DAY), context: { page: { url: 'https://shop.example.cn/cart', referrer: 'https://shop.example.cn/item/7' } } }
    await send(chorus, ws, [inside])
    await send(chorus, ws, [page({ anonymousId: 'n-browser' }, 'Landing', START + 2 * DAY, 'baidu'), order({ anonymousId: 'n-browser' }, START + 2 * DAY + HOUR, 35)])
    // (SQLite's scan skips such a page unread; PostgreSQL hands payloads over parsed and reads it.)
    expect((await read(ws)).stats).toMatchObject({ people: dialect === 'sqlite' ? 1 : 2, convertingJourneys: 1 })
    // n is the older profile, so the browser's profile is merged into n's, whose only event in the
    // range is not worth classifying: the scan still reads the person, at n's profile.
    await send(chorus, ws, [identify({ userId: 'n', anonymousId: 'n-browser' }, START + 3 * DAY)])
    expect(await personOf(chorus, ws, 'anonymous_id', 'n-browser')).toBe(await personOf(chorus, ws, 'user_id', 'n'))
    expect(await read(ws)).toMatchObject({ source: 'extended', stats: { people: 1, convertingJourneys: 1 } })
  })

  it('drops an erased person, and scans whole when the erasure took audit rows written since the kept scan', async () => {
    const ws = await newWorkspace(chorus)
    await send(chorus, ws, [
      page({ userId: 'p' }, 'Landing', START + HOUR, 'baidu'),
      order({ userId: 'p' }, START + 2 * HOUR, 60),
      page({ anonymousId: 'p-laptop' }, 'Landing', START + DAY, 'weibo'),
      page({ userId: 'q' }, 'Landing', START + 2 * DAY, 'douyin'),
      order({ userId: 'q' }, START + 2 * DAY + HOUR, 45),
      page({ userId: 'r' }, 'Landing', START + 3 * DAY, 'zhihu'),
    ])
    await send(chorus, ws, [identify({ userId: 'p', anonymousId: 'p-laptop' }, START + 4 * DAY)])
    expect((await read(ws)).stats.people).toBe(3)
    // p and the laptop merged into them before the kept scan: both go.
    const erased = await api(chorus, ws, 'DELETE', `/profiles/${await personOf(chorus, ws, 'user_id', 'p')}`)
    expect(erased.status).toBe(200)
    expect(await read(ws)).toMatchObject({ source: 'extended', stats: { people: 2, convertingJourneys: 1 } })

    // q signs in on a new phone after the kept scan, then asks to be forgotten: the erasure deletes
    // the audit row of that merge, so what moved cannot be told from the audit.
    await send(chorus, ws, [page({ anonymousId: 'q-phone' }, 'Landing', START + 5 * DAY, 'weibo')])
    await read(ws)
    await send(chorus, ws, [identify({ userId: 'q', anonymousId: 'q-phone' }, START + 6 * DAY)])
    expect((await api(chorus, ws, 'DELETE', `/profiles/${await personOf(chorus, ws, 'user_id', 'q')}`)).status).toBe(200)
    expect(await read(ws)).toMatchObject({ source: 'full', stats: { people: 1, convertingJourneys: 0 } })
    await send(chorus, ws, [page({ userId: 'r' }, 'Landing', START + 7 * DAY, 'baidu')])
    expect((await read(ws)).source).toBe('extended')
  })
})
