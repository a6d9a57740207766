import { describe, expect, it } from 'vitest'
import { resolveDemoOptions } from './options.ts'

describe('resolveDemoOptions', () => {
  it('defaults to 20,000 people over 90 days ending today in Shanghai', () => {
    // 2025-06-15 10:30 in Shanghai.
    const now = Date.UTC(2025, 5, 15, 2, 30)
    const options = resolveDemoOptions({ now })
    expect(options.people).toBe(20_000)
    expect(options.days).toBe(90)
    const todayMidnightShanghai = Date.UTC(2025, 5, 14, 16)
    expect(options.startMs).toBe(todayMidnightShanghai - 90 * 86_400_000)
  })

  it('uses the Shanghai date when it is already tomorrow there', () => {
    // 2025-06-14 20:00 UTC is 2025-06-15 04:00 in Shanghai.
    const options = resolveDemoOptions({ now: Date.UTC(2025, 5, 14, 20), days: 1 })
    expect(options.startMs).toBe(Date.UTC(2025, 5, 13, 16))
  })

  it('reads a fixed start as midnight Asia/Shanghai', () => {
    expect(resolveDemoOptions({ start: '2025-03-01' }).startMs).toBe(Date.UTC(2025, 1, 28, 16))
    expect(resolveDemoOptions({ start: new Date(Date.UTC(2025, 1, 28, 17)) }).startMs).toBe(Date.UTC(2025, 1, 28, 16))
  })

  it('turns string and integer seeds into different stream seeds', () => {
    expect(resolveDemoOptions({ seed: 'x' }).seedValue).not.toBe(resolveDemoOptions({ seed: 1 }).seedValue)
    expect(resolveDemoOptions({ seed: 'x' }).seed).toBe('x')
  })

  it('names each bad option in its error', () => {
    expect(() => resolveDemoOptions({ people: 0 })).toThrow(/people/)
    expect(() => resolveDemoOptions({ days: 1.5 })).toThrow(/days/)
    expect(() => resolveDemoOptions({ start: '2025-02-30' })).toThrow(/real calendar date/)
    expect(() => resolveDemoOptions({ start: '1 March' })).toThrow(/YYYY-MM-DD/)
    expect(() => resolveDemoOptions({ without: ['tiktok' as 'douyin'] })).toThrow(/without/)
  })
})
