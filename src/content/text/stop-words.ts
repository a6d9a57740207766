import { parseWordList, readShippedList } from './word-list.ts'

/**
 * The shipped Chinese and English stop words (`data/stopwords-zh.txt`, `data/stopwords-en.txt`),
 * lower-cased, plus any `extra` words a brand wants ignored when comparing copy.
 *
 * @example
 * const stopWords = loadStopWords()
 * stopWords.has('的') // true
 * stopWords.has('the') // true
 * stopWords.has('not') // false — negations change meaning
 */
export function loadStopWords(extra: readonly string[] = []): ReadonlySet<string> {
  const words = [
    ...parseWordList(readShippedList('stopwords-zh.txt')),
    ...parseWordList(readShippedList('stopwords-en.txt')),
    ...extra,
  ]
  return new Set(words.map((w) => w.toLowerCase()))
}
