import type { Analyzer } from '../text/terms.ts'

/**
 * The terms a text is indexed under, for Chinese and English alike:
 *
 * - **words** — the analyzer's keys (jieba words, NFKC-folded, lower-cased, English Porter-stemmed,
 *   stop words out), so "Hydration" is found by "hydration" and "hydrated";
 * - **Han bigrams** — every pair of adjacent Han characters in a run, prefixed with `~`, so a
 *   word is found inside whatever the segmenter made of its surroundings: 和声 in 和声优品 (which
 *   jieba cuts 和 / 声优 / 品), 活力 in 活力健康. Overlapping bigrams are the classic index unit for
 *   Chinese retrieval without a dictionary (Nie, Gao, Zhang & Zhou, "On the use of words and
 *   n-grams for Chinese information retrieval", IRAL 2000), and words on top keep precision.
 *
 * A document's length (for BM25) counts words only.
 */
export const BIGRAM_PREFIX = '~'

const HAN_RUN = /\p{Script=Han}+/gu

export interface IndexTerms {
  /** term → occurrences */
  counts: Map<string, number>
  /** Number of words (the BM25 document length). */
  length: number
}

/**
 * @example
 * indexTerms(analyzer, '活力健康').counts // Map { '活力' => 1, '健康' => 1, '~活力' => 1, '~力健' => 1, '~健康' => 1 }
 */
export function indexTerms(analyzer: Analyzer, text: string): IndexTerms {
  const counts = new Map<string, number>()
  const add = (term: string) => counts.set(term, (counts.get(term) ?? 0) + 1)
  const words = analyzer.terms(text)
  for (const word of words) add(word.key)
  for (const bigram of hanBigrams(text)) add(bigram)
  return { counts, length: words.length }
}

/** Every adjacent pair of Han characters, `~`-prefixed (a lone Han character gives none). */
export function hanBigrams(text: string): string[] {
  const out: string[] = []
  for (const match of text.normalize('NFKC').matchAll(HAN_RUN)) {
    const chars = [...match[0]]
    for (let i = 0; i + 1 < chars.length; i++) out.push(`${BIGRAM_PREFIX}${chars[i]}${chars[i + 1]}`)
  }
  return out
}

export interface QueryTerms {
  /** Distinct terms to look up exactly. */
  exact: string[]
  /** Single Han characters: looked up inside bigrams (`~水%`, `~%水`). */
  hanChars: string[]
  /** Latin words: when the exact stem finds nothing, looked up as a prefix (hydra → hydrat). */
  latinPrefixes: string[]
  /** The surface words of the query, for highlighting matches in snippets. */
  surfaces: string[]
}

const SINGLE_HAN = /^\p{Script=Han}$/u
const LATIN = /^[a-z][a-z0-9'-]*$/

/** The terms of a search query, analysed the way documents are. */
export function queryTerms(analyzer: Analyzer, query: string): QueryTerms {
  const words = analyzer.terms(query, { keepStopWords: true })
  const exact = new Set<string>()
  const hanChars = new Set<string>()
  const latinPrefixes = new Set<string>()
  const surfaces = new Set<string>()
  for (const word of words) {
    const surface = query.slice(word.start, word.end)
    surfaces.add(surface)
    exact.add(word.key)
    if (SINGLE_HAN.test(word.key)) hanChars.add(word.key)
    const folded = surface.normalize('NFKC').toLowerCase()
    if (LATIN.test(folded) && folded.length >= 3) latinPrefixes.add(folded)
  }
  for (const bigram of hanBigrams(query)) exact.add(bigram)
  return { exact: [...exact], hanChars: [...hanChars], latinPrefixes: [...latinPrefixes], surfaces: [...surfaces] }
}
