/**
 * Reads an MMM dataset from a CSV table through a column mapping, checking every row and
 * reporting each bad one with its line number instead of stopping at the first.
 *
 * - Dates: `YYYY-MM-DD` (a time part or `/` separators are accepted and dropped).
 * - Numbers: plain decimals; empty cells and NA markers are missing values, which reject the
 *   row because a regression cannot use it. Spend and impressions must not be negative.
 * - A control column holding any non-numeric, non-missing value (or no number at all) is categorical (e.g. Robyn's `events` with
 *   `na`, `event1`, `event2`): it becomes one 0/1 column per level except the most frequent one,
 *   the baseline, named `column=level`.
 * - Rows out of date order are sorted (with a warning); a repeated date rejects the later row.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { parseCsv, type CsvTable } from './csv-table.ts'
import { parseMmmDataset, type MmmDataset } from './dataset.ts'

export const ColumnMapping = z.object({
  date: z.string().min(1),
  outcome: z.string().min(1),
  /** Name the outcome in reports; defaults to the outcome column (or `revenue`, see below). */
  outcomeName: z.string().min(1).optional(),
  /** Multiplies the outcome by this column: conversions × revenue per conversion = revenue. */
  revenuePerConversion: z.string().min(1).optional(),
  channels: z
    .array(z.object({ name: z.string().min(1), spend: z.string().min(1), impressions: z.string().min(1).optional() }))
    .min(1, 'map at least one spend column'),
  controls: z.array(z.string().min(1)).default([]),
  delimiter: z.string().length(1).default(','),
})
export type ColumnMapping = z.infer<typeof ColumnMapping>
export type ColumnMappingInput = z.input<typeof ColumnMapping>

export interface RowRejection {
  line: number
  reasons: string[]
}

export type DatasetLoad =
  | { kind: 'loaded'; dataset: MmmDataset; rowsRead: number; rejected: RowRejection[]; warnings: string[] }
  | { kind: 'MissingColumns'; missing: string[]; available: string[]; message: string }
  | { kind: 'NoUsableRows'; rejected: RowRejection[]; message: string }

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '-'])

/**
 * @example
 * const load = datasetFromCsv(text, {
 *   date: 'DATE', outcome: 'revenue',
 *   channels: [{ name: 'tv', spend: 'tv_S' }], controls: ['events'],
 * })
 * if (load.kind === 'loaded') for (const r of load.rejected) console.error(`line ${r.line}: ${r.reasons.join('; ')}`)
 */
export function datasetFromCsv(text: string, mappingInput: ColumnMappingInput): DatasetLoad {
  const mapping = ColumnMapping.parse(mappingInput)
  return datasetFromTable(parseCsv(text, mapping.delimiter), mapping)
}

/**
 * Reads the file and maps it; a path that cannot be read throws with the operating system's reason.
 *
 * @example
 * const load = await readDatasetCsv('../shared/data/robyn_dt_simulated_weekly.csv', mapping)
 */
export async function readDatasetCsv(path: string, mappingInput: ColumnMappingInput): Promise<DatasetLoad> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`)
  }
  return datasetFromCsv(text, mappingInput)
}

/**
 * Maps an already parsed table; see {@link datasetFromCsv}.
 *
 * @example
 * datasetFromTable(parseCsv(text), ColumnMapping.parse({ date: 'time', outcome: 'y', channels: [{ name: 'tv', spend: 'tv' }] }))
 */
export function datasetFromTable(table: CsvTable, mapping: ColumnMapping): DatasetLoad {
  const index = new Map(table.header.map((h, i) => [h, i]))
  const wanted = [
    mapping.date,
    mapping.outcome,
    ...(mapping.revenuePerConversion ? [mapping.revenuePerConversion] : []),
    ...mapping.channels.flatMap((c) => (c.impressions ? [c.spend, c.impressions] : [c.spend])),
    ...mapping.controls,
  ]
  const missing = [...new Set(wanted.filter((w) => !index.has(w)))]
  if (missing.length > 0) {
    return {
      kind: 'MissingColumns',
      missing,
      available: table.header,
      message: `column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} not in the header; available: ${table.header.join(', ')}`,
    }
  }
  const col = (name: string): number => index.get(name) as number
  // Numeric only if some cell is a number and every other cell is a number or missing; a column
  // of nothing but `na` is a constant category, not a column of missing values.
  const categorical = mapping.controls.filter((c) => {
    const cells = table.records.map((r) => (r.cells[col(c)] ?? '').trim())
    return !cells.some(isNumeric) || cells.some((cell) => !MISSING.has(cell.toLowerCase()) && !isNumeric(cell))
  })

  interface Row {
    line: number
    date: string
    outcome: number
    spend: number[]
    impressions: (number | undefined)[]
    numericControls: Map<string, number>
    levels: Map<string, string>
  }
  const rows: Row[] = []
  const rejected: RowRejection[] = []
  for (const record of table.records) {
    const reasons: string[] = []
    if (record.cells.length !== table.header.length) {
      rejected.push({ line: record.line, reasons: [`has ${record.cells.length} cells, the header has ${table.header.length}`] })
      continue
    }
    const cell = (name: string): string => (record.cells[col(name)] ?? '').trim()
    const number = (name: string, nonNegative: boolean): number => {
      const raw = cell(name)
      if (MISSING.has(raw.toLowerCase())) {
        reasons.push(`${name} is missing`)
        return NaN
      }
      const value = isNumeric(raw) ? Number(raw) : NaN
      if (!Number.isFinite(value)) reasons.push(`${name} is '${raw}', not a number`)
      else if (nonNegative && value < 0) reasons.push(`${name} is negative (${raw})`)
      return value
    }
    const date = isoDate(cell(mapping.date))
    if (!date) reasons.push(`${mapping.date} is '${cell(mapping.date)}', not a YYYY-MM-DD date`)
    let outcome = number(mapping.outcome, false)
    if (mapping.revenuePerConversion) outcome *= number(mapping.revenuePerConversion, false)
    const spend = mapping.channels.map((c) => number(c.spend, true))
    const impressions = mapping.channels.map((c) => (c.impressions ? number(c.impressions, true) : undefined))
    const numericControls = new Map<string, number>()
    const levels = new Map<string, string>()
    for (const c of mapping.controls) {
      if (categorical.includes(c)) levels.set(c, cell(c))
      else numericControls.set(c, number(c, false))
    }
    if (reasons.length > 0 || !date) rejected.push({ line: record.line, reasons })
    else rows.push({ line: record.line, date, outcome, spend, impressions, numericControls, levels })
  }

  const warnings: string[] = []
  const ordered = rows.every((r, i) => i === 0 || (rows[i - 1] as Row).date <= r.date)
  if (!ordered) {
    rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.line - b.line))
    warnings.push('rows were not in date order and have been sorted')
  }
  const kept: Row[] = []
  for (const row of rows) {
    const previous = kept[kept.length - 1]
    if (previous && previous.date === row.date) {
      rejected.push({ line: row.line, reasons: [`date ${row.date} repeats line ${previous.line}`] })
    } else {
      kept.push(row)
    }
  }
  rejected.sort((a, b) => a.line - b.line)
  if (kept.length < 2) {
    return {
      kind: 'NoUsableRows',
      rejected,
      message: `${kept.length} usable row${kept.length === 1 ? '' : 's'} of ${table.records.length}; a model needs a series of periods`,
    }
  }
  warnings.push(...gapWarnings(kept.map((r) => r.date)))

  const controls: { name: string; values: number[] }[] = []
  for (const c of mapping.controls) {
    if (!categorical.includes(c)) {
      controls.push({ name: c, values: kept.map((r) => r.numericControls.get(c) as number) })
      continue
    }
    const counts = new Map<string, number>()
    for (const r of kept) counts.set(r.levels.get(c) as string, (counts.get(r.levels.get(c) as string) ?? 0) + 1)
    const byFrequency = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    const baseline = (byFrequency[0] as [string, number])[0]
    const others = byFrequency.map(([level]) => level).filter((l) => l !== baseline).sort()
    for (const level of others) {
      controls.push({ name: `${c}=${level}`, values: kept.map((r) => (r.levels.get(c) === level ? 1 : 0)) })
    }
    warnings.push(`control '${c}' is categorical: baseline '${baseline}', indicators for ${others.map((l) => `'${l}'`).join(', ') || 'no other level'}`)
  }

  const dataset = parseMmmDataset({
    dates: kept.map((r) => r.date),
    outcome: {
      name: mapping.outcomeName ?? (mapping.revenuePerConversion ? 'revenue' : mapping.outcome),
      values: kept.map((r) => r.outcome),
    },
    channels: mapping.channels.map((c, i) => ({
      name: c.name,
      spend: kept.map((r) => r.spend[i] as number),
      ...(c.impressions ? { impressions: kept.map((r) => r.impressions[i] as number) } : {}),
    })),
    controls,
  })
  return { kind: 'loaded', dataset, rowsRead: table.records.length, rejected, warnings }
}

function isNumeric(raw: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)
}

function isoDate(raw: string): string | null {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ].*)?$/.exec(raw)
  if (!m) return null
  const iso = `${m[1]}-${m[2]}-${m[3]}`
  const t = Date.parse(`${iso}T00:00:00Z`)
  // Date.parse rolls 2021-02-30 over to March; a round trip catches impossible dates.
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso ? null : iso
}

function gapWarnings(dates: string[]): string[] {
  const days = dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 86_400_000)
  const gaps = days.slice(1).map((d, i) => d - (days[i] as number))
  const sorted = [...gaps].sort((a, b) => a - b)
  const cadence = sorted[Math.floor(sorted.length / 2)] as number
  const irregular = gaps.flatMap((g, i) => (g !== cadence ? [`${dates[i]} → ${dates[i + 1]} (${g} days)`] : []))
  if (irregular.length === 0) return []
  const shown = irregular.slice(0, 5).join(', ')
  return [`periods are usually ${cadence} days apart but ${irregular.length} gap(s) differ: ${shown}${irregular.length > 5 ? ', …' : ''}`]
}
