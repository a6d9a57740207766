import { CONSENT_EVENTS } from '../channels/index.ts'
import type { Condition } from './definition.ts'
import { RFM_DEFAULTS } from './definition.ts'
import { DAY_MS, durationMs } from './time-values.ts'

/** Where a condition sits in its definition, e.g. `definition.all[1]`. */
export type ConditionVisitor = (condition: Condition, path: string) => void

/** Calls `visit` for every condition, parents before children, with its path. */
export function walkConditions(c: Condition, visit: ConditionVisitor, path = 'definition'): void {
  visit(c, path)
  if ('all' in c) c.all.forEach((x, i) => walkConditions(x, visit, `${path}.all[${i}]`))
  else if ('any' in c) c.any.forEach((x, i) => walkConditions(x, visit, `${path}.any[${i}]`))
  else if ('not' in c) walkConditions(c.not, visit, `${path}.not`)
}

/**
 * A sliding edge: people whose matching events have timestamps in `[t0 − offset, t1 − offset)`
 * are the only ones whose membership can flip between evaluations at t0 and t1 when no new event
 * arrives (an event leaves a `within` window, a last order ages past a recency cut).
 */
export interface SlidingEdge {
  /** An event name, or every completed order. */
  source: { event: string } | { orders: true }
  offsetMs: number
}

/** What can change an audience's membership, read from its definition. */
export interface AudienceDependencies {
  /** Events by these names. */
  events: Set<string>
  /** Any completed order (computed fields, RFM). */
  orders: boolean
  /** Any event that carries a channel. */
  channels: boolean
  /** Trait changes (identify calls and profile records). */
  traits: boolean
  /** Identifiers linked to or unlinked from a person (`reachable`: the address a channel needs). */
  identities: boolean
  /** Other audiences whose membership it reads. */
  audiences: Set<string>
  /** Time alone moves membership at these edges. */
  edges: SlidingEdge[]
  /**
   * Time alone moves membership in a way no index can narrow down (trait date windows, channel
   * windows): the sweep re-evaluates everyone at an interval.
   */
  periodic: boolean
}

/**
 * Reads a definition for what can change its membership: which events (so the real-time
 * processor re-evaluates only the audiences an event can affect) and how time moves it (so the
 * sweep knows whom to look at, and when).
 *
 * @example
 * analyseDefinition({ notPerformed: { event: 'Order Completed', within: '30d' } })
 * // { events: Set { 'Order Completed' }, edges: [{ source: { event: 'Order Completed' }, offsetMs: 2592000000 }], … }
 */
export function analyseDefinition(definition: Condition): AudienceDependencies {
  const deps: AudienceDependencies = { events: new Set(), orders: false, channels: false, traits: false, identities: false, audiences: new Set(), edges: [], periodic: false }
  walkConditions(definition, (c) => {
    if ('trait' in c) {
      deps.traits = true
      if (c.op === 'within_last' || c.op === 'within_next') deps.periodic = true
    } else if ('performed' in c || 'notPerformed' in c) {
      const p = 'performed' in c ? c.performed : c.notPerformed
      deps.events.add(p.event)
      if (p.within) deps.edges.push({ source: { event: p.event }, offsetMs: durationMs(p.within) })
      // Property tests with relative dates move with time too.
      if (p.where?.some((w) => w.op === 'within_last' || w.op === 'within_next')) deps.periodic = true
    } else if ('lastPerformed' in c) {
      deps.events.add(c.lastPerformed.event)
      if (c.lastPerformed.within) deps.edges.push({ source: { event: c.lastPerformed.event }, offsetMs: durationMs(c.lastPerformed.within) })
      if (c.lastPerformed.where?.some((w) => w.op === 'within_last' || w.op === 'within_next')) deps.periodic = true
    } else if ('computed' in c) {
      deps.orders = true
      if (c.within) deps.edges.push({ source: { orders: true }, offsetMs: durationMs(c.within) })
      if (c.computed === 'days_since_last_order') {
        // The SQL compares the last order with now − N days and now − (N+1) days.
        for (const days of [c.value, c.value + 1]) deps.edges.push({ source: { orders: true }, offsetMs: days * DAY_MS })
      }
    } else if ('rfm' in c) {
      deps.orders = true
      deps.edges.push({ source: { orders: true }, offsetMs: durationMs(c.rfm.window ?? RFM_DEFAULTS.window) })
      for (const days of c.rfm.recency ?? RFM_DEFAULTS.recency) deps.edges.push({ source: { orders: true }, offsetMs: days * DAY_MS })
    } else if ('channel' in c) {
      deps.channels = true
      if (c.channel.within) deps.periodic = true
    } else if ('consent' in c) {
      // The channels module writes these whenever a consent changes to subscribed or unsubscribed.
      deps.events.add('Subscribed')
      deps.events.add('Unsubscribed')
    } else if ('reachable' in c) {
      deps.identities = true
      for (const event of CONSENT_EVENTS) deps.events.add(event)
    } else if ('audience' in c) {
      deps.audiences.add(c.audience)
    }
  })
  deps.edges = uniqueEdges(deps.edges)
  return deps
}

function uniqueEdges(edges: SlidingEdge[]): SlidingEdge[] {
  const seen = new Map<string, SlidingEdge>()
  for (const e of edges) seen.set(`${'event' in e.source ? `e:${e.source.event}` : 'orders'}|${e.offsetMs}`, e)
  return [...seen.values()]
}

/** Whether time alone can change membership. */
export function isTimeDependent(deps: AudienceDependencies): boolean {
  return deps.periodic || deps.edges.length > 0
}
