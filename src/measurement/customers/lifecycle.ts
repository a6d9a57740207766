import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { compileMatcher, matcherScope } from './event-matcher.ts'
import type { LifecycleCondition, LifecycleRules } from './lifecycle-rules.ts'
import { loadTimelines, type PersonEvent } from './person-log.ts'
import { DAY_MS, isoOf } from './time-window.ts'
import { firstTouch, loadTouches } from './touch-channel.ts'
import { sessionCount } from './sessions.ts'

/**
 * Lifecycle stage counts as of an instant: each person's events up to `asOf` are checked against
 * the stage rules and the person lands in the last stage whose rule holds. People none of whose
 * rules hold (only Chorus's own events about them) are not counted.
 */
export interface LifecycleReport {
  asOf: string
  total: number
  stages: Array<{ stage: string; people: number; share: number; reachedOrBeyond: number }>
  byChannel?: Array<{ channel: string; stages: Array<{ stage: string; people: number }> }>
}

type CompiledCondition = (events: readonly PersonEvent[], asOf: number) => boolean

/**
 * @example lifecycleReport(db, workspaceId, DEFAULT_LIFECYCLE_RULES, { asOf: Date.now() })
 */
export async function lifecycleReport(
  db: Kysely<Schema>,
  workspaceId: string,
  rules: LifecycleRules,
  options: { asOf: number; breakdownByChannel?: boolean },
): Promise<LifecycleReport> {
  const stages = stageOf(rules)
  // Sessions and "seen" need every event; properties only where an event condition filters on them.
  const matchers = rules.stages.flatMap((s) => [...s.all, ...s.any]).flatMap((c) => (c.kind === 'events' ? c.match : []))
  const timelines = await loadTimelines(db, { workspaceId, to: options.asOf + 1, scope: { ...matcherScope(matchers), names: null } })
  const counts = new Map<string, number>(rules.stages.map((s) => [s.name, 0]))
  const stageByPerson = new Map<string, string>()
  for (const [person, timeline] of timelines) {
    const stage = stages(timeline, options.asOf)
    if (stage === null) continue
    stageByPerson.set(person, stage)
    counts.set(stage, counts.get(stage)! + 1)
  }
  const total = stageByPerson.size
  let beyond = 0
  const cumulative = rules.stages
    .map((s) => s.name)
    .reverse()
    .map((name) => [name, (beyond += counts.get(name)!)] as const)
  const reached = new Map(cumulative)
  const report: LifecycleReport = {
    asOf: isoOf(options.asOf),
    total,
    stages: rules.stages.map((s) => ({ stage: s.name, people: counts.get(s.name)!, share: total === 0 ? 0 : counts.get(s.name)! / total, reachedOrBeyond: reached.get(s.name)! })),
  }
  if (options.breakdownByChannel) {
    const touches = await loadTouches(db, workspaceId, { to: options.asOf + 1, people: new Set(stageByPerson.keys()) })
    const byChannel = new Map<string, Map<string, number>>()
    for (const [person, stage] of stageByPerson) {
      const channel = firstTouch(touches.get(person))
      let m = byChannel.get(channel)
      if (!m) byChannel.set(channel, (m = new Map()))
      m.set(stage, (m.get(stage) ?? 0) + 1)
    }
    report.byChannel = [...byChannel]
      .map(([channel, m]) => ({ channel, stages: rules.stages.map((s) => ({ stage: s.name, people: m.get(s.name) ?? 0 })) }))
      .sort((a, b) => sum(b.stages) - sum(a.stages) || a.channel.localeCompare(b.channel))
  }
  return report
}

function sum(stages: Array<{ people: number }>): number {
  return stages.reduce((s, x) => s + x.people, 0)
}

/**
 * Compiles the rules into one function: a person's time-ordered events → their stage, or null.
 *
 * @example stageOf(DEFAULT_LIFECYCLE_RULES)(timeline, Date.now()) // 'Purchase'
 */
export function stageOf(rules: LifecycleRules): (timeline: readonly PersonEvent[], asOf: number) => string | null {
  const gapMs = rules.sessionGapMinutes * 60_000
  const compiled = rules.stages.map((s) => ({ name: s.name, all: s.all.map((c) => compileCondition(c, gapMs)), any: s.any.map((c) => compileCondition(c, gapMs)) }))
  return (timeline, asOf) => {
    for (let i = compiled.length - 1; i >= 0; i--) {
      const stage = compiled[i]!
      if (stage.all.every((c) => c(timeline, asOf)) && (stage.any.length === 0 || stage.any.some((c) => c(timeline, asOf)))) return stage.name
    }
    return null
  }
}

function compileCondition(condition: LifecycleCondition, gapMs: number): CompiledCondition {
  const since = (withinDays: number | undefined, asOf: number) => (withinDays === undefined ? Number.NEGATIVE_INFINITY : asOf - withinDays * DAY_MS)
  switch (condition.kind) {
    case 'seen':
      return (events) => events.some((e) => !e.system)
    case 'orders':
      return (events, asOf) => {
        const start = since(condition.withinDays, asOf)
        let n = 0
        for (const e of events) if (e.orderMinor !== null && e.timestamp > start && e.timestamp <= asOf && ++n >= condition.min) return true
        return false
      }
    case 'sessions':
      return (events, asOf) => sessionCount(events, gapMs, since(condition.withinDays, asOf), asOf) >= condition.min
    case 'events': {
      const matchers = condition.match.map((m) => compileMatcher(m))
      return (events, asOf) => {
        const start = since(condition.withinDays, asOf)
        let n = 0
        for (const e of events) if (e.timestamp > start && e.timestamp <= asOf && matchers.some((m) => m(e)) && ++n >= condition.min) return true
        return false
      }
    }
  }
}
