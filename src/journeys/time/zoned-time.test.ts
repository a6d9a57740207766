import { describe, expect, it } from 'vitest'
import { dateTraitInstant, localDay, localParts, localWeek, nextLocalTime, personTimeZone, zonedTimeToUtc } from './zoned-time.ts'

describe('zoned time', () => {
  it('finds the next local time of day on allowed weekdays in each timezone', () => {
    // Friday 2026-11-20 08:00 UTC = 16:00 in Shanghai, 09:00 in Berlin.
    const now = Date.UTC(2026, 10, 20, 8, 0)
    expect(new Date(nextLocalTime(now, 'Asia/Shanghai', '09:00')).toISOString()).toBe('2026-11-21T01:00:00.000Z')
    expect(new Date(nextLocalTime(now, 'Europe/Berlin', '10:00')).toISOString()).toBe('2026-11-20T09:00:00.000Z')
    // Weekdays only: Saturday and Sunday are skipped, Monday 09:00 in Shanghai.
    expect(new Date(nextLocalTime(now, 'Asia/Shanghai', '09:00', [1, 2, 3, 4, 5])).toISOString()).toBe('2026-11-23T01:00:00.000Z')
    // A time that is now counts.
    expect(nextLocalTime(now, 'Asia/Shanghai', '16:00')).toBe(now)
  })

  it('keeps wall-clock times across a daylight-saving change', () => {
    // Berlin leaves summer time on 2026-10-25 at 03:00 (back to 02:00).
    const before = Date.UTC(2026, 9, 24, 12, 0) // Saturday 14:00 CEST
    expect(new Date(nextLocalTime(before, 'Europe/Berlin', '09:00')).toISOString()).toBe('2026-10-25T08:00:00.000Z') // 09:00 CET
    // A time inside the spring-forward gap moves forward by the gap.
    expect(new Date(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin')).toISOString()).toBe('2026-03-29T01:30:00.000Z')
    // A time that happens twice (autumn) is its first occurrence.
    expect(new Date(zonedTimeToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin')).toISOString()).toBe('2026-10-25T00:30:00.000Z')
  })

  it("gives a person's calendar day and week in their timezone", () => {
    const at = Date.UTC(2026, 10, 20, 17, 0) // 01:00 on Saturday the 21st in Shanghai, Friday in New York
    expect(localDay(at, 'Asia/Shanghai')).toEqual({ key: '2026-11-21', start: Date.UTC(2026, 10, 20, 16), end: Date.UTC(2026, 10, 21, 16) })
    expect(localDay(at, 'America/New_York').key).toBe('2026-11-20')
    expect(localWeek(at, 'Asia/Shanghai')).toEqual({ key: '2026-11-16/w', start: Date.UTC(2026, 10, 15, 16), end: Date.UTC(2026, 10, 22, 16) })
    expect(localParts(at, 'Asia/Shanghai')).toMatchObject({ hour: 1, weekday: 6 })
  })

  it('reads date traits and the timezone trait', () => {
    expect(dateTraitInstant('2026-12-01', 'Asia/Shanghai', '09:30')).toBe(Date.UTC(2026, 11, 1, 1, 30))
    expect(dateTraitInstant('2026-12-01T10:00:00Z', 'Asia/Shanghai')).toBe(Date.UTC(2026, 11, 1, 10))
    expect(dateTraitInstant('2026-02-30', 'Asia/Shanghai')).toBeNull()
    expect(dateTraitInstant('soon', 'Asia/Shanghai')).toBeNull()
    expect(personTimeZone({ timezone: 'Europe/Berlin' }, 'Asia/Shanghai')).toBe('Europe/Berlin')
    expect(personTimeZone({ timezone: 'Mars/Olympus' }, 'Asia/Shanghai')).toBe('Asia/Shanghai')
    expect(personTimeZone({}, 'Asia/Shanghai')).toBe('Asia/Shanghai')
  })
})
