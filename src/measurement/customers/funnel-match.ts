import type { EventPredicate } from './event-matcher.ts'
import type { PersonEvent } from './person-log.ts'

/**
 * How far one person got through a funnel — the pure part of funnel analysis, per person.
 *
 * - `ordered`: the steps happen in order, each after the previous, other events allowed in between.
 * - `strict`: the steps happen in order with no other *behavioural* event of the person in between:
 *   after step k matched, the person's next behavioural event must be step k+1. Behavioural means a
 *   track, page or screen call from the customer; Chorus's own events (messages, audience entries),
 *   identify/alias/group calls and event names listed in `ignore` never break a strict sequence.
 * - `any-order`: steps 1…k all happen, in any order, each by a different event.
 *
 * In every mode the conversion window runs from the entry and the entry must lie in
 * [entryFrom, entryTo). The entry is an event of step 1 (ordered, strict) or of any step (any-order). A person can enter several times; the attempt that gets
 * furthest counts, the earliest of equals. Within an attempt each step takes the earliest event
 * that can fill it, which maximises the steps reached (ordered subsequence matching is greedy-
 * optimal; any-order uses augmenting paths for the event-to-step assignment).
 */
export type FunnelMode = 'ordered' | 'strict' | 'any-order'

export interface FunnelAttempt {
  /** Steps completed, 0…steps.length. */
  reached: number
  /** The event that filled each completed step, by step. */
  stepEvents: PersonEvent[]
}

export interface MatchOptions {
  mode: FunnelMode
  windowMs: number
  entryFrom: number
  entryTo: number
  /** Event names that never break a strict sequence. */
  ignore?: ReadonlySet<string>
}

const NOT_ENTERED: FunnelAttempt = { reached: 0, stepEvents: [] }

/**
 * @example matchFunnel(timeline, [isView, isAdd, isBuy], { mode: 'ordered', windowMs: 7 * 86_400_000, entryFrom, entryTo })
 */
export function matchFunnel(timeline: readonly PersonEvent[], steps: readonly EventPredicate[], options: MatchOptions): FunnelAttempt {
  let best = NOT_ENTERED
  for (let i = 0; i < timeline.length; i++) {
    const entry = timeline[i]!
    if (entry.timestamp < options.entryFrom) continue
    if (entry.timestamp >= options.entryTo) break
    let attempt: FunnelAttempt
    if (options.mode === 'any-order') attempt = anyOrderFrom(timeline, i, steps, options.windowMs)
    else {
      if (!steps[0]!(entry)) continue
      attempt = inOrderFrom(timeline, i, steps, options)
    }
    if (attempt.reached > best.reached) best = attempt
    if (best.reached === steps.length) break
  }
  return best
}

function inOrderFrom(timeline: readonly PersonEvent[], start: number, steps: readonly EventPredicate[], options: MatchOptions): FunnelAttempt {
  const entry = timeline[start]!
  const deadline = entry.timestamp + options.windowMs
  const stepEvents = [entry]
  for (let j = start + 1; j < timeline.length && stepEvents.length < steps.length; j++) {
    const e = timeline[j]!
    if (e.timestamp > deadline) break
    if (steps[stepEvents.length]!(e)) {
      stepEvents.push(e)
      continue
    }
    if (options.mode === 'strict' && breaksStrictSequence(e, options.ignore)) break
  }
  return { reached: stepEvents.length, stepEvents }
}

/** Whether an event between two strict steps interrupts them (see the module comment). */
export function breaksStrictSequence(e: PersonEvent, ignore: ReadonlySet<string> | undefined): boolean {
  if (e.system) return false
  if (e.type !== 'track' && e.type !== 'page' && e.type !== 'screen') return false
  return !(e.event !== null && ignore?.has(e.event))
}

/**
 * The longest prefix of steps that distinct events in [entry, entry + window] can fill, in any
 * order. The entry is an event of some step; in any-order funnels it is the attempt's first funnel
 * event, whichever step it belongs to. Steps are added one at a time and the event
 * assignment is repaired by augmenting paths (Kuhn's bipartite matching), so an event first used
 * for one step can move to another.
 */
function anyOrderFrom(timeline: readonly PersonEvent[], start: number, steps: readonly EventPredicate[], windowMs: number): FunnelAttempt {
  const entry = timeline[start]!
  if (!steps.some((s) => s(entry))) return NOT_ENTERED
  const deadline = entry.timestamp + windowMs
  let end = start
  while (end + 1 < timeline.length && timeline[end + 1]!.timestamp <= deadline) end++
  const candidates = steps.map((s) => {
    const list: number[] = []
    for (let j = start; j <= end; j++) if (s(timeline[j]!)) list.push(j)
    return list
  })
  const eventOwner = new Map<number, number>()
  const stepEvent: number[] = []
  const tryAssign = (step: number, seen: Set<number>): boolean => {
    for (const j of candidates[step]!) {
      if (seen.has(j)) continue
      seen.add(j)
      const owner = eventOwner.get(j)
      if (owner === undefined || tryAssign(owner, seen)) {
        eventOwner.set(j, step)
        stepEvent[step] = j
        return true
      }
    }
    return false
  }
  let reached = 0
  while (reached < steps.length && tryAssign(reached, new Set())) reached++
  return { reached, stepEvents: stepEvent.slice(0, reached).map((j) => timeline[j]!) }
}
