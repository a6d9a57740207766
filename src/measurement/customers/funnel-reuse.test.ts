import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { api, MINUTE, order, personOf, send, track } from '../../../test/measurement-customers/fixtures.ts'
import { computeFunnel } from './funnel-report.ts'
import { FunnelQuery } from './funnel-definition.ts'

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0)
const at = (minutes: number) => T0 + minutes * MINUTE
const query = FunnelQuery.parse({ funnel: { steps: [{ event: 'Product Viewed' }, { event: 'Product Added' }, { event: '$order' }], window: { amount: 1, unit: 'day' } }, from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' })

describe.each(DIALECTS)('funnel matching reused while the log is unchanged (%s)', (dialect) => {
  let chorus: TestChorus
  let ws: TestWorkspace
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    ws = await newWorkspace(chorus)
    await send(chorus, ws, [track({ userId: 'a' }, 'Product Viewed', at(0)), track({ userId: 'a' }, 'Product Added', at(1)), track({ userId: 'b' }, 'Product Viewed', at(0))])
  })
  afterAll(() => chorus.close())

  const peopleAtSteps = async () => (await api(chorus, ws, 'POST', '/measurement/funnels/report', query)).body.steps.map((s: { people: number }) => s.people)

  it('matches once for the report, its drop-off list and a repeat', async () => {
    const first = await computeFunnel(chorus.ctx.database.db, ws.workspaceId, query)
    expect(await computeFunnel(chorus.ctx.database.db, ws.workspaceId, query)).toBe(first)
    expect(await peopleAtSteps()).toEqual([2, 1, 0])
  })

  it('sees an order written since, and an erased person', async () => {
    await send(chorus, ws, [order({ userId: 'a' }, at(2), 10)])
    expect(await peopleAtSteps()).toEqual([2, 1, 1])
    const b = await personOf(chorus, ws, 'user_id', 'b')
    expect((await api(chorus, ws, 'DELETE', `/profiles/${b}`)).status).toBe(200)
    expect(await peopleAtSteps()).toEqual([1, 1, 1])
  })
})
