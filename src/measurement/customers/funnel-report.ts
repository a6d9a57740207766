import type { Kysely } from 'kysely'
import { readJson, type Schema } from '../../platform/index.ts'
import { compileMatcher, matcherScope } from './event-matcher.ts'
import { matchFunnel, type FunnelAttempt } from './funnel-match.ts'
import { stepLabel, type FunnelBreakdown, type FunnelDefinition, type FunnelQuery, type FunnelReport, type FunnelStepReport } from './funnel-definition.ts'
import { loadTimelines } from './person-log.ts'
import { firstTouch, lastTouch, loadTouches } from './touch-channel.ts'
import { membersOf } from './audience-membership.ts'
import { durationMs, isoOf, parseRange } from './time-window.ts'
import { reuseWhileUnchanged } from '../touchpoints/reuse-while-unchanged.ts'

/** Every person who entered the funnel, with the attempt that got furthest. */
export interface FunnelComputation {
  definition: FunnelDefinition
  from: number
  to: number
  windowMs: number
  attempts: Map<string, FunnelAttempt>
}

/**
 * Matches every person's events against the funnel. Events are read from `from` to `to` plus the
 * window, person by person across merged profiles; strict funnels read every event (anything can
 * interrupt), the others only events a step can match.
 *
 * @example const computation = await computeFunnel(db, workspaceId, query)
 */
export async function computeFunnel(db: Kysely<Schema>, workspaceId: string, query: Pick<FunnelQuery, 'funnel' | 'from' | 'to'>): Promise<FunnelComputation> {
  const { from, to } = parseRange(query.from, query.to)
  // The report, its drop-off lists and its breakdowns all start here: one read while the log is unchanged.
  return reuseWhileUnchanged(db, workspaceId, ['funnel', query.funnel, from, to], () => matchEveryone(db, workspaceId, query.funnel, from, to))
}

async function matchEveryone(db: Kysely<Schema>, workspaceId: string, definition: FunnelDefinition, from: number, to: number): Promise<FunnelComputation> {
  const windowMs = durationMs(definition.window)
  const steps = definition.steps.map((s) => compileMatcher(s))
  const scope = matcherScope(definition.steps)
  // Strict funnels must see the events between steps, so no name filter; properties as needed.
  const readScope = definition.mode === 'strict' ? { ...scope, names: null } : scope
  const timelines = await loadTimelines(db, { workspaceId, from, to: to + windowMs, scope: readScope })
  const ignore = new Set(definition.strictIgnore)
  const attempts = new Map<string, FunnelAttempt>()
  for (const [person, timeline] of timelines) {
    const attempt = matchFunnel(timeline, steps, { mode: definition.mode, windowMs, entryFrom: from, entryTo: to, ignore })
    if (attempt.reached > 0) attempts.set(person, attempt)
  }
  return { definition, from, to, windowMs, attempts }
}

/**
 * The funnel report: people per step, conversion from the start and from the previous step,
 * drop-off, median time between steps, and optionally the same per breakdown group.
 *
 * @example const report = await funnelReport(db, workspaceId, { funnel, from: '2026-03-01', to: '2026-04-01' })
 */
export async function funnelReport(db: Kysely<Schema>, workspaceId: string, query: FunnelQuery): Promise<FunnelReport> {
  const computation = await computeFunnel(db, workspaceId, query)
  const all = [...computation.attempts.values()]
  const report: FunnelReport = {
    mode: computation.definition.mode,
    windowMs: computation.windowMs,
    from: isoOf(computation.from),
    to: isoOf(computation.to),
    entered: all.length,
    steps: stepReports(computation.definition, all),
  }
  if (query.breakdown) {
    const groups = await breakdownGroups(db, workspaceId, computation, query.breakdown)
    report.breakdown = {
      by: query.breakdown.by,
      ...(query.breakdown.by === 'channel' ? { attribution: query.breakdown.attribution } : {}),
      groups: [...groups]
        .map(([value, attempts]) => ({ value, entered: attempts.length, steps: stepReports(computation.definition, attempts) }))
        .sort((a, b) => b.entered - a.entered || a.value.localeCompare(b.value)),
    }
  }
  return report
}

function stepReports(definition: FunnelDefinition, attempts: readonly FunnelAttempt[]): FunnelStepReport[] {
  const n = definition.steps.length
  const reached = new Array<number>(n).fill(0)
  const gaps: number[][] = Array.from({ length: n }, () => [])
  for (const a of attempts) {
    for (let k = 0; k < a.reached; k++) reached[k]!++
    if (definition.mode !== 'any-order') for (let k = 1; k < a.reached; k++) gaps[k]!.push(a.stepEvents[k]!.timestamp - a.stepEvents[k - 1]!.timestamp)
  }
  const entered = reached[0] ?? 0
  return definition.steps.map((step, k) => ({
    step: k + 1,
    label: stepLabel(step, k),
    people: reached[k]!,
    conversionFromStart: entered === 0 ? 0 : reached[k]! / entered,
    conversionFromPrevious: k === 0 ? (entered === 0 ? 0 : 1) : reached[k - 1]! === 0 ? 0 : reached[k]! / reached[k - 1]!,
    droppedAfter: k === n - 1 ? 0 : reached[k]! - reached[k + 1]!,
    medianMsFromPrevious: k === 0 || definition.mode === 'any-order' ? null : median(gaps[k]!),
  }))
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  values.sort((a, b) => a - b)
  const mid = values.length >> 1
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2
}

const OTHER = '(other)'
const MISSING = '(none)'
const MAX_GROUPS = 50

/**
 * Breakdown groups. Channel: the first touch at or before the person's last reached step
 * (first-touch) or the latest touch at or before it (last-touch). Trait: the canonical profile's
 * trait value. Audience: every listed audience the person belongs to now (a person in two counts
 * in both; in none, under "(no audience)").
 */
async function breakdownGroups(
  db: Kysely<Schema>,
  workspaceId: string,
  computation: FunnelComputation,
  breakdown: FunnelBreakdown,
): Promise<Map<string, FunnelAttempt[]>> {
  const groups = new Map<string, FunnelAttempt[]>()
  const add = (value: string, attempt: FunnelAttempt) => {
    let list = groups.get(value)
    if (!list) groups.set(value, (list = []))
    list.push(attempt)
  }
  const people = new Set(computation.attempts.keys())
  if (breakdown.by === 'channel') {
    const touches = await loadTouches(db, workspaceId, { to: computation.to + computation.windowMs, people })
    for (const [person, attempt] of computation.attempts) {
      const until = Math.max(...attempt.stepEvents.map((e) => e.timestamp))
      add(breakdown.attribution === 'first-touch' ? firstTouch(touches.get(person), until) : lastTouch(touches.get(person), until), attempt)
    }
  } else if (breakdown.by === 'trait') {
    const traits = await traitValues(db, workspaceId, [...people], breakdown.trait)
    for (const [person, attempt] of computation.attempts) add(traits.get(person) ?? MISSING, attempt)
  } else {
    const members = await membersOf(db, workspaceId, breakdown.audienceIds)
    for (const [person, attempt] of computation.attempts) {
      let any = false
      for (const [audienceId, set] of members) {
        if (set.has(person)) {
          add(audienceId, attempt)
          any = true
        }
      }
      if (!any) add('(no audience)', attempt)
    }
  }
  return capGroups(groups)
}

/** Keeps the largest groups and folds the rest into "(other)", so a high-cardinality trait stays readable. */
function capGroups(groups: Map<string, FunnelAttempt[]>): Map<string, FunnelAttempt[]> {
  if (groups.size <= MAX_GROUPS) return groups
  const sorted = [...groups].sort((a, b) => b[1].length - a[1].length)
  const out = new Map(sorted.slice(0, MAX_GROUPS - 1))
  out.set(OTHER, sorted.slice(MAX_GROUPS - 1).flatMap(([, list]) => list))
  return out
}

/** A trait of each canonical profile, as a string ("(none)" when absent). */
export async function traitValues(db: Kysely<Schema>, workspaceId: string, people: readonly string[], trait: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (let i = 0; i < people.length; i += 5000) {
    const rows = await db.selectFrom('profiles').select(['id', 'traits']).where('workspace_id', '=', workspaceId).where('id', 'in', people.slice(i, i + 5000)).execute()
    for (const r of rows) {
      const value = readJson<Record<string, unknown>>(r.traits, {})[trait]
      if (value !== undefined && value !== null) out.set(r.id, typeof value === 'object' ? JSON.stringify(value) : String(value))
    }
  }
  return out
}
