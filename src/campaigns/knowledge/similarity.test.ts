import { describe, expect, it } from 'vitest'
import { createAnalyzer, createSegmenterTokenizer, loadStopWords } from '../../content/index.ts'
import { rankBySimilarity, worthSuggesting } from './similarity.ts'

const analyzer = createAnalyzer({ tokenizer: createSegmenterTokenizer(), stopWords: loadStopWords() })

describe('rankBySimilarity', () => {
  it('weighs shared channels, shared goal metrics and shared words, and suggests only what shares a channel or metric', () => {
    const plan = { channels: ['xiaohongshu', 'tmall'], metrics: ['revenue'], text: '秋季复购 小红书种草' }
    const lessons = [
      { id: 'same', channels: ['xiaohongshu', 'tmall'], metrics: ['revenue'], text: '小红书种草带动天猫成交' },
      { id: 'half', channels: ['xiaohongshu', 'weibo'], metrics: ['reach'], text: '微博话题' },
      { id: 'words', channels: ['baidu_search'], metrics: [], text: '秋季复购 小红书种草' },
    ]
    const ranked = rankBySimilarity(analyzer, plan, lessons)
    expect(ranked.map((r) => r.item.id)).toEqual(['same', 'words', 'half'])
    const same = ranked[0]!.similarity
    expect(same).toMatchObject({ channels: 1, metrics: 1, sharedChannels: ['xiaohongshu', 'tmall'], sharedMetrics: ['revenue'] })
    expect(same.score).toBeCloseTo(0.4 + 0.3 + 0.3 * same.text, 3)
    // Jaccard: 1 shared of 3 channels; no shared metric.
    expect(ranked.find((r) => r.item.id === 'half')!.similarity).toMatchObject({ channels: 0.333, metrics: 0 })
    expect(worthSuggesting(ranked.find((r) => r.item.id === 'words')!.similarity)).toBe(false)
    expect(worthSuggesting(same)).toBe(true)
  })
})
