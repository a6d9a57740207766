import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { api, order, page, personOf, send } from '../../../test/measurement-customers/fixtures.ts'
import { ChannelRule, defaultChannelRules } from '../grouping/index.ts'
import { defaultConversion } from '../touchpoints/index.ts'
import { cachedExtractPaths } from './extraction-cache.ts'

const START = Date.UTC(2025, 2, 1)
const HOUR = 3_600_000

describe.each(DIALECTS)('reusing a path extraction (%s)', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const scanOf = (ws: TestWorkspace, rules = defaultChannelRules()) =>
    cachedExtractPaths({ database: chorus.ctx.database, workspaceId: ws.workspaceId, from: START, to: START + 10 * 24 * HOUR, conversion: defaultConversion('CNY'), rules })
  const attribution = async (ws: TestWorkspace) => (await api(chorus, ws, 'POST', '/measurement/attribution', { from: '2025-03-01', to: '2025-03-10', models: ['last_touch'] })).body

  let ws: TestWorkspace
  beforeAll(async () => {
    ws = await newWorkspace(chorus)
    await send(chorus, ws, [page({ userId: 'a' }, 'Landing', START + HOUR, 'baidu'), order({ userId: 'a' }, START + 2 * HOUR, 100), page({ userId: 'b' }, 'Landing', START + HOUR, 'weibo'), order({ userId: 'b' }, START + 3 * HOUR, 50)])
  })

  it('answers an identical request from the same scan while nothing changed', async () => {
    const first = await scanOf(ws)
    expect(await scanOf(ws)).toBe(first)
    expect(first.stats.convertingJourneys).toBe(2)
  })

  it('scans again when the rules differ', async () => {
    const rules = defaultChannelRules()
    const renamed = [ChannelRule.parse({ id: 'all-weibo', name: 'everything is weibo', when: [], channel: 'weibo', group: 'paid_social' }), ...rules]
    const other = await scanOf(ws, renamed)
    expect(other).not.toBe(await scanOf(ws))
    expect(other.paths.channels).toEqual(['weibo'])
  })

  it('sees an order written after the first answer, even one dated in the past', async () => {
    const before = await attribution(ws)
    expect(before.totals.conversions).toBe(2)
    await send(chorus, ws, [order({ userId: 'c' }, START + 5 * HOUR, 30)])
    expect((await attribution(ws)).totals.conversions).toBe(3)
  })

  it('forgets an erased person at once', async () => {
    expect((await attribution(ws)).totals.conversions).toBe(3)
    const b = await personOf(chorus, ws, 'user_id', 'b')
    expect((await api(chorus, ws, 'DELETE', `/profiles/${b}`)).status).toBe(200)
    const after = await attribution(ws)
    expect(after.totals.conversions).toBe(2)
    expect(after.models.last_touch.map((r: { channel: string }) => r.channel)).not.toContain('weibo')
  })

  it('follows a merge that joins an anonymous visit to a buyer', async () => {
    const other = await newWorkspace(chorus)
    await send(chorus, other, [page({ anonymousId: 'anon-1' }, 'Landing', START + HOUR, 'douyin'), order({ userId: 'd' }, START + 2 * HOUR, 80)])
    const credited = (report: any) => Object.fromEntries(report.models.last_touch.filter((r: { conversions: number }) => r.conversions > 0).map((r: { channel: string; conversions: number }) => [r.channel, r.conversions]))
    expect(credited(await attribution(other))).toEqual({ '(none)': 1 })
    await send(chorus, other, [{ type: 'identify', userId: 'd', anonymousId: 'anon-1', timestamp: new Date(START + 3 * HOUR).toISOString() }])
    expect(credited(await attribution(other))).toEqual({ douyin_organic: 1 })
  })
})
