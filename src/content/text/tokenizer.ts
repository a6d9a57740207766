/**
 * The tokenizer port: splits Chinese and English copy into words with their offsets. Chinese has
 * no spaces, so runs of Han characters go to a dictionary segmenter — jieba (jieba-rs compiled to
 * WebAssembly) or, when it cannot be loaded, the ICU dictionary behind `Intl.Segmenter` — while
 * everything else (Latin words, numbers, full-width letters) is split by one expression, so
 * "café", "don't", "1,299.00" and "ｉＰｈｏｎｅ" each stay one word whichever segmenter runs.
 */

/** A word of the input, with UTF-16 offsets (what a browser highlight range uses). */
export interface TextSegment {
  text: string
  start: number
  end: number
}

export interface Tokenizer {
  /** Which segmenter is behind the port: `jieba` or `intl-segmenter`. */
  readonly name: string
  /** The word-like pieces of `text` in order; spaces and punctuation are left out. */
  segment(text: string): TextSegment[]
}

/** The part of jieba-wasm this port uses (`cut`), so it can be swapped or faked. */
export interface JiebaLike {
  cut(text: string, hmm?: boolean | null): string[]
}

// A Han run, or a run of other letters / marks / digits that may hold inner ' ’ . , (don't, 1,299.00).
const PIECES = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+(?:['’.,](?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+)*/gu

const HAN_START = /^\p{Script=Han}/u

function segmentWith(name: string, cutHan: (run: string) => Iterable<string>): Tokenizer {
  return {
    name,
    segment(text: string): TextSegment[] {
      const out: TextSegment[] = []
      for (const match of text.matchAll(PIECES)) {
        const piece = match[0]
        const at = match.index
        if (!HAN_START.test(piece)) {
          out.push({ text: piece, start: at, end: at + piece.length })
          continue
        }
        let cursor = 0
        for (const word of cutHan(piece)) {
          // Segmenters return consecutive pieces of their input; find each to keep offsets exact.
          const found = piece.indexOf(word, cursor)
          if (found < 0 || word === '') continue
          out.push({ text: word, start: at + found, end: at + found + word.length })
          cursor = found + word.length
        }
      }
      return out
    },
  }
}

/**
 * A tokenizer over a loaded jieba module. HMM is on so words missing from the dictionary (new
 * brand and product names) are still grouped (jieba's Viterbi over character states).
 *
 * @example
 * const tokenizer = createJiebaTokenizer(await import('jieba-wasm'))
 * tokenizer.segment('轻盈缓震跑鞋').map((s) => s.text) // ['轻盈', '缓震', '跑鞋']
 */
export function createJiebaTokenizer(jieba: JiebaLike): Tokenizer {
  return segmentWith('jieba', (run) => jieba.cut(run, true))
}

/**
 * A tokenizer over `Intl.Segmenter` word granularity (ICU's dictionary for Chinese); the fallback
 * when jieba is unavailable.
 *
 * @example
 * createSegmenterTokenizer().segment('我们的跑鞋').map((s) => s.text) // ['我们', '的', '跑鞋']
 */
export function createSegmenterTokenizer(locale = 'zh'): Tokenizer {
  const words = new Intl.Segmenter(locale, { granularity: 'word' })
  return segmentWith('intl-segmenter', function* (run) {
    for (const { segment, isWordLike } of words.segment(run)) if (isWordLike) yield segment
  })
}

/**
 * Loads jieba and returns a tokenizer over it, or the `Intl.Segmenter` tokenizer if jieba fails
 * to load (missing package, WebAssembly disabled); `onFallback` hears why.
 *
 * @example
 * const tokenizer = await loadTokenizer()
 * tokenizer.name // 'jieba'
 */
export async function loadTokenizer(
  options: { importJieba?: () => Promise<JiebaLike>; onFallback?: (error: unknown) => void } = {},
): Promise<Tokenizer> {
  const importJieba = options.importJieba ?? (() => import('jieba-wasm'))
  try {
    const jieba = await importJieba()
    if (typeof jieba.cut !== 'function') throw new Error('jieba-wasm has no cut() export')
    // One call proves the WebAssembly instance works before the checker relies on it.
    jieba.cut('测试', true)
    return createJiebaTokenizer(jieba)
  } catch (error) {
    options.onFallback?.(error)
    return createSegmenterTokenizer('zh')
  }
}
