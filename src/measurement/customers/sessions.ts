import type { PersonEvent } from './person-log.ts'

/**
 * Sessions in (since, until]: runs of customer events with gaps of at most `gapMs` (Google
 * Analytics' 30-minute inactivity rule, without its midnight and campaign-change splits).
 *
 * @example sessionCount(timeline, 30 * 60_000, Number.NEGATIVE_INFINITY, Date.now())
 */
export function sessionCount(events: readonly PersonEvent[], gapMs: number, since: number, until: number): number {
  let sessions = 0
  let last = Number.NEGATIVE_INFINITY
  for (const e of events) {
    if (e.system || e.timestamp <= since || e.timestamp > until) continue
    if (e.timestamp - last > gapMs) sessions++
    last = e.timestamp
  }
  return sessions
}
