import { describe, expect, it } from 'vitest'
import { escapeText, foldLine, toICalendar, utcStamp } from './icalendar.ts'
import { scheduleTasks } from './schedule.ts'
import { Task } from './schema.ts'

describe('iCalendar export (RFC 5545)', () => {
  it('escapes backslash, semicolon, comma and newlines in TEXT', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf')
  })

  it('folds lines at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'活力健康'.repeat(12)}`
    const folded = foldLine(line)
    const parts = folded.split('\r\n')
    expect(parts.length).toBeGreaterThan(1)
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75)
    for (const part of parts.slice(1)) expect(part.startsWith(' ')).toBe(true)
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line)
    expect(foldLine('SHORT:1')).toBe('SHORT:1')
  })

  it('writes UTC times and one event per task, CRLF everywhere', () => {
    expect(utcStamp(Date.UTC(2026, 2, 1, 1, 30))).toBe('20260301T013000Z')
    const outcome = scheduleTasks(
      [
        Task.parse({ id: 'brief', name: '创意简报; 第一版, 含KV', owner: '王芳', department: 'marketing', start: '2026-03-01', end: '2026-03-02' }),
        Task.parse({ id: 'launch', name: '上线', owner: '王芳', department: 'marketing', start: '2026-03-03T10:00', end: '2026-03-03T10:00', dependsOn: ['brief'] }),
      ],
      'Asia/Shanghai',
    )
    if (!outcome.ok) throw new Error('refused')
    const ics = toICalendar({ campaign: { id: 'cmp_1', name: '活力健康, 上市' }, tasks: outcome.schedule.tasks, now: Date.UTC(2026, 1, 1) })
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true)
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true)
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/\n/)
    const unfolded = ics.replace(/\r\n /g, '')
    expect(unfolded).toContain('X-WR-CALNAME:活力健康\\, 上市')
    expect(unfolded).toContain('UID:brief.cmp_1@chorus.invalid')
    expect(unfolded).toContain('DTSTART:20260228T160000Z')
    expect(unfolded).toContain('DTEND:20260302T160000Z')
    expect(unfolded).toContain('SUMMARY:创意简报\\; 第一版\\, 含KV')
    expect(unfolded).toContain('DTSTAMP:20260201T000000Z')
    // The milestone has no DTEND.
    const launch = unfolded.slice(unfolded.indexOf('UID:launch'))
    expect(launch.slice(0, launch.indexOf('END:VEVENT'))).not.toContain('DTEND')
    expect(unfolded).toContain('DESCRIPTION:Owner: 王芳 (marketing)\\nAfter: 创意简报\\; 第一版\\, 含KV\\nOn the critical path')
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2)
  })
})
