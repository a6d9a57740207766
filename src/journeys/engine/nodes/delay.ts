import { durationMs } from '../../definition/duration.ts'
import type { DelayNode, Weekday } from '../../definition/schema.ts'
import { dateTraitInstant, nextLocalTime } from '../../time/zoned-time.ts'

const ISO_WEEKDAY: Record<Weekday, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 }

export type Wake = { kind: 'at'; at: number } | { kind: 'missing'; trait: string; ifMissing: 'continue' | 'exit' }

/**
 * When a delay ends for a person: a fixed duration from now; the next local time of day on an
 * allowed weekday in their timezone; or a date trait plus an offset (at a local time for
 * date-only values). A date already past ends the delay at once.
 *
 * @example delayEnd({ id: 'd', type: 'delay', until: { time: '09:00', weekdays: ['mon'] }, next: 'x' }, now, { traits, timeZone: 'Asia/Shanghai' })
 */
export function delayEnd(node: DelayNode, now: number, person: { traits: Record<string, unknown>; timeZone: string }): Wake {
  if (node.for) return { kind: 'at', at: now + durationMs(node.for) }
  if (node.until) {
    const weekdays = (node.until.weekdays ?? []).map((d) => ISO_WEEKDAY[d])
    return { kind: 'at', at: nextLocalTime(now, person.timeZone, node.until.time, weekdays) }
  }
  const spec = node.untilDate!
  const instant = dateTraitInstant(person.traits[spec.trait], person.timeZone, spec.time ?? '00:00')
  if (instant === null) return { kind: 'missing', trait: spec.trait, ifMissing: spec.ifMissing }
  return { kind: 'at', at: instant + (spec.offset ? durationMs(spec.offset) : 0) }
}
