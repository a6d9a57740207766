import type { Logger } from 'pino'
import type { Database } from '../platform/index.ts'
import { DEFAULT_SETTINGS, getWorkspace } from '../workspaces/index.ts'
import { roiReport } from './roi/index.ts'

/**
 * The periods the dashboard opens with: the overview's last 7 days and the analytics pages' last
 * 30, each up to and including today in the workspace's time zone — the same dates the dashboard
 * computes (web/src/pages/analytics/period.ts), so a read warmed here is the read it makes.
 */
export function dashboardPeriods(timeZone: string, now: number): Array<{ from: string; to: string }> {
  const date = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms))
  return [7, 30].map((days) => ({ from: date(now - (days - 1) * 86_400_000), to: date(now) }))
}

/**
 * A process that answers the dashboard reads its opening periods once, in the background, as it
 * starts (after the demo brand is seeded, when it is): the first ROI or attribution read of a
 * period scans the log for it — seconds on a large log — and every later one, whatever the model,
 * only extends that scan with the events and merges since. Without this the first person to open
 * the dashboard after a restart waits for the scan.
 */
export async function warmDashboardReads(input: { database: Database; workspaceIds: string[]; now: number; logger: Logger }): Promise<void> {
  const started = performance.now()
  for (const workspaceId of input.workspaceIds) {
    const settings = (await getWorkspace(input.database.db, workspaceId))?.settings ?? DEFAULT_SETTINGS
    for (const period of dashboardPeriods(settings.timezone, input.now)) {
      await roiReport({ database: input.database, workspaceId, request: { ...period, model: 'last_touch' }, timeZone: settings.timezone, currency: settings.currency })
    }
  }
  input.logger.info({ workspaces: input.workspaceIds.length, seconds: Math.round(performance.now() - started) / 1000 }, 'dashboard reads warmed')
}
