import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseWordList } from '../text/word-list.ts'
import { extendAdLawLexicon, loadShippedAdLawLexicon, parseAdLawLexicon } from './ad-law-lexicon.ts'
import { compileAdLawMatcher } from './ad-law-matcher.ts'
import { checkAdLaw } from './ad-law.ts'

const shipped = loadShippedAdLawLexicon()
const matcher = compileAdLawMatcher(shipped)
const found = (text: string) => matcher.find(text).map((m) => [m.text, m.severity])

describe('advertising-law wording', () => {
  it.each([
    // statutory terms of art. 9(3) block
    ['本品为国家级认证', [['国家级', 'block']]],
    ['最佳选择', [['最佳', 'block']]],
    ['The best running shoe', [['The best', 'block']]],
    // a superlative ranking claim blocks, bare 第一 warns, narrative 第一次 / 第一步 / 第一天 pass
    ['全网第一的跑鞋', [['全网第一', 'block']]],
    ['销量第一，行业第一', [['销量第一', 'block'], ['行业第一', 'block']]],
    ['我们是第一', [['第一', 'warn']]],
    ['第一次穿就爱上了', []],
    ['迈出第一步，坚持第一天', []],
    ['No.1 in comfort', [['No.1', 'block']]],
    ['ＮＯ．１的选择', [['ＮＯ．１', 'block']]],
    ['TOP10 榜单', []],
    // 最 words warn; narrative 最近 / 最后 pass
    ['最舒适的跑鞋', [['最舒适', 'warn']]],
    ['最近很流行，最后一双', []],
    // English matches whole words only
    ['bestow a gift', []],
    ['a best-selling shoe', [['best-selling', 'warn']]],
    ['Best regards, the team', []],
    ['Unbeatable comfort', [['Unbeatable', 'warn']]],
  ])('%s', (text, expected) => {
    expect(found(text)).toEqual(expected)
  })

  it('reports the term, its offsets, the sentence and 12 characters of context either side', () => {
    const [item] = checkAdLaw([{ field: 'body', text: '限时优惠。这是全网第一的轻盈缓震跑鞋，快来买。' }], matcher)
    expect(item).toMatchObject({
      check: 'ad-law',
      code: 'ad-law.block',
      severity: 'block',
      where: [{ field: 'body', start: 7, end: 11, text: '全网第一', before: '限时优惠。这是', after: '的轻盈缓震跑鞋，快来买。' }],
      data: { term: '全网第一', category: 'ranking', sentence: '这是全网第一的轻盈缓震跑鞋，快来买。' },
    })
    expect(item!.why).toContain('9(3)')
  })

  it('takes a brand\'s lists: new words, a stricter severity and allowed phrases', () => {
    const brand = compileAdLawMatcher(extendAdLawLexicon(shipped, { block: ['唯一', '永不磨损'], allow: ['卓越跑团'] }))
    expect(brand.find('唯一的选择')[0]?.severity).toBe('block')
    expect(brand.find('鞋底永不磨损')[0]?.term).toBe('永不磨损')
    expect(brand.find('加入卓越跑团')).toEqual([])
    expect(brand.find('卓越品质')[0]?.severity).toBe('warn')
    // the shipped matcher is unchanged
    expect(matcher.find('唯一的选择')[0]?.severity).toBe('warn')
  })

  it('parses a brand list in the shipped text format and says which line is wrong', () => {
    const parsed = parseAdLawLexicon('# our words\n[block:brand]\n永不磨损 "never wears out"\n[allow]\n第一名额')
    expect(parsed).toEqual({
      ok: true,
      lexicon: {
        entries: [
          { term: '永不磨损', severity: 'block', category: 'brand' },
          { term: 'never wears out', severity: 'block', category: 'brand' },
        ],
        allow: ['第一名额'],
      },
    })
    expect(parseAdLawLexicon('永不磨损\n[forbid:x]\nfoo')).toEqual({
      ok: false,
      kind: 'InvalidLexicon',
      errors: [
        { line: 1, message: 'entries must follow a [block:…], [warn:…] or [allow] header' },
        { line: 2, message: 'unknown section "[forbid:x]": use [block:<category>], [warn:<category>] or [allow]' },
        { line: 3, message: 'entries must follow a [block:…], [warn:…] or [allow] header' },
      ],
    })
  })

  it('ships each term once', () => {
    const terms = shipped.entries.map((e) => e.term.toLowerCase())
    expect(terms.length).toBe(new Set(terms).size)
  })

  // The reference list in ../shared/data (read at run time, never copied): everything it names is
  // flagged, and its statutory terms block.
  const reference = resolve(process.cwd(), '../shared/data/advertising-law-terms.txt')
  it.skipIf(!existsSync(reference))('flags every term of the shared reference list', () => {
    const text = readFileSync(reference, 'utf8')
    const terms = parseWordList(text.replace(/^\[.*\]$/gm, ''))
    expect(terms.length).toBeGreaterThan(100)
    const missed = terms.filter((term) => !matcher.find(term).some((m) => m.start === 0 && m.end === term.length))
    expect(missed).toEqual([])
    for (const term of ['国家级', '最高级', '最佳', '全网第一', '极品']) expect(matcher.find(term)[0]?.severity).toBe('block')
  })
})
