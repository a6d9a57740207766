import { z } from 'zod'

/**
 * How a channel counts length:
 * - `chars`: user-perceived characters (Unicode grapheme clusters, UAX #29), so 👍🏽 or 👨‍👩‍👧 is 1;
 * - `units`: wide characters (CJK, full-width forms, emoji: everything outside ASCII) count 1
 *   and ASCII ½ — how Xiaohongshu's editor counts its 20-character title;
 * - `bytes`: the double-byte width used by Baidu's ad editor and GBK-era systems — wide counts 2,
 *   ASCII 1 ("1 个汉字 = 2 个字符").
 */
export const LengthUnit = z.enum(['chars', 'units', 'bytes'])
export type LengthUnit = z.infer<typeof LengthUnit>

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * Text made only of code points that never join into a larger grapheme (Latin, CJK ideographs,
 * CJK and full-width punctuation, no CR, no combining marks, no surrogates) has one grapheme per
 * UTF-16 unit, so the segmenter can be skipped; it dominates the cost of counting otherwise.
 */
const SIMPLE_TEXT = /^[\u0000-\u000C\u000E-\u02FF\u2010-\u2027\u2030-\u205E\u3000-\u303F\u3400-\u4DBF\u4E00-\u9FFF\uFF01-\uFF60]*$/

/** Each grapheme cluster of `text` with its UTF-16 offset. */
export function splitGraphemes(text: string): { segment: string; index: number }[] {
  if (SIMPLE_TEXT.test(text)) return Array.from(text, (segment, index) => ({ segment, index }))
  return Array.from(graphemes.segment(text), ({ segment, index }) => ({ segment, index }))
}

/**
 * The number of user-perceived characters.
 *
 * @example
 * countGraphemes('跑步👍🏽') // 3
 */
export function countGraphemes(text: string): number {
  if (SIMPLE_TEXT.test(text)) return text.length
  let n = 0
  for (const _ of graphemes.segment(text)) n++
  return n
}

/**
 * True when a grapheme takes a full-width cell: anything outside ASCII. This is GBK's rule (ASCII
 * is one byte, everything else two), which is what Baidu's "1 个汉字 = 2 个字符" and
 * Xiaohongshu's "English counts half" both follow, and it puts CJK punctuation (“”…—) and emoji
 * on the wide side where Chinese fonts draw them.
 */
export function isWide(grapheme: string): boolean {
  return grapheme.charCodeAt(0) > 0x7f
}

/**
 * Length of `text` in the given unit (see {@link LengthUnit}); `units` may end in .5.
 *
 * @example
 * measureLength('iPhone新品', 'units') // 5  (6 ASCII × ½ + 2 CJK × 1)
 * measureLength('iPhone新品', 'bytes') // 10
 * measureLength('iPhone新品', 'chars') // 8
 */
export function measureLength(text: string, unit: LengthUnit): number {
  if (unit === 'chars') return countGraphemes(text)
  let wide = 0
  let narrow = 0
  if (SIMPLE_TEXT.test(text)) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) > 0x7f) wide++
      else narrow++
    }
  } else {
    for (const { segment } of splitGraphemes(text)) {
      if (isWide(segment)) wide++
      else narrow++
    }
  }
  return unit === 'units' ? wide + narrow / 2 : wide * 2 + narrow
}

/**
 * The longest prefix of `text` whose length in `unit` is at most `limit`, as a UTF-16 offset;
 * used to highlight where a field starts running over.
 */
export function offsetAtLength(text: string, unit: LengthUnit, limit: number): number {
  let used = 0
  for (const { segment, index } of splitGraphemes(text)) {
    const cost = unit === 'chars' ? 1 : isWide(segment) ? (unit === 'units' ? 1 : 2) : unit === 'units' ? 0.5 : 1
    if (used + cost > limit) return index
    used += cost
  }
  return text.length
}
