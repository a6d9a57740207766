import { foldForMatching } from '../text/fold.ts'
import type { AdLawEntry, AdLawLexicon, AdLawSeverity } from './ad-law-lexicon.ts'

/** One lexicon term found in a text, with UTF-16 offsets into that text. */
export interface AdLawMatch {
  term: string
  severity: AdLawSeverity
  category: string
  start: number
  end: number
  /** The text as written (case and width preserved). */
  text: string
}

export interface AdLawMatcher {
  find(text: string): AdLawMatch[]
}

interface CompiledTerm {
  key: string
  entry: AdLawEntry
  wordStart: boolean
  wordEnd: boolean
}

const ASCII_ALNUM = /[a-z0-9]/

function compileTerm(key: string, entry: AdLawEntry): CompiledTerm {
  return { key, entry, wordStart: ASCII_ALNUM.test(key[0]!), wordEnd: ASCII_ALNUM.test(key[key.length - 1]!) }
}

/** ASCII terms match whole words only: "best" is not found in "bestow", "TOP1" not in "TOP10". */
function atBoundary(folded: string, start: number, end: number, term: CompiledTerm): boolean {
  if (term.wordStart && start > 0 && ASCII_ALNUM.test(folded[start - 1]!)) return false
  if (term.wordEnd && end < folded.length && ASCII_ALNUM.test(folded[end]!)) return false
  return true
}

function index(terms: CompiledTerm[]): Map<string, CompiledTerm[]> {
  const byFirst = new Map<string, CompiledTerm[]>()
  for (const term of terms) {
    const first = term.key[0]!
    const list = byFirst.get(first) ?? []
    list.push(term)
    byFirst.set(first, list)
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.key.length - a.key.length)
  return byFirst
}

/**
 * Compiles a lexicon into a matcher. At each position the longest term wins (全网第一 before
 * 第一) and matching resumes after it; a match lying wholly inside an allowed phrase (第一 in
 * 第一次) is skipped.
 *
 * @example
 * const matcher = compileAdLawMatcher(loadShippedAdLawLexicon())
 * matcher.find('第一次用就爱上了').length // 0
 * matcher.find('全网第一的跑鞋')[0] // { term: '全网第一', severity: 'block', start: 0, end: 4, … }
 */
export function compileAdLawMatcher(lexicon: AdLawLexicon): AdLawMatcher {
  const terms = index(lexicon.entries.map((entry) => compileTerm(foldForMatching(entry.term), entry)))
  const allowed = index(
    lexicon.allow.map((phrase) => compileTerm(foldForMatching(phrase), { term: phrase, severity: 'warn', category: 'allow' })),
  )
  return {
    find(text: string): AdLawMatch[] {
      const folded = foldForMatching(text)
      const allowedSpans: [number, number][] = []
      for (let i = 0; i < folded.length; i++) {
        for (const phrase of allowed.get(folded[i]!) ?? []) {
          const end = i + phrase.key.length
          if (folded.startsWith(phrase.key, i) && atBoundary(folded, i, end, phrase)) allowedSpans.push([i, end])
        }
      }
      const insideAllowed = (start: number, end: number) => allowedSpans.some(([s, e]) => s <= start && end <= e)

      const matches: AdLawMatch[] = []
      let i = 0
      while (i < folded.length) {
        let hit: CompiledTerm | null = null
        for (const term of terms.get(folded[i]!) ?? []) {
          const end = i + term.key.length
          if (!folded.startsWith(term.key, i) || !atBoundary(folded, i, end, term)) continue
          if (insideAllowed(i, end)) break
          hit = term
          break
        }
        if (hit === null) {
          i++
          continue
        }
        const end = i + hit.key.length
        matches.push({
          term: hit.entry.term,
          severity: hit.entry.severity,
          category: hit.entry.category,
          start: i,
          end,
          text: text.slice(i, end),
        })
        i = end
      }
      return matches
    },
  }
}
