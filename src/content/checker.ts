import type { ChannelProfile } from './channel-profile.ts'
import { extendAdLawLexicon, loadShippedAdLawLexicon, type AdLawExtension, type AdLawLexicon } from './checks/ad-law-lexicon.ts'
import { compileAdLawMatcher, type AdLawMatcher } from './checks/ad-law-matcher.ts'
import { checkAdLaw } from './checks/ad-law.ts'
import { compileChannelProfile, checkChannelRules, type CompiledChannelProfile } from './checks/channel-rules.ts'
import { buildIdf, cosine, tfidfVector, type IdfTable } from './checks/closeness.ts'
import { findContradictions } from './checks/contradictions.ts'
import { compilePillars, coverageScore, measureCoverage, type CompiledPillar, type TermIndex } from './checks/coverage.ts'
import { extractFacts } from './checks/facts.ts'
import {
  checkForbidden,
  checkMandatory,
  compileHouseRules,
  hasHouseCta,
  type AnalysedText,
  type CompiledHouseRules,
} from './checks/house-rules.ts'
import { DEFAULT_CHANNEL_PROFILES } from './default-channels.ts'
import type { MessageHouse } from './message-house.ts'
import type { CampaignReport, CheckItem, PillarCoverage, VariantReport } from './report.ts'
import { scoreCampaign, scoreVariant } from './score.ts'
import { loadStopWords } from './text/stop-words.ts'
import { createAnalyzer, type Analyzer } from './text/terms.ts'
import type { Tokenizer } from './text/tokenizer.ts'
import { allTextOf, proseOf, type Variant, type VariantText } from './variant.ts'

export interface CheckerOptions {
  house: MessageHouse
  /** From loadTokenizer(): jieba, or Intl.Segmenter when jieba cannot load. */
  tokenizer: Tokenizer
  /** Profiles by id; these replace the shipped defaults of the same id, others are added. */
  channels?: readonly ChannelProfile[]
  /** The advertising-law lexicon (default: the shipped one) and brand lists layered on top. */
  adLaw?: { lexicon?: AdLawLexicon; extensions?: readonly (AdLawExtension | AdLawLexicon)[] }
  /** Extra stop words, ignored when comparing copy with the house. */
  stopWords?: readonly string[]
}

interface Analysis {
  prose: AnalysedText[]
  all: VariantText[]
  index: TermIndex
  keys: string[]
}

/**
 * Checks copy against one message house: coverage of its pillars, closeness to its core message,
 * the channel's rules, advertising-law wording, the house's forbidden words and claims and its
 * mandatory elements; per campaign also contradictions between variants. Construct it once per
 * house (it compiles the house, the channel profiles and the lexicon) and reuse it.
 *
 * @example
 * const checker = new ConsistencyChecker({ house, tokenizer: await loadTokenizer() })
 * const report = checker.checkCampaign(variants)
 * report.score // 0–100
 * report.variants[0]!.items // what, where, why, severity — item by item
 */
export class ConsistencyChecker {
  readonly #house: MessageHouse
  readonly #analyzer: Analyzer
  readonly #pillars: CompiledPillar[]
  readonly #rules: CompiledHouseRules
  readonly #channels: Map<string, CompiledChannelProfile>
  readonly #adLaw: AdLawMatcher
  /** Terms of the core message and of each translation of it. */
  readonly #coreTerms: string[][]

  constructor(options: CheckerOptions) {
    this.#house = options.house
    this.#analyzer = createAnalyzer({ tokenizer: options.tokenizer, stopWords: loadStopWords(options.stopWords) })
    this.#pillars = compilePillars(options.house, this.#analyzer)
    this.#rules = compileHouseRules(options.house, this.#analyzer)
    const profiles = new Map<string, ChannelProfile>(Object.entries(DEFAULT_CHANNEL_PROFILES))
    for (const profile of options.channels ?? []) profiles.set(profile.id, profile)
    this.#channels = new Map([...profiles].map(([id, profile]) => [id, compileChannelProfile(profile)]))
    // The house's own words come after the shipped list; lists passed in code come last and win.
    const houseWords = { category: 'brand', ...options.house.adLawWords }
    const lexicon = extendAdLawLexicon(options.adLaw?.lexicon ?? loadShippedAdLawLexicon(), houseWords, ...(options.adLaw?.extensions ?? []))
    this.#adLaw = compileAdLawMatcher(lexicon)
    this.#coreTerms = [options.house.coreMessage, ...Object.values(options.house.coreMessageTranslations)].map((text) =>
      this.#analyzer.terms(text).map((t) => t.key),
    )
  }

  /** The channel profiles in force, by id. */
  get channels(): ReadonlyMap<string, ChannelProfile> {
    return new Map([...this.#channels].map(([id, compiled]) => [id, compiled.profile]))
  }

  /**
   * Checks one variant on its own. Closeness uses IDF over this variant and the core message
   * unless `idf` is given; within a campaign use checkCampaign, which computes IDF across all.
   */
  checkVariant(variant: Variant, options: { idf?: IdfTable } = {}): VariantReport {
    const analysis = this.#analyse(variant)
    const idf = options.idf ?? buildIdf([...this.#coreTerms, analysis.keys])
    return this.#report(variant, analysis, idf)
  }

  /** Checks every variant of a campaign, then what only shows across them. Variant ids must be unique. */
  checkCampaign(variants: readonly Variant[]): CampaignReport {
    const ids = new Set<string>()
    for (const variant of variants) {
      if (ids.has(variant.id)) throw new Error(`checkCampaign: variant id "${variant.id}" appears twice; validate input with CampaignVariants`)
      ids.add(variant.id)
    }
    const analyses = variants.map((variant) => this.#analyse(variant))
    const idf = buildIdf([...this.#coreTerms, ...analyses.map((a) => a.keys)])
    const reports = variants.map((variant, i) => this.#report(variant, analyses[i]!, idf))

    const items: CheckItem[] = findContradictions(
      reports.map((report, i) => ({ id: report.variantId, facts: report.facts, texts: analyses[i]!.all })),
    )
    const carried = this.#house.pillars.map((p) => p.name).filter((name) => reports.some((r) => r.pillars.some((c) => c.pillar === name && c.carried)))
    const missing = this.#house.pillars.map((p) => p.name).filter((name) => !carried.includes(name))
    if (missing.length > 0 && reports.length > 0) {
      items.push({
        check: 'coverage',
        code: 'coverage.campaign-missing',
        severity: 'warn',
        what: `no variant carries ${missing.map((m) => `"${m}"`).join(', ')}`,
        why: 'Every pillar of the message house should reach the audience somewhere in the campaign.',
        where: [],
        data: { missing },
      })
    }
    const contradictions = items.filter((i) => i.check === 'contradiction').length
    const campaign = scoreCampaign({
      variantScores: reports.map((r) => r.score),
      pillarCoverage: this.#house.pillars.length === 0 ? 0 : carried.length / this.#house.pillars.length,
      contradictions,
    })
    const { score, ...scoreParts } = campaign
    return { score, scoreParts, pillarsCarried: carried, pillarsMissing: missing, variants: reports, items }
  }

  #analyse(variant: Variant): Analysis {
    const prose = proseOf(variant).map((t) => ({ ...t, terms: this.#analyzer.terms(t.text) }))
    const index: TermIndex = new Map()
    const keys: string[] = []
    for (const { field, text, terms } of prose) {
      for (const term of terms) {
        keys.push(term.key)
        const hits = index.get(term.key)
        const hit = { field, text, start: term.start, end: term.end }
        if (hits) hits.push(hit)
        else index.set(term.key, [hit])
      }
    }
    return { prose, all: allTextOf(variant), index, keys }
  }

  #report(variant: Variant, analysis: Analysis, idf: IdfTable): VariantReport {
    const compiled = this.#channels.get(variant.channel)
    const items: CheckItem[] = []
    if (compiled) {
      items.push(...checkChannelRules(variant, compiled, { hasHouseCta: hasHouseCta(this.#rules, analysis.all) }))
    } else {
      items.push({
        check: 'channel',
        code: 'channel.unknown',
        severity: 'warn',
        what: `no profile for channel "${variant.channel}"; its length and format rules were not checked`,
        why: `Known channels: ${[...this.#channels.keys()].join(', ')}.`,
        where: [],
      })
    }
    items.push(...checkAdLaw(analysis.prose, this.#adLaw))
    items.push(...checkForbidden(this.#rules, analysis.prose))
    items.push(...checkMandatory(this.#rules, variant, analysis.all))

    const pillars = measureCoverage(this.#pillars, analysis.index, variant.persona)
    const expected = compiled?.profile.expectedPillars ?? 1
    const coverage = coverageScore(pillars.map((p) => p.score), expected)
    items.push(...this.#coverageItems(pillars, expected, variant))
    // The closest language version counts: English copy is held against the English sentence.
    const vector = tfidfVector(analysis.keys, idf)
    const closeness = Math.max(...this.#coreTerms.map((terms) => cosine(tfidfVector(terms, idf), vector)))
    if (closeness < 0.1) {
      items.push({
        check: 'core-message',
        code: 'core-message.far',
        severity: 'info',
        what: `the copy shares almost no words with the core message (cosine ${closeness.toFixed(2)})`,
        why: `Core message: "${this.#house.coreMessage}". Every piece should echo it.`,
        where: [],
        data: { closeness },
      })
    }
    const scoreParts = scoreVariant({ coverage, closeness, items })
    return {
      variantId: variant.id,
      channel: variant.channel,
      stage: variant.stage,
      score: scoreParts.score,
      scoreParts,
      pillars,
      facts: extractFacts(analysis.all),
      items,
    }
  }

  #coverageItems(pillars: PillarCoverage[], expected: number, variant: Variant): CheckItem[] {
    const carried = pillars.filter((p) => p.carried)
    const wanted = Math.min(expected, pillars.length)
    if (carried.length >= wanted) return []
    const partial = pillars.filter((p) => !p.carried && p.score > 0)
    return [
      {
        check: 'coverage',
        code: 'coverage.below-expected',
        severity: 'info',
        what: `carries ${carried.length} of the ${wanted} pillar${wanted === 1 ? '' : 's'} expected on ${variant.channel}${carried.length > 0 ? ` (${carried.map((p) => p.pillar).join(', ')})` : ''}`,
        why:
          partial.length > 0
            ? `Partly there: ${partial.map((p) => `${p.pillar} (missing ${p.missing.join(', ')})`).join('; ')}.`
            : 'None of the pillars\' key phrases or their synonyms appear.',
        where: partial.flatMap((p) => p.where),
        data: { carried: carried.map((p) => p.pillar), expected: wanted },
      },
    ]
  }
}
