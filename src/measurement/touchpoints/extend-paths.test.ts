import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { DAY, order, page, personOf, send } from '../../../test/measurement-customers/fixtures.ts'
import { defaultChannelRules } from '../grouping/index.ts'
import { defaultConversion } from './conversion-definition.ts'
import { extendPeople, type PeopleScan } from './extend-paths.ts'
import { buildExtraction, extractionPlan, extractPaths, scanPeoplePaths, sortedIds, type PathExtraction, type PersonPaths } from './extract-paths.ts'
import { identityChangesSince } from './identity-changes.ts'
import { appendedEvents } from './log-scan.ts'
import { logMark } from './reuse-while-unchanged.ts'

const START = Date.UTC(2025, 2, 1)
const HOUR = 3_600_000

/** What an extraction answers with, except how long it took. */
function snapshot(extraction: PathExtraction) {
  return { paths: extraction.paths, labels: [...extraction.labels.entries()], stats: { ...extraction.stats, seconds: 0 } }
}

/**
 * A full scan reads people page by page over seconds, so a merge committing meanwhile can be seen
 * on one page and not on another. These cases build such a kept scan by hand, then check that the
 * extension over that merge still answers as a fresh scan does.
 */
describe.each(DIALECTS)('extending people a scan read while a merge committed (%s)', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const input = (ws: TestWorkspace) => ({ database: chorus.ctx.database, workspaceId: ws.workspaceId, from: START, to: START + 20 * DAY, conversion: defaultConversion('CNY'), rules: defaultChannelRules() })

  /** T (older) and an anonymous browser, both with events; the kept scan as `edit` leaves it; then the browser signs in as T. */
  async function extendAcrossLogin(edit: (people: Map<string, PersonPaths>, t: string, browser: string) => void): Promise<void> {
    const ws = await newWorkspace(chorus)
    await send(chorus, ws, [page({ userId: 't' }, 'Landing', START + DAY, 'baidu'), order({ userId: 't' }, START + DAY + HOUR, 50)])
    chorus.clock.advance(1000) // T's profile is the older: it survives the merge
    await send(chorus, ws, [page({ anonymousId: 'browser' }, 'Landing', START + 2 * DAY, 'weibo'), order({ anonymousId: 'browser' }, START + 2 * DAY + HOUR, 20)])
    const t = await personOf(chorus, ws, 'user_id', 't')
    const browser = await personOf(chorus, ws, 'anonymous_id', 'browser')
    const before = await logMark(chorus.ctx.database.db)
    const people = await scanPeoplePaths(extractionPlan(input(ws), before.seq!))
    edit(people, t, browser)
    const kept: PeopleScan = { people, order: sortedIds(people), events: [...people.values()].reduce((n, p) => n + p.items.length, 0) }

    await send(chorus, ws, [{ type: 'identify', userId: 't', anonymousId: 'browser', timestamp: new Date(START + 3 * DAY).toISOString() }])
    expect(await personOf(chorus, ws, 'anonymous_id', 'browser')).toBe(t)
    const after = await logMark(chorus.ctx.database.db)
    const plan = extractionPlan(input(ws), after.seq!)
    const changes = await identityChangesSince(chorus.ctx.database.db, ws.workspaceId, before.mergeSeq, after.mergeSeq)
    expect(changes?.mergedAway).toEqual([browser])
    const appended = await appendedEvents(plan.scan, dialect, before.seq!, after.seq!)
    const extended = await extendPeople(plan, kept, before.seq!, changes!, appended)
    expect(extended).not.toBeNull()
    expect(extended!.events).toBe(4)
    const fresh = await extractPaths(input(ws))
    expect(snapshot(buildExtraction(plan, extended!.people, 0, extended!.order))).toEqual(snapshot(fresh))
    expect(fresh.stats).toMatchObject({ people: 1, convertingJourneys: 2 })
  }

  it('takes in the events of a merged profile the scan read with neither person', async () => {
    // T's page was read before the merge, the browser's after it (as part of T, already passed).
    await extendAcrossLogin((people, _t, browser) => people.delete(browser))
  })

  it('keeps once the events of a merged profile the scan read with both people', async () => {
    // The browser's page was read before the merge, T's after it (with the browser's events).
    await extendAcrossLogin((people, t, browser) => {
      const both = [...people.get(t)!.items, ...people.get(browser)!.items].sort((a, b) => a.at - b.at || a.seq - b.seq)
      people.set(t, { ...people.get(t)!, allProfileIds: [t, browser], items: both })
    })
  })
})
