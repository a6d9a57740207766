/** Ad spend: daily cost per channel and campaign, imported from platform exports. See docs/measurement.md. */
export { spendRecord, spendChannel, type SpendRecord, type SpendFields } from './spend-row.ts'
export {
  parseSpendCsv,
  parseSpendMapping,
  collectSpend,
  SPEND_COLUMNS,
  type SpendColumn,
  type SpendMapping,
  type SpendImportOptions,
  type SpendParseReport,
  type SpendParseResult,
  type SpendRejection,
} from './spend-import.ts'
export { storeSpend, spendTotals, dailySpend, listSpend, deleteSpend, InvalidSpendCursor, type SpendQuery, type SpendStoreOutcome } from './spend-store.ts'
export { minorDigits, majorAmount, isCurrency } from './currency.ts'
