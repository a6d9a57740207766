import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { ChannelClassifier, getChannelRules } from '../grouping/index.ts'
import { eventRowOf, touchOf } from '../touchpoints/index.ts'
import { scanPersonEvents } from './person-log.ts'

/**
 * A person's channel touches in time order, as the measurement module defines them: which events
 * are touches (arrivals, message deliveries and clicks, ad exposures, store visits) and their
 * channel come from the workspace's channel grouping rules (`measurement/grouping`, editable under
 * /api/v1/measurement/channel-rules), the same as attribution uses. First-touch and last-touch
 * breakdowns, acquisition-channel cohorts and lifecycle and LTV by channel all read this.
 */
export const NO_CHANNEL = '(none)'

export interface Touch {
  timestamp: number
  seq: number
  channel: string
}

/**
 * Every touch of the given people (all people when absent) before `to`, per person in time order.
 *
 * @example const touches = await loadTouches(db, workspaceId, { to: Date.now() })
 */
export async function loadTouches(
  db: Kysely<Schema>,
  workspaceId: string,
  options: { to?: number; people?: ReadonlySet<string> } = {},
): Promise<Map<string, Touch[]>> {
  const classifier = new ChannelClassifier((await getChannelRules(db, workspaceId)).rules)
  const out = new Map<string, Touch[]>()
  for await (const page of scanPersonEvents(db, { workspaceId, to: options.to, people: options.people, withPayload: true })) {
    for (const e of page) {
      const row = eventRowOf(e.payload!, { seq: e.seq, profileId: e.person, timestamp: e.timestamp, type: e.type, event: e.event, orderMinor: e.orderMinor, orderCurrency: e.orderCurrency })
      const outcome = touchOf(row, classifier)
      if (outcome?.kind !== 'touch') continue
      let list = out.get(e.person)
      if (!list) out.set(e.person, (list = []))
      list.push({ timestamp: e.timestamp, seq: e.seq, channel: outcome.touch.channel })
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq)
  return out
}

/** The person's first touch at or before `until` (their acquisition channel), or NO_CHANNEL. */
export function firstTouch(touches: readonly Touch[] | undefined, until = Number.POSITIVE_INFINITY): string {
  const first = touches?.[0]
  return first && first.timestamp <= until ? first.channel : NO_CHANNEL
}

/** The person's latest touch at or before `until`, or NO_CHANNEL. */
export function lastTouch(touches: readonly Touch[] | undefined, until: number): string {
  if (!touches || touches.length === 0) return NO_CHANNEL
  let lo = 0
  let hi = touches.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (touches[mid]!.timestamp <= until) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found === -1 ? NO_CHANNEL : touches[found]!.channel
}
