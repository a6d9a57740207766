import { z } from 'zod'
import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { compileMatcher, EventMatcher, matcherScope, ORDER_EVENT } from './event-matcher.ts'
import { ExperimentAssignment, resolveAssignment } from './experiment-assignment.ts'
import { sampleMoments, twoProportionZTest, welchTTest, type ProportionTest, type WelchTest } from './experiment-statistics.ts'
import { InvalidMeasurementInput } from './input-error.ts'
import { workspaceCurrency } from './ltv-historical.ts'
import { scanPersonEvents } from './person-log.ts'
import { Duration, durationMs, Instant, isoOf, parseInstant } from './time-window.ts'

/**
 * An experiment read-out: for each group, the share of people who converted within the window
 * after their exposure and the revenue per person in that window; for each treatment group against
 * the control, the lift with its confidence interval and p-value — two-proportion z-test for
 * conversion, Welch's t-test for revenue per person (see experiment-statistics.ts).
 */
export const ExperimentQuery = z.object({
  assignment: ExperimentAssignment,
  control: z.string().min(1).optional().describe('The control group’s name (default: the first group)'),
  conversion: EventMatcher.default({ event: ORDER_EVENT, where: [] }).describe('What counts as converting (default: any order)'),
  window: Duration.default({ amount: 14, unit: 'day' }).describe('Conversion window after each person’s exposure'),
  confidence: z.number().min(0.5).max(0.999).default(0.95),
  currency: z.string().length(3).optional().describe('Revenue currency; default the workspace currency'),
  asOf: Instant.optional().describe('Ignore events after this (default now)'),
})
export type ExperimentQuery = z.infer<typeof ExperimentQuery>

export interface ExperimentGroupResult {
  name: string
  people: number
  conversions: number
  rate: number
  revenue: { totalMinor: number; meanMinor: number; variance: number }
}

export interface ExperimentReport {
  control: string
  windowMs: number
  currency: string
  confidence: number
  asOf: string
  groups: ExperimentGroupResult[]
  comparisons: Array<{ group: string; conversion: ProportionTest; revenue: WelchTest | null }>
  excluded: { inSeveralGroups: number; unknownProfiles: number }
  /** People whose window had not ended by asOf (their outcome is counted so far). */
  incompleteWindows: number
}

/**
 * @example analyseExperiment(db, workspaceId, ExperimentQuery.parse({ assignment, window: { amount: 7, unit: 'day' } }), Date.now())
 */
export async function analyseExperiment(db: Kysely<Schema>, workspaceId: string, query: ExperimentQuery, now: number): Promise<ExperimentReport> {
  const asOf = query.asOf ? parseInstant(query.asOf, 'asOf') : now
  const assignment = await resolveAssignment(db, workspaceId, query.assignment)
  const control = query.control ?? assignment.groupNames[0]
  if (control === undefined || !assignment.groupNames.includes(control)) {
    throw new InvalidMeasurementInput(`The control group ${JSON.stringify(query.control ?? null)} is not one of the groups: ${assignment.groupNames.join(', ') || '(none found)'}`)
  }
  if (assignment.groupNames.length < 2) throw new InvalidMeasurementInput(`An experiment needs at least two groups; found ${assignment.groupNames.join(', ') || 'none'}`)
  const windowMs = durationMs(query.window)
  const currency = (query.currency ?? (await workspaceCurrency(db, workspaceId))).toUpperCase()
  const converts = compileMatcher(query.conversion)

  const outcome = new Map<string, { converted: boolean; revenue: number }>()
  let earliest = Number.POSITIVE_INFINITY
  for (const [person, a] of assignment.people) {
    outcome.set(person, { converted: false, revenue: 0 })
    earliest = Math.min(earliest, a.exposedAt)
  }
  if (outcome.size > 0) {
    const scope = matcherScope([query.conversion, { event: ORDER_EVENT, where: [] }])
    for await (const page of scanPersonEvents(db, { workspaceId, from: earliest, to: asOf, scope, people: new Set(outcome.keys()) })) {
      for (const e of page) {
        const a = assignment.people.get(e.person)!
        if (e.timestamp < a.exposedAt || e.timestamp >= a.exposedAt + windowMs) continue
        const o = outcome.get(e.person)!
        if (converts(e)) o.converted = true
        if (e.orderMinor !== null && e.orderCurrency === currency) o.revenue += e.orderMinor
      }
    }
  }

  const groups = assignment.groupNames.map((name) => {
    const members = [...assignment.people].filter(([, a]) => a.group === name).map(([person]) => outcome.get(person)!)
    const moments = sampleMoments(members.map((m) => m.revenue))
    const conversions = members.filter((m) => m.converted).length
    return {
      result: {
        name,
        people: members.length,
        conversions,
        rate: members.length === 0 ? 0 : conversions / members.length,
        revenue: { totalMinor: moments.mean * moments.n, meanMinor: moments.mean, variance: moments.variance },
      },
      moments,
    }
  })
  const controlGroup = groups.find((g) => g.result.name === control)!
  if (controlGroup.result.people === 0) throw new InvalidMeasurementInput(`The control group "${control}" has nobody in it`)
  const comparisons = groups
    .filter((g) => g.result.name !== control && g.result.people > 0)
    .map((g) => ({
      group: g.result.name,
      conversion: twoProportionZTest({ n: controlGroup.result.people, conversions: controlGroup.result.conversions }, { n: g.result.people, conversions: g.result.conversions }, query.confidence),
      revenue: controlGroup.moments.n >= 2 && g.moments.n >= 2 ? welchTTest(controlGroup.moments, g.moments, query.confidence) : null,
    }))
  let incompleteWindows = 0
  for (const a of assignment.people.values()) if (a.exposedAt + windowMs > asOf) incompleteWindows++
  return {
    control,
    windowMs,
    currency,
    confidence: query.confidence,
    asOf: isoOf(asOf),
    groups: groups.map((g) => g.result),
    comparisons,
    excluded: assignment.excluded,
    incompleteWindows,
  }
}
