import { sql, type Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import type { GoalMetric } from '../plan/schema.ts'
import { lastTouchCredits, logKpis, logMetric, type KpiQuery, type LogKpis } from './log-kpis.ts'
import { incrementalCredits } from './incremental-credits.ts'
import { readLogState, type LogReadCache } from './log-read-cache.ts'
import { latestEventAt } from './latest-event.ts'
import { incrementalKpis } from './incremental-kpis.ts'
import { ALL_MEASURES, type Measure } from './kpi-tally.ts'
import type { CreditQuery, Credits } from './last-touch.ts'

type Db = Kysely<Schema>
export type { CreditQuery, Credits }

/** The log reads a snapshot makes: its KPIs, single goal metrics and last-touch credits. */
export interface LogReads {
  kpis(q: KpiQuery): Promise<LogKpis>
  metric(q: KpiQuery, metric: GoalMetric): Promise<Partial<LogKpis>>
  credits(q: CreditQuery): Promise<Credits>
}

/**
 * The reads of one workspace's log, answered from `cache` while the log is unchanged (straight
 * from the log without one). When the log has changed, KPIs, goal metrics and last-touch credits
 * are not read whole again: what was counted (or credited) last time is extended with the events,
 * merges and erasures recorded since (see `incrementalKpis`, `incrementalCredits`).
 *
 * The log state is read before any answer is computed: an answer computed while events arrive
 * may already hold some of them, but it is filed under the older state, which the log never
 * returns to, so it is never handed out as current. A window's end past the workspace's last
 * event is filed as that event's time (plus one): a running campaign's window grows with the
 * clock, but until an event arrives its answers do not change, and an arriving event changes the
 * state anyway.
 */
export async function logReads(db: Db, workspaceId: string, cache: LogReadCache | null | undefined): Promise<LogReads> {
  if (!cache) return { kpis: (q) => logKpis(db, q), metric: (q, m) => logMetric(db, q, m), credits: (q) => lastTouchCredits(db, q) }
  const state = await readLogState(db)
  const lastAt = await cache.read(state, `last-event:${workspaceId}`, () => latestEventAt(db, workspaceId, state.seq))
  const end = (to: number) => (lastAt === null ? to : Math.min(to, lastAt + 1))
  const keyOf = (kind: string, q: KpiQuery | CreditQuery, extra: unknown = null) => {
    if (q.workspaceId !== workspaceId) throw new Error(`log reads for ${workspaceId} asked about ${q.workspaceId}`)
    const { to, ...rest } = q
    const plain = 'sourceToChannel' in rest ? { ...rest, sourceToChannel: [...rest.sourceToChannel] } : rest
    return `${kind}:${JSON.stringify([plain, end(to), extra])}`
  }
  return {
    kpis: (q) => cache.read(state, keyOf('kpis', q), async () => (await incrementalKpis(db, q, ALL_MEASURES)).answer as LogKpis),
    metric: (q, m) => cache.read(state, keyOf('metric', q, m), async () => (await incrementalKpis(db, q, [MEASURE_OF[m]])).answer),
    credits: (q) => cache.read(state, keyOf('credits', q), async () => (await incrementalCredits(db, q)).answer),
  }
}

/** The measure a goal metric reads from the log (ROI and CAC add spend to revenue and new customers). */
const MEASURE_OF: Record<GoalMetric, Measure> = {
  reach: 'reach',
  traffic: 'traffic',
  leads: 'leads',
  conversions: 'conversions',
  revenue: 'revenue',
  roi: 'revenue',
  new_customers: 'newCustomers',
  cac: 'newCustomers',
}
