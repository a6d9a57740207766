import { localParts, minutesOf, nextLocalTime } from '../time/zoned-time.ts'
import { appliesTo, type QuietHours } from './settings.ts'

export type QuietDecision = { kind: 'clear' } | { kind: 'hold'; until: number } | { kind: 'skip'; window: string }

/**
 * Whether a send on `channel` falls in quiet hours for a person in `timeZone` at `now`. When
 * several windows apply, `skip` wins (the stricter choice, set explicitly); otherwise the send is
 * held until the last applicable window ends.
 *
 * @example quietHoursAt(now, 'Asia/Shanghai', rules, 'sms', 'marketing') // { kind: 'hold', until: <08:00 Shanghai> }
 */
export function quietHoursAt(now: number, timeZone: string, rules: readonly QuietHours[], channel: string, category: string): QuietDecision {
  const local = localParts(now, timeZone)
  const minute = local.hour * 60 + local.minute
  let holdUntil: number | null = null
  for (const rule of rules) {
    if (!appliesTo(rule.channels, rule.categories, channel, category)) continue
    const start = minutesOf(rule.start)
    const end = minutesOf(rule.end)
    const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end
    if (!inside) continue
    if (rule.mode === 'skip') return { kind: 'skip', window: `${rule.start}-${rule.end}` }
    const until = nextLocalTime(now, timeZone, rule.end)
    holdUntil = holdUntil === null ? until : Math.max(holdUntil, until)
  }
  return holdUntil === null ? { kind: 'clear' } : { kind: 'hold', until: holdUntil }
}
