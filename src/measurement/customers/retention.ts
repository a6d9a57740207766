import { z } from 'zod'
import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { compileMatcher, EventMatcher, matcherScope, type EventPredicate } from './event-matcher.ts'
import { scanPersonEvents, type PersonEvent } from './person-log.ts'
import { firstTouch, loadTouches } from './touch-channel.ts'
import { reuseWhileUnchanged } from '../touchpoints/reuse-while-unchanged.ts'
import { Instant, isoOf, parseInstant, parseRange, periodIndex, periodLabel, periodStart } from './time-window.ts'

/**
 * Retention cohorts: people grouped by when they were first seen (calendar week or month) or by
 * their acquisition channel (first touch), and for each period after their start, how many came
 * back — did a returning event in that calendar period.
 *
 * Period k of a person is the k-th calendar period after the one they started in (period 0 is
 * the start period itself; it counts a return only if a returning event, possibly the first event,
 * falls in it). A cell counts people whose period k has begun by `asOf` (`eligible`); `complete`
 * says whether it has also ended for all of them.
 */
export const RetentionQuery = z.object({
  cohortBy: z.enum(['first-seen', 'channel']).default('first-seen').describe('Group people by start period or by first-touch channel'),
  period: z.enum(['day', 'week', 'month']).default('week').describe('Calendar period (UTC; weeks start Monday) for cohorts and columns'),
  periods: z.number().int().min(1).max(104).default(8).describe('Columns after period 0'),
  from: Instant.describe('People whose start falls in [from, to)'),
  to: Instant,
  asOf: Instant.optional().describe('Read the log up to here (default now)'),
  start: EventMatcher.optional().describe("What starts a person's clock (default: their first customer event)"),
  returning: z.array(EventMatcher).max(20).optional().describe('Returning events, any of (default: any customer track, page or screen event)'),
})
export type RetentionQuery = z.infer<typeof RetentionQuery>

export interface RetentionCell {
  period: number
  people: number
  eligible: number
  rate: number | null
  complete: boolean
}

export interface RetentionCohort {
  cohort: string
  size: number
  cells: RetentionCell[]
}

export interface RetentionReport {
  cohortBy: 'first-seen' | 'channel'
  period: 'day' | 'week' | 'month'
  asOf: string
  cohorts: RetentionCohort[]
  total: RetentionCohort
}

interface PersonActivity {
  start: number
  returnPeriods: Set<number>
}

/**
 * @example retentionReport(db, workspaceId, RetentionQuery.parse({ from: '2026-01-01', to: '2026-03-01', period: 'month' }), Date.now())
 */
export async function retentionReport(db: Kysely<Schema>, workspaceId: string, query: RetentionQuery, now: number): Promise<RetentionReport> {
  const { from, to } = parseRange(query.from, query.to)
  const asOf = query.asOf ? parseInstant(query.asOf, 'asOf') : now
  const startMatches: EventPredicate = query.start ? compileMatcher(query.start) : (e) => !(e as PersonEvent).system
  const returning = query.returning?.map((m) => compileMatcher(m))
  const isReturn: EventPredicate = returning
    ? (e) => returning.some((m) => m(e))
    : (e) => !(e as PersonEvent).system && (e.type === 'track' || e.type === 'page' || e.type === 'screen')
  const matchers = query.start && query.returning ? [query.start, ...query.returning] : null
  const scope = matchers ? matcherScope(matchers) : undefined

  const logged = await reuseWhileUnchanged(db, workspaceId, ['retention', query.period, query.start ?? null, query.returning ?? null], () =>
    readActivity(db, workspaceId, query.period, startMatches, isReturn, scope),
  )
  // What the log said as of `asOf`: a start before it, and the periods with a return before it.
  const activity = new Map<string, PersonActivity>()
  for (const [person, a] of logged) {
    if (!(a.start < asOf)) continue
    const returnPeriods = new Set<number>()
    for (const [period, first] of a.firstReturns) if (first < asOf) returnPeriods.add(period)
    activity.set(person, { start: a.start, returnPeriods })
  }
  const cohortPeople = [...activity].filter(([, a]) => a.start >= from && a.start < to)
  const touches = query.cohortBy === 'channel' ? await loadTouches(db, workspaceId, { to: asOf, people: new Set(cohortPeople.map(([p]) => p)) }) : null

  const groups = new Map<string, PersonActivity[]>()
  for (const [person, a] of cohortPeople) {
    const key = touches ? firstTouch(touches.get(person)) : String(periodIndex(a.start, query.period))
    let list = groups.get(key)
    if (!list) groups.set(key, (list = []))
    list.push(a)
  }
  const asOfPeriod = periodIndex(asOf - 1, query.period)
  const cohorts = [...groups]
    .map(([key, people]) => ({ cohort: touches ? key : periodLabel(Number(key), query.period), size: people.length, cells: cells(people, query, asOf, asOfPeriod), key }))
    .sort((a, b) => (touches ? b.size - a.size || a.cohort.localeCompare(b.cohort) : Number(a.key) - Number(b.key)))
    .map(({ key: _key, ...c }) => c)
  const everyone = cohortPeople.map(([, a]) => a)
  return {
    cohortBy: query.cohortBy,
    period: query.period,
    asOf: isoOf(asOf),
    cohorts,
    total: { cohort: 'all', size: everyone.length, cells: cells(everyone, query, asOf, asOfPeriod) },
  }
}

/** Per person: the earliest start-matching event, and per period the earliest return, over the whole log. */
interface LoggedActivity {
  start: number
  firstReturns: Map<number, number>
}

/**
 * One read of the whole log, kept while it is unchanged: the dashboard asks "as of now" and now
 * moves, so the read keeps the earliest time of each fact and every `asOf` is answered from it.
 * The log is in arrival order, not time order, hence the minimums.
 */
async function readActivity(
  db: Kysely<Schema>,
  workspaceId: string,
  period: RetentionQuery['period'],
  startMatches: EventPredicate,
  isReturn: EventPredicate,
  scope: ReturnType<typeof matcherScope> | undefined,
): Promise<Map<string, LoggedActivity>> {
  const activity = new Map<string, LoggedActivity>()
  for await (const page of scanPersonEvents(db, { workspaceId, scope })) {
    for (const e of page) {
      const starts = startMatches(e)
      const returns = isReturn(e)
      if (!starts && !returns) continue
      let a = activity.get(e.person)
      if (!a) activity.set(e.person, (a = { start: Number.POSITIVE_INFINITY, firstReturns: new Map() }))
      if (starts && e.timestamp < a.start) a.start = e.timestamp
      if (returns) {
        const index = periodIndex(e.timestamp, period)
        const first = a.firstReturns.get(index)
        if (first === undefined || e.timestamp < first) a.firstReturns.set(index, e.timestamp)
      }
    }
  }
  return activity
}

function cells(people: readonly PersonActivity[], query: RetentionQuery, asOf: number, asOfPeriod: number): RetentionCell[] {
  const out: RetentionCell[] = []
  for (let k = 0; k <= query.periods; k++) {
    let returned = 0
    let eligible = 0
    let complete = true
    for (const a of people) {
      const startPeriod = periodIndex(a.start, query.period)
      if (startPeriod + k > asOfPeriod) continue
      eligible++
      if (periodStart(startPeriod + k + 1, query.period) > asOf) complete = false
      if (a.returnPeriods.has(startPeriod + k)) returned++
    }
    out.push({ period: k, people: returned, eligible, rate: eligible === 0 ? null : returned / eligible, complete: eligible > 0 && complete })
  }
  return out
}
