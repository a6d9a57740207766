/** Attribution reports on the event log with spend: ROAS, CPA, ROI and CAC. See docs/measurement.md. */
export {
  attributeLog,
  runModels,
  periodSpend,
  AttributionRequest,
  type AttributionRequestInput,
  type LogAttributionInput,
  type LogAttributionOutcome,
  type LogAttributionReport,
  type CreditedRow,
  type ComparisonRow,
} from './attribution-report.ts'
export { roiReport, RoiRequest, type RoiRequestInput, type RoiReport, type RoiRow, type RoiOutcome } from './roi-report.ts'
export { CostIndex, paidGroupOf, type SpendLine, type RowKey } from './cost-index.ts'
export { resolvePeriod, zonedDayStart, localDate, type Period } from './period.ts'
