import type { PersonEvent } from './person-log.ts'
import { sessionCount } from './sessions.ts'
import { DAY_MS } from './time-window.ts'

/**
 * Features of a person computed from their log before a cutoff, for the propensity and churn
 * models: recency, frequency and monetary value (RFM), tenure, activity counts in 7/30/90-day
 * windows, sessions, channel touches, and counts of the most common events. Counts enter as
 * log(1 + n) so a few very active people do not dominate the fit. The vocabulary (which channels,
 * which event names) is fixed from the training population and stored with the model, so scoring
 * computes the same columns. Channels here are those recorded at ingest (`events.channel`: the UTM
 * source or `properties.channel`), read without parsing payloads; reports by channel use the
 * grouped channels of `touch-channel.ts`.
 */
export interface FeatureSpec {
  channels: string[]
  eventNames: string[]
}

const BASE = [
  'recency_days',
  'tenure_days',
  'has_ordered',
  'days_since_last_order',
  'orders_log',
  'revenue_log',
  'orders_90d_log',
  'events_7d_log',
  'events_30d_log',
  'events_90d_log',
  'sessions_30d_log',
  'page_views_30d_log',
  'distinct_channels',
  'chorus_events_30d_log',
] as const

const SESSION_GAP_MS = 30 * 60_000
const NEVER_ORDERED_DAYS = 365

export function featureNames(spec: FeatureSpec): string[] {
  return [...BASE, ...spec.channels.map((c) => `touches_90d:${c}`), ...spec.eventNames.map((n) => `events_30d:${n}`)]
}

/**
 * The vocabulary: the channels and event names (orders excluded) that most people in the
 * population had before the cutoff.
 *
 * @example featureSpec(timelines.values(), cutoff, { channels: 5, events: 10 })
 */
export function featureSpec(timelines: Iterable<readonly PersonEvent[]>, cutoff: number, top: { channels: number; events: number } = { channels: 5, events: 10 }): FeatureSpec {
  const channelPeople = new Map<string, number>()
  const eventPeople = new Map<string, number>()
  for (const timeline of timelines) {
    const channels = new Set<string>()
    const events = new Set<string>()
    for (const e of timeline) {
      if (e.timestamp >= cutoff) break
      if (e.channel !== null) channels.add(e.channel)
      if (!e.system && e.type === 'track' && e.event !== null && e.orderMinor === null) events.add(e.event)
    }
    for (const c of channels) channelPeople.set(c, (channelPeople.get(c) ?? 0) + 1)
    for (const n of events) eventPeople.set(n, (eventPeople.get(n) ?? 0) + 1)
  }
  const topOf = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, k)
      .map(([name]) => name)
  return { channels: topOf(channelPeople, top.channels), eventNames: topOf(eventPeople, top.events) }
}

/**
 * The feature row of one person at `cutoff` (events strictly before it), or null when the person
 * had no customer event before the cutoff. `timeline` must be in time order.
 */
export function featuresAt(timeline: readonly PersonEvent[], cutoff: number, spec: FeatureSpec): number[] | null {
  let first = Number.NaN
  let last = Number.NaN
  let lastOrder = Number.NaN
  let orders = 0
  let revenueMinor = 0
  let orders90 = 0
  let events7 = 0
  let events30 = 0
  let events90 = 0
  let pageViews30 = 0
  let chorus30 = 0
  const channels = new Set<string>()
  const touches90 = new Map<string, number>()
  const named30 = new Map<string, number>()
  const within = (e: PersonEvent, days: number) => e.timestamp >= cutoff - days * DAY_MS
  let end = 0
  for (const e of timeline) {
    if (e.timestamp >= cutoff) break
    end++
    if (e.channel !== null) {
      channels.add(e.channel)
      if (within(e, 90)) touches90.set(e.channel, (touches90.get(e.channel) ?? 0) + 1)
    }
    if (e.system) {
      if (within(e, 30)) chorus30++
      continue
    }
    if (Number.isNaN(first)) first = e.timestamp
    last = e.timestamp
    if (e.orderMinor !== null) {
      orders++
      revenueMinor += e.orderMinor
      lastOrder = e.timestamp
      if (within(e, 90)) orders90++
    }
    if (within(e, 90)) events90++
    if (within(e, 30)) {
      events30++
      if (e.type === 'page' || e.type === 'screen') pageViews30++
      if (e.event !== null) named30.set(e.event, (named30.get(e.event) ?? 0) + 1)
    }
    if (within(e, 7)) events7++
  }
  if (Number.isNaN(first)) return null
  const days = (ms: number) => ms / DAY_MS
  const row = [
    days(cutoff - last),
    days(cutoff - first),
    orders > 0 ? 1 : 0,
    orders > 0 ? days(cutoff - lastOrder) : NEVER_ORDERED_DAYS,
    Math.log1p(orders),
    // Revenue across currencies in major units: a ranking signal, not an accounting figure.
    Math.log1p(revenueMinor / 100),
    Math.log1p(orders90),
    Math.log1p(events7),
    Math.log1p(events30),
    Math.log1p(events90),
    Math.log1p(sessionCount(timeline.slice(0, end), SESSION_GAP_MS, cutoff - 30 * DAY_MS, cutoff)),
    Math.log1p(pageViews30),
    channels.size,
    Math.log1p(chorus30),
  ]
  for (const c of spec.channels) row.push(Math.log1p(touches90.get(c) ?? 0))
  for (const n of spec.eventNames) row.push(Math.log1p(named30.get(n) ?? 0))
  return row
}
