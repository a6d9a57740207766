import { locate, type CheckItem } from '../report.ts'
import { splitSentences } from '../text/sentences.ts'
import type { VariantText } from '../variant.ts'
import type { AdLawMatcher } from './ad-law-matcher.ts'

/** Why each category matters, in the words a writer needs. */
const WHY: Record<string, string> = {
  statutory: '广告法 art. 9(3) forbids 国家级、最高级、最佳 and like terms outright; fines run from ¥200,000 to ¥1,000,000 (art. 57).',
  'statutory-construction': '广告法 art. 9(3) lists 国家级、最高级、最佳 "等" — the same construction (世界级, 国际级) is treated as the statutory terms.',
  absolute: 'An absolute claim (极品, 史上最低价) that regulators treat as 广告法 art. 9(3) wording.',
  ranking:
    'A superlative ranking claim (第一 scoped to a market, a sales list or a category, No.1) asserts superiority over every competitor: 广告法 art. 9(3) wording, and art. 11 requires any cited data to be true and sourced.',
}
const BRAND_BLOCK_WHY = "The brand's own word list (its message house) blocks this word: its legal team or brand guidelines rule it out."
const BRAND_WARN_WHY = "The brand's own word list (its message house) asks that a person check this word before the copy runs."
const WARN_WHY =
  'An extreme word (极限词) on practitioner lists. SAMR\'s 2023 enforcement guideline judges such words in context: fine when it describes the brand\'s own range or a provable fact, unlawful as a claim over competitors. A person should decide.'

/**
 * Finds advertising-law wording in every field of a variant. Each match is reported with the
 * term, its category, the field and offsets, 12 characters either side and the sentence it sits in.
 *
 * @example
 * checkAdLaw([{ field: 'title', text: '全网第一的跑鞋' }], matcher)
 * // [{ check: 'ad-law', code: 'ad-law.block', severity: 'block', what: '"全网第一" …', … }]
 */
export function checkAdLaw(texts: readonly VariantText[], matcher: AdLawMatcher): CheckItem[] {
  const items: CheckItem[] = []
  for (const { field, text } of texts) {
    const matches = matcher.find(text)
    if (matches.length === 0) continue
    const sentences = splitSentences(text)
    for (const match of matches) {
      const sentence = sentences.find((s) => s.start <= match.start && match.end <= s.end)
      items.push({
        check: 'ad-law',
        code: `ad-law.${match.severity}`,
        severity: match.severity,
        what: describe(match),
        why: explain(match),
        where: [locate(field, text, match.start, match.end)],
        data: { term: match.term, category: match.category, sentence: sentence?.text ?? text },
      })
    }
  }
  return items
}

const BRAND = 'brand'

function describe(match: { text: string; severity: string; category: string }): string {
  if (match.category === BRAND) return `"${match.text}" is on the brand's ${match.severity === 'block' ? 'blocked' : 'check-first'} word list`
  return match.severity === 'block'
    ? `"${match.text}" is wording the advertising law forbids (${match.category})`
    : `"${match.text}" is an extreme word (${match.category}); check it is a provable fact about your own product`
}

function explain(match: { severity: string; category: string }): string {
  if (match.category === BRAND) return match.severity === 'block' ? BRAND_BLOCK_WHY : BRAND_WARN_WHY
  return match.severity === 'block' ? (WHY[match.category] ?? `Listed as blocked (${match.category}).`) : WARN_WHY
}
