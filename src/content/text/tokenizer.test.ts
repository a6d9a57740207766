import { beforeAll, describe, expect, it } from 'vitest'
import { loadStopWords } from './stop-words.ts'
import { createAnalyzer } from './terms.ts'
import { createSegmenterTokenizer, loadTokenizer, type Tokenizer } from './tokenizer.ts'

let jieba: Tokenizer

beforeAll(async () => {
  jieba = await loadTokenizer({ onFallback: (error) => { throw error } })
})

describe.each([
  ['jieba', () => jieba],
  ['intl-segmenter', () => createSegmenterTokenizer()],
])('the %s tokenizer', (name, tokenizer) => {
  it('segments Chinese into words and keeps Latin words, numbers and contractions whole', () => {
    const words = tokenizer().segment('和声跑鞋iPhone新品，don’t miss ¥1,299.00！café').map((s) => s.text)
    expect(words).toContain('跑鞋')
    expect(words).toContain('iPhone')
    expect(words).toContain('don’t')
    expect(words).toContain('1,299.00')
    expect(words).toContain('café')
    expect(words).not.toContain('，')
  })

  it('reports UTF-16 offsets that slice back to each word, emoji included', () => {
    const text = '😀轻盈缓震👨‍👩‍👧 runs far'
    const segments = tokenizer().segment(text)
    expect(segments.length).toBeGreaterThan(3)
    for (const s of segments) expect(text.slice(s.start, s.end)).toBe(s.text)
  })

  it(`is named ${name}`, () => {
    expect(tokenizer().name).toBe(name)
  })
})

describe('loadTokenizer', () => {
  it('falls back to Intl.Segmenter when jieba cannot be loaded, and says why', async () => {
    const reasons: unknown[] = []
    const tokenizer = await loadTokenizer({
      importJieba: () => Promise.reject(new Error('WebAssembly disabled')),
      onFallback: (error) => reasons.push(error),
    })
    expect(tokenizer.name).toBe('intl-segmenter')
    expect(String(reasons[0])).toContain('WebAssembly disabled')
    expect(tokenizer.segment('我们的跑鞋').map((s) => s.text)).toContain('跑鞋')
  })
})

describe('createAnalyzer', () => {
  it('lower-cases, stems English, folds full-width letters and drops stop words in both languages', () => {
    const analyzer = createAnalyzer({ tokenizer: jieba, stopWords: loadStopWords() })
    // Porter drops the final e of iphone, the same way on both sides of any comparison.
    expect(analyzer.terms('The runner runs, RUNNING with ｉＰｈｏｎｅ').map((t) => t.key)).toEqual(['runner', 'run', 'run', 'iphon'])
    expect(analyzer.terms('我们的跑鞋很轻盈').map((t) => t.key)).toEqual(['跑鞋', '轻盈'])
  })

  it('keeps negations, which change what a claim says', () => {
    const analyzer = createAnalyzer({ tokenizer: jieba, stopWords: loadStopWords() })
    expect(analyzer.terms('no side effects').map((t) => t.key)).toEqual(['no', 'side', 'effect'])
  })
})
