import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { api, DAY, send, track } from '../../../test/measurement-customers/fixtures.ts'

// Monday 2026-03-02: week 0 of the cohort.
const MONDAY = Date.UTC(2026, 2, 2, 9, 0, 0)

describe.each(DIALECTS)('retention read once, answered for any as-of (%s)', (dialect) => {
  let chorus: TestChorus
  let ws: TestWorkspace
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    ws = await newWorkspace(chorus)
    // a: starts week 0, back in weeks 1 and 2; b: starts week 0, back in week 2 only.
    await send(chorus, ws, [
      track({ userId: 'a' }, 'Opened', MONDAY),
      track({ userId: 'a' }, 'Opened', MONDAY + 7 * DAY),
      track({ userId: 'a' }, 'Opened', MONDAY + 14 * DAY),
      track({ userId: 'b' }, 'Opened', MONDAY + DAY),
      track({ userId: 'b' }, 'Opened', MONDAY + 15 * DAY),
    ])
  })
  afterAll(() => chorus.close())

  const returned = async (asOf: string) =>
    (await api(chorus, ws, 'POST', '/measurement/retention', { from: '2026-03-02T00:00:00Z', to: '2026-03-09T00:00:00Z', periods: 3, asOf })).body.total.cells.map((c: { people: number; eligible: number }) => [c.people, c.eligible])

  it('leaves out what happened after each as-of, from one read of the log', async () => {
    expect(await returned('2026-03-10T00:00:00Z')).toEqual([[2, 2], [1, 2], [0, 0], [0, 0]])
    expect(await returned('2026-03-30T00:00:00Z')).toEqual([[2, 2], [1, 2], [2, 2], [0, 2]])
    // Before b's first event, only a has started.
    expect(await returned('2026-03-02T12:00:00Z')).toEqual([[1, 1], [0, 0], [0, 0], [0, 0]])
  })

  it('sees a return written since', async () => {
    await send(chorus, ws, [track({ userId: 'b' }, 'Opened', MONDAY + 22 * DAY)])
    expect(await returned('2026-03-30T00:00:00Z')).toEqual([[2, 2], [1, 2], [2, 2], [1, 2]])
  })
})
