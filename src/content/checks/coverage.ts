import type { MessageHouse, Pillar } from '../message-house.ts'
import { locate, type Location, type PillarCoverage } from '../report.ts'
import type { Analyzer } from '../text/terms.ts'

/**
 * Key-message coverage: which pillars a piece of copy carries. A key phrase is matched on its
 * words, not its characters: 轻盈缓震 is carried by "缓震出色，而且轻盈" (other order) and, with
 * 轻盈 → 轻便 in the pillar's synonyms, by "轻便又缓震". Each word of a phrase is a slot that any
 * of its forms fills (the word, or a synonym, itself possibly several words); a phrase scores the
 * share of slots filled, and a pillar the score of its best phrase or synonym phrase.
 */

/** One word position of a phrase: filled when all terms of any one form are present. */
interface Slot {
  label: string
  forms: string[][]
}

interface CompiledPhrase {
  phrase: string
  /** The phrase and its whole-phrase synonyms, each as slots. */
  alternatives: Slot[][]
}

export interface CompiledPillar {
  name: string
  phrases: CompiledPhrase[]
  proofPoints: CompiledPhrase[]
  benefits: Map<string, CompiledPhrase[]>
}

/** One occurrence of a term: the field's text and the term's offsets in it. */
export interface TermHit {
  field: string
  text: string
  start: number
  end: number
}

/** Where each term occurs in a variant, for matching and highlighting. */
export type TermIndex = Map<string, TermHit[]>

function keysOf(analyzer: Analyzer, text: string): { keys: string[]; labels: string[] } {
  let terms = analyzer.terms(text)
  // A phrase made only of stop words ("我们的") is matched on those words rather than not at all.
  if (terms.length === 0) terms = analyzer.terms(text, { keepStopWords: true })
  return { keys: terms.map((t) => t.key), labels: terms.map((t) => text.slice(t.start, t.end)) }
}

function compilePillar(pillar: Pillar, analyzer: Analyzer): CompiledPillar {
  // Synonym groups are symmetric: {轻盈: [轻便, 轻量]} makes the three interchangeable.
  const groups: string[][][] = Object.entries(pillar.synonyms).map(([term, alts]) =>
    [term, ...alts].map((text) => keysOf(analyzer, text).keys).filter((keys) => keys.length > 0),
  )
  const groupsOf = (keys: string[]) => {
    const joined = keys.join(' ')
    return groups.filter((group) => group.some((form) => form.join(' ') === joined))
  }
  const slotsOf = (text: string): Slot[] => {
    const { keys, labels } = keysOf(analyzer, text)
    return keys.map((key, i) => {
      const forms = [[key], ...groupsOf([key]).flat()]
      const unique = new Map(forms.map((form) => [form.join(' '), form]))
      return { label: labels[i]!, forms: [...unique.values()] }
    })
  }
  const compilePhrase = (phrase: string): CompiledPhrase => {
    const own = keysOf(analyzer, phrase).keys.join(' ')
    const alternatives = [slotsOf(phrase)]
    for (const form of groupsOf(own.split(' ')).flat()) {
      if (form.join(' ') === own) continue
      alternatives.push(form.map((key) => ({ label: key, forms: [[key], ...groupsOf([key]).flat()] })))
    }
    return { phrase, alternatives: alternatives.filter((slots) => slots.length > 0) }
  }
  return {
    name: pillar.name,
    phrases: pillar.keyPhrases.map(compilePhrase),
    proofPoints: pillar.proofPoints.map(compilePhrase),
    benefits: new Map(Object.entries(pillar.benefits).map(([persona, list]) => [persona, list.map(compilePhrase)])),
  }
}

/**
 * Compiles the pillars of a house once, so checking many variants does not re-segment them.
 *
 * @example
 * const pillars = compilePillars(house, analyzer)
 */
export function compilePillars(house: MessageHouse, analyzer: Analyzer): CompiledPillar[] {
  return house.pillars.map((pillar) => compilePillar(pillar, analyzer))
}

interface PhraseMatch {
  score: number
  missing: string[]
  where: Location[]
}

function matchPhrase(phrase: CompiledPhrase, index: TermIndex): PhraseMatch {
  let best: PhraseMatch | null = null
  for (const slots of phrase.alternatives) {
    const where: Location[] = []
    const missing: string[] = []
    for (const slot of slots) {
      const form = slot.forms.find((keys) => keys.every((key) => index.has(key)))
      if (form) {
        for (const key of form) {
          const hit = index.get(key)![0]!
          where.push(locate(hit.field, hit.text, hit.start, hit.end))
        }
      }
      else missing.push(slot.label)
    }
    const score = (slots.length - missing.length) / slots.length
    // Ties keep the earlier alternative: the phrase as written before its synonyms.
    if (best === null || score > best.score) best = { score, missing, where }
    if (score === 1) break
  }
  return best ?? { score: 0, missing: [], where: [] }
}

/**
 * How far a variant's terms carry each pillar; `persona` selects which benefits to look for.
 *
 * @example
 * const coverage = measureCoverage(pillars, index, '新手跑者')
 * coverage[0] // { pillar: '轻盈缓震', score: 1, carried: true, phrases: ['轻盈缓震'], … }
 */
export function measureCoverage(
  pillars: readonly CompiledPillar[],
  index: TermIndex,
  persona?: string,
): PillarCoverage[] {
  return pillars.map((pillar) => {
    const matches = pillar.phrases.map((phrase) => ({ phrase: phrase.phrase, match: matchPhrase(phrase, index) }))
    const best = matches.reduce((a, b) => (b.match.score > a.match.score ? b : a))
    const carriedPhrases = matches.filter((m) => m.match.score === 1)
    const carried = (list: CompiledPhrase[]) => list.filter((p) => matchPhrase(p, index).score === 1).map((p) => p.phrase)
    return {
      pillar: pillar.name,
      score: best.match.score,
      carried: best.match.score === 1,
      phrases: carriedPhrases.map((m) => m.phrase),
      missing: best.match.score === 1 ? [] : best.match.missing,
      where: (carriedPhrases.length > 0 ? carriedPhrases.flatMap((m) => m.match.where) : best.match.where).slice(0, 20),
      proofPoints: carried(pillar.proofPoints),
      benefits: persona === undefined ? [] : carried(pillar.benefits.get(persona) ?? []),
    }
  })
}

/**
 * The coverage part of the score: the mean of the best `expected` pillar scores, so a channel
 * expected to carry one pillar (an SMS) is not marked down for leaving out the other four.
 */
export function coverageScore(scores: readonly number[], expected: number): number {
  if (scores.length === 0) return 0
  const m = Math.max(1, Math.min(expected, scores.length))
  const top = [...scores].sort((a, b) => b - a).slice(0, m)
  return top.reduce((a, b) => a + b, 0) / m
}
