import { parseCsv } from '../mmm/index.ts'
import { spendRecord, type SpendFields, type SpendRecord } from './spend-row.ts'

/** Columns a spend file can have. */
export const SPEND_COLUMNS = ['date', 'channel', 'campaign', 'impressions', 'clicks', 'cost', 'currency'] as const
export type SpendColumn = (typeof SPEND_COLUMNS)[number]

/**
 * Header names recognised without a mapping: the English names, and what the Chinese ad
 * platforms' report exports call them (巨量引擎, 百度营销, 腾讯广告, 小红书聚光, 微博).
 */
const HEADER_ALIASES: Record<SpendColumn, readonly string[]> = {
  date: ['date', 'day', 'stat_date', 'report_date', 'stat_datetime', '日期', '时间', '数据日期'],
  channel: ['channel', 'platform', 'media', 'source', '渠道', '媒体', '平台', '投放平台'],
  campaign: ['campaign', 'campaign_name', 'campaign name', '计划', '计划名称', '推广计划', '推广计划名称', '广告计划', '广告计划名称', '广告名称', '广告组', '活动', '活动名称'],
  impressions: ['impressions', 'impression', 'shows', 'show', 'views', '展示', '展示数', '展示量', '展现', '展现量', '曝光', '曝光量', '曝光次数'],
  clicks: ['clicks', 'click', '点击', '点击数', '点击量', '点击次数'],
  cost: ['cost', 'spend', 'amount', 'cost_yuan', '消耗', '花费', '消费', '费用', '总花费', '总消耗', '总消费', '实际消耗'],
  currency: ['currency', '币种', '货币'],
}

/** Where each column's value comes from: `{ cost: '消耗(元)', date: '日期' }` (column → header). */
export type SpendMapping = Partial<Record<SpendColumn, string>>

/**
 * `date=日期,cost=消耗(元)` → `{ date: '日期', cost: '消耗(元)' }`.
 *
 * @example parseSpendMapping('campaign=计划名称,cost=消耗') // { campaign: '计划名称', cost: '消耗' }
 */
export function parseSpendMapping(text: string): SpendMapping {
  const mapping: SpendMapping = {}
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=')
    const target = pair.slice(0, eq).trim() as SpendColumn
    const header = pair.slice(eq + 1).trim()
    if (eq <= 0 || header === '') throw new Error(`--map entries look like column=header (e.g. cost=消耗), not "${pair}"`)
    if (!(SPEND_COLUMNS as readonly string[]).includes(target)) throw new Error(`--map: unknown column "${target}"; use ${SPEND_COLUMNS.join(', ')}`)
    mapping[target] = header
  }
  return mapping
}

export interface SpendImportOptions {
  mapping?: SpendMapping
  /** The channel of every row, for a one-platform export without a channel column. */
  channel?: string
  /** Currency of rows that state none. Default CNY. */
  currency?: string
  delimiter?: string
}

/** One refused row: its line in the file (or index in a JSON list) and every reason. */
export interface SpendRejection {
  line: number
  reasons: string[]
}

export interface SpendParseReport {
  rowsRead: number
  rowsAccepted: number
  rejected: SpendRejection[]
}

export type SpendParseResult =
  | { kind: 'parsed'; records: SpendRecord[]; report: SpendParseReport }
  | { kind: 'BadFile'; message: string }

/**
 * Reads an ad platform's daily export (CSV with a header row): one row per day and campaign —
 * rows for the same day, channel and campaign (an export by ad group or keyword) are added up.
 * Bad rows are reported with their line number and every reason, and the good rows go on.
 *
 * @example
 * const result = parseSpendCsv(await readFile('spend.csv', 'utf8'), { mapping: { cost: '消耗' } })
 * if (result.kind === 'parsed') result.report.rejected // [{ line: 7, reasons: ["cost 'n/a' is not an amount (e.g. 1234.50)"] }]
 */
export function parseSpendCsv(text: string, options: SpendImportOptions = {}): SpendParseResult {
  let table: ReturnType<typeof parseCsv>
  try {
    table = parseCsv(text, options.delimiter ?? ',')
  } catch (error) {
    return { kind: 'BadFile', message: (error as Error).message }
  }
  if (table.header.length === 0) return { kind: 'BadFile', message: 'the file is empty; a spend export starts with a header row (date,channel,campaign,impressions,clicks,cost)' }
  const columns = resolveColumns(table.header, options)
  if (typeof columns === 'string') return { kind: 'BadFile', message: columns }
  const rows = table.records.map((record) => {
    const fields: SpendFields = {}
    for (const [column, index] of Object.entries(columns) as [SpendColumn, number][]) fields[column] = record.cells[index]
    if (options.channel && columns.channel === undefined) fields.channel = options.channel
    return { line: record.line, fields }
  })
  return { kind: 'parsed', ...collectSpend(rows, options.currency ?? 'CNY') }
}

/**
 * Validates rows from anywhere (the JSON API numbers them from 0) and adds up repeats of a day,
 * channel and campaign.
 *
 * @example collectSpend([{ line: 0, fields: { date: '2025-03-01', channel: 'douyin', costMinor: 3086 } }], 'CNY')
 */
export function collectSpend(rows: Iterable<{ line: number; fields: SpendFields }>, defaultCurrency: string): { records: SpendRecord[]; report: SpendParseReport } {
  const report: SpendParseReport = { rowsRead: 0, rowsAccepted: 0, rejected: [] }
  const byKey = new Map<string, SpendRecord>()
  for (const { line, fields } of rows) {
    report.rowsRead++
    const result = spendRecord(fields, defaultCurrency)
    if (!result.ok) {
      report.rejected.push({ line, reasons: result.reasons })
      continue
    }
    const record = result.record
    const key = `${record.date}\u0000${record.channel}\u0000${record.campaign}`
    const earlier = byKey.get(key)
    if (earlier && earlier.currency !== record.currency) {
      report.rejected.push({ line, reasons: [`currency ${record.currency} differs from an earlier row of ${record.channel} / ${record.campaign || '(no campaign)'} on ${record.date} (${earlier.currency})`] })
      continue
    }
    report.rowsAccepted++
    if (earlier) {
      earlier.impressions += record.impressions
      earlier.clicks += record.clicks
      earlier.costMinor += record.costMinor
    } else {
      byKey.set(key, { ...record })
    }
  }
  return { records: [...byKey.values()], report }
}

function normaliseHeader(header: string): string {
  return header.trim().toLowerCase().replace(/[（(][^)）]*[)）]$/u, '').trim()
}

function resolveColumns(header: string[], options: SpendImportOptions): Partial<Record<SpendColumn, number>> | string {
  const columns: Partial<Record<SpendColumn, number>> = {}
  const normalised = header.map(normaliseHeader)
  for (const column of SPEND_COLUMNS) {
    const mapped = options.mapping?.[column]
    if (mapped !== undefined) {
      const index = header.findIndex((h) => h.trim() === mapped.trim())
      const loose = index >= 0 ? index : normalised.indexOf(normaliseHeader(mapped))
      if (loose < 0) return `--map ${column}=${mapped}: the file has no column "${mapped}"; its columns are ${header.map((h) => `"${h}"`).join(', ')}`
      columns[column] = loose
      continue
    }
    const index = normalised.findIndex((h) => HEADER_ALIASES[column].includes(h))
    if (index >= 0) columns[column] = index
  }
  const missing = (['date', 'cost'] as const).filter((c) => columns[c] === undefined)
  if (columns.channel === undefined && !options.channel) missing.push('channel' as never)
  if (missing.length > 0) {
    return `the file has no ${missing.join(', ')} column; its columns are ${header.map((h) => `"${h}"`).join(', ')} — name them with --map (e.g. ${missing[0]}=…)${missing.includes('channel' as never) ? ' or give --channel for a one-platform export' : ''}`
  }
  return columns
}
