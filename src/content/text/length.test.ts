import { describe, expect, it } from 'vitest'
import { countGraphemes, measureLength, offsetAtLength } from './length.ts'

describe('measureLength', () => {
  it.each([
    // 'iPhone' is 6 ASCII (6 × ½ = 3) and 新品 2 CJK (2 × 1): 5 units, 10 bytes, 8 characters.
    ['iPhone新品', 5, 10, 8],
    ['轻盈缓震', 4, 8, 4],
    ['Run far', 3.5, 7, 7],
    // Full-width punctuation and emoji are wide; 👍🏽 is one grapheme of two code points.
    ['跑步！👍🏽', 4, 8, 4],
    ['', 0, 0, 0],
  ])('measures %j as %d units, %d bytes, %d characters', (text, units, bytes, chars) => {
    expect(measureLength(text, 'units')).toBe(units)
    expect(measureLength(text, 'bytes')).toBe(bytes)
    expect(measureLength(text, 'chars')).toBe(chars)
  })

  it('counts a family emoji joined by ZWJ, a flag and a combining accent as one character each', () => {
    expect(countGraphemes('👨‍👩‍👧')).toBe(1)
    expect(countGraphemes('🇨🇳')).toBe(1)
    expect(countGraphemes('e\u0301')).toBe(1)
    expect(countGraphemes('a\r\nb')).toBe(3)
  })

  it('finds where a title starts running over its limit', () => {
    // 18 CJK + 'ab' (½ + ½) + 好好 = 21 units; the first 20 end before the last 好.
    const title = '一二三四五六七八九十一二三四五六七八ab好好'
    expect(measureLength(title, 'units')).toBe(21)
    expect(offsetAtLength(title, 'units', 20)).toBe(title.length - 1)
    expect(offsetAtLength(title, 'units', 21)).toBe(title.length)
    expect(offsetAtLength('跑步👍🏽好', 'chars', 3)).toBe(6)
  })
})
