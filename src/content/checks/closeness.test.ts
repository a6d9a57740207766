import { describe, expect, it } from 'vitest'
import { buildIdf, coreMessageCloseness, cosine, tfidfVector } from './closeness.ts'

describe('TF-IDF closeness', () => {
  it('smooths IDF as ln((1 + N) / (1 + df)) + 1 over the whole set', () => {
    const idf = buildIdf([['轻盈', '缓震'], ['轻盈', '耐磨'], ['轻盈']])
    expect(idf.idf('轻盈')).toBeCloseTo(1)
    expect(idf.idf('缓震')).toBeCloseTo(Math.log(4 / 2) + 1)
    expect(idf.idf('没见过')).toBeCloseTo(Math.log(4) + 1)
  })

  it('damps repetition with sublinear tf', () => {
    const idf = buildIdf([['a']])
    expect(tfidfVector(['a', 'a', 'a'], idf).get('a')).toBeCloseTo(1 + Math.log(3))
  })

  it('gives 1 for the same terms in any order, 0 for nothing shared', () => {
    const idf = buildIdf([['轻盈', '缓震', '跑鞋']])
    expect(cosine(tfidfVector(['轻盈', '缓震', '跑鞋'], idf), tfidfVector(['跑鞋', '缓震', '轻盈'], idf))).toBeCloseTo(1)
    expect(cosine(tfidfVector(['轻盈'], idf), tfidfVector(['咖啡'], idf))).toBe(0)
    expect(cosine(new Map(), tfidfVector(['轻盈'], idf))).toBe(0)
  })

  it('ranks variants by how much of the core message they share, with IDF from the whole campaign', () => {
    const core = ['轻盈', '缓震', '奔跑', '更远']
    const closeness = coreMessageCloseness(core, [
      { id: 'on', terms: ['轻盈', '缓震', '奔跑', '更远', '立即', '购买'] },
      { id: 'half', terms: ['轻盈', '缓震', '周末', '公园', '散步'] },
      { id: 'off', terms: ['咖啡', '拿铁', '推荐'] },
    ])
    expect(closeness.get('on')!).toBeGreaterThan(closeness.get('half')!)
    expect(closeness.get('half')!).toBeGreaterThan(closeness.get('off')!)
    expect(closeness.get('off')).toBe(0)
  })
})
