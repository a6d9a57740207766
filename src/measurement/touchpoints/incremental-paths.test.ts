import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { DAY, MINUTE, order, page, send, track } from '../../../test/measurement-customers/fixtures.ts'
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

  it('scans the log whole again after a merge', async () => {
    await incremental(ws)
    // The anonymous visitor signs in as a: their history joins a's.
    await send(chorus, ws, [{ type: 'identify', userId: 'a', anonymousId: 'anon-x', timestamp: new Date(START + 9 * DAY).toISOString() }, order({ userId: 'a' }, START + 9 * DAY + HOUR, 30)])
    const merged = await incremental(ws)
    expect(merged.source).toBe('full')
    expect(snapshot(merged.extraction)).toEqual(snapshot(await fresh(ws)))
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
