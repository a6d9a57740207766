/**
 * Content: the "one voice" module. A message house states what the brand says; channel profiles
 * state how each channel lets it be said; the checker holds copy against both and explains every
 * finding. Pure functions and a checker class — no storage, no HTTP.
 */
export {
  Stage,
  Pillar,
  MandatoryElement,
  VisualIdentity,
  MessageHouse,
  parseMessageHouse,
  type MessageHouseInput,
  type MessageHouseResult,
  type InputIssue,
} from './message-house.ts'
export {
  Variant,
  CampaignVariants,
  parseCampaignVariants,
  proseOf,
  type VariantInput,
  type VariantsResult,
  type VariantText,
} from './variant.ts'
export {
  Severity,
  ChannelRule,
  LengthRule,
  SmsSegmentsRule,
  RequiredFieldRule,
  CtaRule,
  LinkRule,
  HashtagRule,
  PatternRule,
  ChannelProfile,
  ChannelProfileChange,
  parseChannelProfile,
  customiseChannelProfile,
  fieldMatches,
  type ChannelRuleInput,
  type ChannelProfileInput,
  type ChannelProfileResult,
} from './channel-profile.ts'
export { DEFAULT_CHANNEL_PROFILES, type DefaultChannelId } from './default-channels.ts'
export {
  CheckName,
  CheckItem,
  Location,
  PillarCoverage,
  Fact,
  VariantScore,
  VariantReport,
  CampaignReport,
} from './report.ts'
export { ConsistencyChecker, type CheckerOptions } from './checker.ts'
export { SCORE_WEIGHTS, scoreVariant, scoreCampaign } from './score.ts'

export {
  AdLawSeverity,
  AdLawEntry,
  AdLawLexicon,
  AdLawExtension,
  parseAdLawLexicon,
  loadShippedAdLawLexicon,
  extendAdLawLexicon,
  type LexiconParseResult,
} from './checks/ad-law-lexicon.ts'
export { compileAdLawMatcher, type AdLawMatch, type AdLawMatcher } from './checks/ad-law-matcher.ts'
export { checkAdLaw } from './checks/ad-law.ts'
export { buildIdf, tfidfVector, cosine, coreMessageCloseness, type IdfTable } from './checks/closeness.ts'
export { extractFacts } from './checks/facts.ts'
export { findContradictions, type VariantFacts } from './checks/contradictions.ts'

export { LengthUnit, measureLength, countGraphemes, splitGraphemes, offsetAtLength, isWide } from './text/length.ts'
export { SmsBilling, countSmsSegments, type SmsSegmentCount } from './text/sms.ts'
export { splitSentences, type Sentence } from './text/sentences.ts'
export { stem } from './text/porter-stemmer.ts'
export { loadStopWords } from './text/stop-words.ts'
export { createAnalyzer, termKey, type Analyzer, type Term } from './text/terms.ts'
export {
  loadTokenizer,
  createJiebaTokenizer,
  createSegmenterTokenizer,
  type Tokenizer,
  type TextSegment,
  type JiebaLike,
} from './text/tokenizer.ts'

// The content hub around the engine: storage (houses, matrix, review flow, assets, search) and its HTTP routes.
export * from './store/index.ts'
export { contentRoutes } from './routes.ts'
