/**
 * Touchpoints, conversions and paths from the event log: which events are touches of which kind,
 * named conversion definitions, and the one-pass streaming extraction of every person's journeys
 * into attribution paths. See docs/measurement.md.
 */
export {
  TOUCH_KINDS,
  TouchKind,
  DEFAULT_TOUCH_KINDS,
  ARRIVAL_EVENTS,
  MESSAGE_EVENT_KINDS,
  EXPOSURE_EVENTS,
  STORE_EVENTS,
  STORE_CHANNELS,
  MARKETPLACE_CHANNELS,
} from './touch-kinds.ts'
export {
  ConversionDefinition,
  ConversionFilter,
  ConversionValue,
  ConversionKey,
  PayloadPath,
  DEFAULT_CONVERSION_KEY,
  defaultConversion,
  conversionPaths,
  type ConversionDefinitionInput,
} from './conversion-definition.ts'
export { ConversionMatcher, type MatchedConversion } from './conversion-match.ts'
export { listConversions, getConversion, putConversion, deleteConversion, type StoredConversion } from './conversion-store.ts'
export type { EventRow } from './event-row.ts'
export { touchOf, touchFactsOf, type Touch, type TouchOutcome } from './touch-extract.ts'
export { urlHost, sameSite, clickIdsOf } from './landing-url.ts'
export { eventRowOf } from './payload-row.ts'
export {
  collectTimeline,
  splitJourneys,
  emptyTimelineStats,
  type Timeline,
  type TimelineConversion,
  type TimelineStats,
  type TimelineOptions,
  type Journey,
  type JourneyWindow,
} from './journeys.ts'
export { scanPeople, conversionsBefore, profilesConvertedBefore, type LogScanOptions, type PersonEvents } from './log-scan.ts'
export {
  extractPaths,
  GroupBy,
  NO_TOUCHPOINT,
  type PathExtraction,
  type PathExtractionInput,
  type PathExtractionStats,
  type PathLabel,
} from './extract-paths.ts'
