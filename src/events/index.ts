/**
 * Event volume: a log processor keeps per-quarter-hour counts of the log by touch facts, and the
 * summary puts them in channels with the measurement module's channel grouping rules. The
 * dashboard's "today's events by channel" reads it. See docs/dashboard.md.
 */
export { eventCountProcessor, BUCKET_MS } from './counter.ts'
export { eventSummary, type EventSummary, type EventSummaryOutcome, type ChannelCount } from './summary.ts'
export { eventRoutes } from './routes.ts'
