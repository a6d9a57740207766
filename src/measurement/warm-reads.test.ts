import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
import { DIALECTS } from '../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../test/support/chorus.ts'
import { DAY, order, page, send } from '../../test/measurement-customers/fixtures.ts'
import { silentLogger, type Database } from '../platform/index.ts'
import { lastDays } from '../../web/src/pages/analytics/period.ts'
import { dashboardPeriods, warmDashboardReads } from './warm-reads.ts'
import { roiReport } from './roi/index.ts'

/** Counts the statements that name the event log. */
class LogReads implements KyselyPlugin {
  count = 0
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    // A table named by the builder, or in raw SQL (the scan's own statements).
    const node = JSON.stringify(args.node)
    if (node.includes('"name":"events"') || node.includes('\\"events\\"')) this.count++
    return args.node
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result)
  }
}

describe('the periods the dashboard opens with', () => {
  it('are the dates the dashboard itself asks for, around midnight in several time zones', () => {
    const instants = [Date.UTC(2026, 10, 21, 15, 59, 59), Date.UTC(2026, 10, 21, 16, 0, 1), Date.UTC(2026, 0, 1, 0, 0, 0), Date.UTC(2026, 2, 29, 1, 30)]
    for (const zone of ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/Berlin']) {
      for (const now of instants) expect(dashboardPeriods(zone, now)).toEqual([lastDays(7, zone, now), lastDays(30, zone, now)])
    }
  })
})

describe.each(DIALECTS)('warming the dashboard reads at start (%s)', (dialect) => {
  let chorus: TestChorus
  let ws: TestWorkspace
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    ws = await newWorkspace(chorus)
    const now = chorus.clock.now()
    await send(chorus, ws, [
      page({ userId: 'a' }, 'Landing', now - 3 * DAY, 'baidu'),
      order({ userId: 'a' }, now - 3 * DAY + 60_000, 100),
      page({ userId: 'b' }, 'Landing', now - 20 * DAY, 'douyin'),
      order({ userId: 'b' }, now - 20 * DAY + 60_000, 80),
      page({ userId: 'c' }, 'Landing', now - DAY, 'weibo'),
    ])
  })
  afterAll(() => chorus.close())

  // A handle of its own: what a process keeps is per database handle.
  const handle = (reads: LogReads): Database => ({ ...chorus.ctx.database, db: chorus.ctx.database.db.withPlugin(reads) })
  const roi = (database: Database, period: { from: string; to: string }, model: 'last_touch' | 'linear') =>
    roiReport({ database, workspaceId: ws.workspaceId, request: { ...period, model }, timeZone: 'Asia/Shanghai', currency: 'CNY' })

  it('leaves the first dashboard read of each opening period without a scan of the log, answering as a cold read does', async () => {
    const warmed = new LogReads()
    const database = handle(warmed)
    await warmDashboardReads({ database, workspaceIds: [ws.workspaceId], now: chorus.clock.now(), logger: silentLogger() })
    expect(warmed.count).toBeGreaterThan(0)

    for (const period of dashboardPeriods('Asia/Shanghai', chorus.clock.now())) {
      const cold = new LogReads()
      const fresh = await roi(handle(cold), period, 'linear')
      warmed.count = 0
      const answered = await roi(database, period, 'linear')
      // A cold read scans the period; after warming only the log's last sequence number is read.
      expect(cold.count).toBeGreaterThanOrEqual(2)
      expect(warmed.count).toBeLessThanOrEqual(1)
      expect(answered).toEqual(fresh)
    }
    const week = await roi(database, dashboardPeriods('Asia/Shanghai', chorus.clock.now())[0]!, 'last_touch')
    expect(week.kind === 'report' ? week.report.totals.conversions : null).toBe(1)
  })
})
