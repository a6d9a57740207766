import type { ScheduledTask } from './schedule.ts'

/**
 * The execution plan as an iCalendar file (RFC 5545) that calendar apps subscribe to or import:
 * one VEVENT per task with UTC times (§3.3.5 form 2, `19980119T070000Z`), TEXT values escaped
 * (§3.3.11: backslash, semicolon, comma, newline), lines ending in CRLF and folded so no line is
 * longer than 75 octets (§3.1), never inside a UTF-8 sequence — Chinese task names stay whole.
 */

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n')
}

/** Folds a content line at 75 octets: CRLF then one space, splitting between characters (RFC 5545 §3.1). */
export function foldLine(line: string): string {
  const out: string[] = []
  let current = ''
  let octets = 0
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8')
    // The first line holds 75 octets; each continuation line starts with a space, leaving 74.
    const limit = out.length === 0 ? 75 : 74
    if (octets + size > limit) {
      out.push(current)
      current = ''
      octets = 0
    }
    current += char
    octets += size
  }
  out.push(current)
  return out.join('\r\n ')
}

/** An instant as an iCalendar UTC DATE-TIME. */
export function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

export interface CalendarInput {
  campaign: { id: string; name: string }
  tasks: readonly ScheduledTask[]
  /** DTSTAMP: when the file was made. */
  now: number
  /** The host part of each event's UID (stable across exports, so calendars update in place). */
  uidDomain?: string
}

/**
 * @example
 * const ics = toICalendar({ campaign: { id: 'cmp_1', name: '活力健康 上市' }, tasks: schedule.tasks, now: Date.now() })
 * ics.startsWith('BEGIN:VCALENDAR\r\n') // true
 */
export function toICalendar(input: CalendarInput): string {
  const domain = input.uidDomain ?? 'chorus.invalid'
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Chorus//Campaign Planner//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.campaign.name)}`,
  ]
  const names = new Map(input.tasks.map((t) => [t.id, t.name]))
  for (const task of input.tasks) {
    const description = [
      `Owner: ${task.owner} (${task.department})`,
      task.dependsOn.length > 0 ? `After: ${task.dependsOn.map((d) => names.get(d) ?? d).join('; ')}` : null,
      task.deliverables.length > 0 ? `Deliverables: ${task.deliverables.map((d) => `${d.title}${d.ref ? ` [${d.kind} ${d.ref}]` : ` [${d.kind}]`}`).join('; ')}` : null,
      task.critical ? 'On the critical path' : `Slack: ${task.slackDays} days`,
    ].filter((l): l is string => l !== null)
    lines.push(
      'BEGIN:VEVENT',
      `UID:${task.id}.${input.campaign.id}@${domain}`,
      `DTSTAMP:${utcStamp(input.now)}`,
      `DTSTART:${utcStamp(task.ms.start)}`,
      // A zero-length task (a milestone) has no DTEND: the event ends where it starts (§3.6.1).
      ...(task.ms.end > task.ms.start ? [`DTEND:${utcStamp(task.ms.end)}`] : []),
      `SUMMARY:${escapeText(task.name)}`,
      `DESCRIPTION:${escapeText(description.join('\n'))}`,
      `CATEGORIES:${escapeText(task.department)}`,
      'END:VEVENT',
    )
  }
  lines.push('END:VCALENDAR')
  return lines.map(foldLine).join('\r\n') + '\r\n'
}
