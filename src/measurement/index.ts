/**
 * Measurement: what worked, read from the same event log that activation writes.
 *
 * - channel grouping (`grouping/`): ordered, editable rules from UTM, referrers, click ids, WeChat
 *   scenes and message events to a channel and a channel group;
 * - touchpoints and conversions (`touchpoints/`): which events are touches of which kind, named
 *   conversions, and the one-pass streaming extraction of journeys into attribution paths;
 * - spend (`spend/`): daily cost per channel and campaign from ad platform exports;
 * - reports (`roi/`): attribution on the log with ROAS and CPA, ROI and CAC;
 * - the truth check (`truth/`): attribution and MMM against the demo brand's counterfactual truth;
 * - attribution models (`attribution/`) and marketing-mix models (`mmm/`), re-exported whole.
 *
 * See docs/measurement.md, docs/attribution.md and docs/mmm.md.
 */
export * from './attribution/index.ts'
export * from './mmm/index.ts'
export * from './grouping/index.ts'
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
  ConversionDefinition,
  ConversionFilter,
  ConversionValue,
  ConversionKey,
  PayloadPath,
  DEFAULT_CONVERSION_KEY,
  defaultConversion,
  conversionPaths,
  ConversionMatcher,
  listConversions,
  getConversion,
  putConversion,
  deleteConversion,
  touchOf,
  touchFactsOf,
  eventRowOf,
  urlHost,
  sameSite,
  clickIdsOf,
  collectTimeline,
  splitJourneys,
  emptyTimelineStats,
  scanPeople,
  conversionsBefore,
  profilesConvertedBefore,
  extractPaths,
  GroupBy,
  NO_TOUCHPOINT,
  type ConversionDefinitionInput,
  type MatchedConversion,
  type StoredConversion,
  type EventRow,
  type Touch as Touchpoint,
  type TouchOutcome,
  type Timeline,
  type TimelineConversion,
  type TimelineStats,
  type TimelineOptions,
  type Journey,
  type JourneyWindow,
  type LogScanOptions,
  type PersonEvents,
  type PathExtraction,
  type PathExtractionInput,
  type PathExtractionStats,
  type PathLabel,
} from './touchpoints/index.ts'
export * from './spend/index.ts'
export * from './roi/index.ts'
export * from './truth/index.ts'
export * from './media-mix/index.ts'
export { measurementRoutes } from './routes.ts'
export { warmDashboardReads, dashboardPeriods } from './warm-reads.ts'
