import type { Kysely } from 'kysely'
import type { Schema } from '../platform/index.ts'
import { ChannelClassifier, getChannelRules, resolvePeriod, type ChannelGroup } from '../measurement/index.ts'
import { factsOfKey } from './facts-key.ts'

export interface ChannelCount {
  /** The channel from the workspace's channel grouping rules; `null` for events that are not a touch of any channel. */
  channel: string | null
  group: ChannelGroup | null
  events: number
}

export interface EventSummary {
  from: string
  to: string
  timeZone: string
  total: number
  /** Most events first; events with no channel last. */
  byChannel: ChannelCount[]
}

export type EventSummaryOutcome = { kind: 'summary'; summary: EventSummary } | { kind: 'InvalidPeriod'; message: string }

/**
 * Events logged between two local dates (both included, in `timeZone`), per channel. Counts come
 * from `event_counts` grouped by touch facts in the database; each distinct set of facts is then
 * put in a channel by the workspace's current channel grouping rules, the ones attribution uses.
 * Events that are not touches, that no rule matches, or that a rule excludes count as no channel.
 *
 * @example await eventSummary(db, { workspaceId, from: '2026-11-20', to: '2026-11-20', timeZone: 'Asia/Shanghai' })
 */
export async function eventSummary(db: Kysely<Schema>, input: { workspaceId: string; from: string; to: string; timeZone: string }): Promise<EventSummaryOutcome> {
  const resolved = resolvePeriod(input.from, input.to, input.timeZone)
  if (!resolved.ok) return { kind: 'InvalidPeriod', message: resolved.message }
  const { period } = resolved
  const [rows, rules] = await Promise.all([
    db
      .selectFrom('event_counts')
      .select((eb) => ['facts', eb.fn.sum<number | string>('events').as('events')])
      .where('workspace_id', '=', input.workspaceId)
      .where('bucket', '>=', period.from)
      .where('bucket', '<', period.to)
      .groupBy('facts')
      .execute(),
    getChannelRules(db, input.workspaceId),
  ])
  const classifier = new ChannelClassifier(rules.rules)
  const channels = new Map<string | null, ChannelCount>()
  let total = 0
  for (const row of rows) {
    const events = Number(row.events)
    total += events
    const facts = factsOfKey(row.facts)
    const assignment = facts === null ? null : classifier.classify(facts)
    const channel = assignment?.kind === 'assigned' ? assignment.channel : null
    const known = channels.get(channel)
    if (known) known.events += events
    else channels.set(channel, { channel, group: assignment?.kind === 'assigned' ? assignment.group : null, events })
  }
  const byChannel = [...channels.values()].sort((a, b) => (a.channel === null ? 1 : 0) - (b.channel === null ? 1 : 0) || b.events - a.events || (a.channel ?? '').localeCompare(b.channel ?? ''))
  return { kind: 'summary', summary: { from: period.fromDate, to: period.toDate, timeZone: period.timeZone, total, byChannel } }
}
