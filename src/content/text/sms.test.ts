import { describe, expect, it } from 'vitest'
import { countSmsSegments } from './sms.ts'

describe('countSmsSegments', () => {
  it.each([
    // Chinese forces UCS-2: 70 fit one message, the 71st character makes two parts of ≤ 67.
    ['70 Chinese characters', '【和声】' + '好'.repeat(66), 'ucs-2', 70, 1],
    ['71 Chinese characters', '【和声】' + '好'.repeat(67), 'ucs-2', 71, 2],
    ['134 Chinese characters', '好'.repeat(134), 'ucs-2', 134, 2],
    ['135 Chinese characters', '好'.repeat(135), 'ucs-2', 135, 3],
    ['160 GSM characters', 'a'.repeat(160), 'gsm-7', 160, 1],
    ['161 GSM characters', 'a'.repeat(161), 'gsm-7', 161, 2],
    ['306 GSM characters', 'a'.repeat(306), 'gsm-7', 306, 2],
    ['307 GSM characters', 'a'.repeat(307), 'gsm-7', 307, 3],
    // ¥ and é are in the GSM alphabet; € and [ ] take an escape septet each.
    ['GSM with ¥ and é', 'Café ¥199', 'gsm-7', 9, 1],
    ['GSM extension characters', '€'.repeat(80), 'gsm-7', 160, 1],
    ['an emoji is two UTF-16 units', '😀'.repeat(35), 'ucs-2', 70, 1],
    ['empty', '', 'gsm-7', 0, 0],
  ])('%s', (_name, text, encoding, length, segments) => {
    const count = countSmsSegments(text)
    expect(count.encoding).toBe(encoding)
    expect(count.length).toBe(length)
    expect(count.segments).toBe(segments)
  })

  it('does not split an escape pair across parts', () => {
    // 152 plain septets then €: 154 septets, part one holds 152 (the pair does not fit in 1 slot).
    const count = countSmsSegments('a'.repeat(152) + '€' + 'a'.repeat(10))
    expect(count.length).toBe(164)
    expect(count.segments).toBe(2)
    expect(countSmsSegments('a'.repeat(152) + '€'.repeat(77)).segments).toBe(3)
  })

  it('names the characters that force UCS-2 with their offsets', () => {
    const count = countSmsSegments('Don’t miss it')
    expect(count.encoding).toBe('ucs-2')
    expect(count.nonGsm).toEqual([{ char: '’', offset: 3 }])
  })

  it('bills every character as one under Chinese domestic rules', () => {
    const english = 'a'.repeat(100)
    expect(countSmsSegments(english).segments).toBe(1)
    expect(countSmsSegments(english, { billing: 'cn-domestic' })).toMatchObject({ length: 100, segments: 2, perSegment: 67 })
  })
})
