import { stem } from './porter-stemmer.ts'
import type { Tokenizer } from './tokenizer.ts'

/**
 * Turns copy into comparable terms: words from the tokenizer, folded with NFKC (ｉＰｈｏｎｅ →
 * iphone), lower-cased, English stemmed with Porter (running → run), stop words dropped. Two
 * texts that say the same thing in a different order, tense or width yield the same terms.
 */

export interface Term {
  /** The comparable form: a Chinese word, an English stem, a number. */
  key: string
  /** UTF-16 offsets of the word in the analysed text. */
  start: number
  end: number
}

export interface Analyzer {
  terms(text: string, options?: { keepStopWords?: boolean }): Term[]
}

const LATIN_WORD = /^[a-z]+$/
const NUMBER_WITH_GROUPS = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/

/**
 * The comparable key of one word, or null for a stop word.
 *
 * @example
 * termKey('Running', new Set()) // 'run'
 * termKey('ｉＰｈｏｎｅ', new Set()) // 'iphon' (NFKC, then Porter drops the final e)
 * termKey('的', new Set(['的'])) // null
 */
export function termKey(word: string, stopWords: ReadonlySet<string>, keepStopWords = false): string | null {
  let key = word.normalize('NFKC').toLowerCase().replace(/’/g, "'")
  if (!keepStopWords && stopWords.has(key)) return null
  if (key.endsWith("'s")) key = key.slice(0, -2)
  if (NUMBER_WITH_GROUPS.test(key)) return key.replace(/,/g, '')
  if (LATIN_WORD.test(key)) return stem(key)
  return key
}

/**
 * An analyzer over a tokenizer and a stop-word set.
 *
 * @example
 * const analyzer = createAnalyzer({ tokenizer, stopWords: loadStopWords() })
 * analyzer.terms('Running shoes that run further').map((t) => t.key) // ['run', 'shoe', 'run', 'further']
 */
export function createAnalyzer(options: { tokenizer: Tokenizer; stopWords: ReadonlySet<string> }): Analyzer {
  const { tokenizer, stopWords } = options
  return {
    terms(text, { keepStopWords = false } = {}) {
      const out: Term[] = []
      for (const segment of tokenizer.segment(text)) {
        const key = termKey(segment.text, stopWords, keepStopWords)
        if (key !== null && key !== '') out.push({ key, start: segment.start, end: segment.end })
      }
      return out
    },
  }
}
