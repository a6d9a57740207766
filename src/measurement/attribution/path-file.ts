import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { z } from 'zod'
import { PathSetBuilder, type PathSet } from './path-set.ts'

/**
 * How a path file is laid out. The defaults read ChannelAttribution's example data
 * (`path;total_conversions;total_conversion_value;total_null`, channels joined by ` > `).
 */
export const PathFileOptions = z.object({
  /** Field separator. */
  sep: z.string().min(1).default(';'),
  pathCol: z.string().min(1).default('path'),
  convCol: z.string().min(1).default('total_conversions'),
  valueCol: z.string().min(1).default('total_conversion_value'),
  nullCol: z.string().min(1).default('total_null'),
  /** Separator between the channels of a path; channel names are trimmed. */
  pathSep: z.string().min(1).default('>'),
  /** At most this many bad rows are listed (all are counted). */
  maxListedBadRows: z.number().int().nonnegative().default(1000),
})
export type PathFileOptions = z.input<typeof PathFileOptions>

/** What happened to the rows of a path file. Line numbers count the header as line 1. */
export interface PathFileReport {
  /** Data rows read (blank lines are skipped and not counted). */
  rows: number
  accepted: number
  rejected: number
  /** The first `maxListedBadRows` bad rows. */
  badRows: { line: number; reason: string }[]
}

export type PathFileResult =
  | { ok: true; paths: PathSet; report: PathFileReport }
  | { ok: false; error: { kind: 'EmptyFile' | 'BadHeader'; message: string } }

/**
 * Streams a path file into a {@link PathSet}. Bad rows do not stop the read: each is reported
 * with its line number and reason. Only an unusable header (missing columns, no header at all)
 * fails the whole file.
 *
 * Fields may be quoted with `"` (a doubled `""` inside quotes is one quote, RFC 4180); a record
 * is one line.
 *
 * @example
 * const result = await readPathFile('../shared/data/ChannelAttribution_Data.csv')
 * if (result.ok) console.log(result.paths.size, result.report.rejected)
 */
export async function readPathFile(file: string, options: PathFileOptions = {}): Promise<PathFileResult> {
  const stream = createReadStream(file, { encoding: 'utf8' })
  const lines = createInterface({ input: stream, crlfDelay: Infinity })
  try {
    return await readPathLines(lines, options)
  } finally {
    lines.close()
    stream.destroy()
  }
}

/**
 * Reads path-file lines (header first) from any source of lines.
 *
 * @example
 * await readPathLines(['path;total_conversions;total_conversion_value;total_null', 'a > b;1;10;2'])
 */
export async function readPathLines(
  lines: AsyncIterable<string> | Iterable<string>,
  options: PathFileOptions = {},
): Promise<PathFileResult> {
  const settings = PathFileOptions.parse(options)
  const builder = new PathSetBuilder()
  const report: PathFileReport = { rows: 0, accepted: 0, rejected: 0, badRows: [] }
  const reject = (line: number, reason: string) => {
    report.rejected++
    if (report.badRows.length < settings.maxListedBadRows) report.badRows.push({ line, reason })
  }
  let columns: { path: number; conv: number; value: number; nulls: number; count: number } | null = null
  let lineNumber = 0
  for await (const raw of lines) {
    lineNumber++
    const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw
    if (columns === null) {
      const header = splitRecord(line, settings.sep)
      if (typeof header === 'string') return badHeader(`line 1 (header): ${header}`)
      const names = header.map((name) => name.trim())
      const find = (name: string) => names.indexOf(name)
      const wanted = [settings.pathCol, settings.convCol, settings.valueCol, settings.nullCol]
      const missing = wanted.filter((name) => find(name) < 0)
      if (missing.length > 0) {
        return badHeader(
          `the header has no column ${missing.map((m) => `"${m}"`).join(', ')} ` +
            `(separator "${settings.sep}", columns found: ${names.map((n) => `"${n}"`).join(', ')})`,
        )
      }
      columns = {
        path: find(settings.pathCol),
        conv: find(settings.convCol),
        value: find(settings.valueCol),
        nulls: find(settings.nullCol),
        count: names.length,
      }
      continue
    }
    if (line.trim() === '') continue
    report.rows++
    const fields = splitRecord(line, settings.sep)
    if (typeof fields === 'string') {
      reject(lineNumber, fields)
      continue
    }
    if (fields.length !== columns.count) {
      reject(lineNumber, `expected ${columns.count} fields separated by "${settings.sep}", found ${fields.length}`)
      continue
    }
    const conversions = parseCount(fields[columns.conv]!, settings.convCol)
    const value = parseCount(fields[columns.value]!, settings.valueCol)
    const nulls = parseCount(fields[columns.nulls]!, settings.nullCol)
    const numberProblem = [conversions, value, nulls].find((x): x is string => typeof x === 'string')
    if (numberProblem) {
      reject(lineNumber, numberProblem)
      continue
    }
    const pathField = fields[columns.path]!
    if (pathField.trim() === '') {
      reject(lineNumber, `${settings.pathCol} is empty`)
      continue
    }
    const channels = pathField.split(settings.pathSep).map((channel) => channel.trim())
    const problem = builder.addAggregated({
      path: channels,
      conversions: conversions as number,
      value: value as number,
      nulls: nulls as number,
    })
    if (problem) reject(lineNumber, problem)
    else report.accepted++
  }
  if (columns === null) return { ok: false, error: { kind: 'EmptyFile', message: 'the file is empty: expected a header line' } }
  return { ok: true, paths: builder.build(), report }
}

function badHeader(message: string): PathFileResult {
  return { ok: false, error: { kind: 'BadHeader', message } }
}

/** A count field as a number, or why it is not one. */
function parseCount(field: string, column: string): number | string {
  const text = field.trim()
  if (text === '') return `${column} is empty`
  const n = Number(text)
  if (!Number.isFinite(n)) return `${column} is not a number: "${text}"`
  if (n < 0) return `${column} must be ≥ 0 (got ${text})`
  return n
}

/**
 * Splits one record on `sep`, honouring `"` quoting (RFC 4180: a quoted field may hold the
 * separator; `""` inside quotes is one `"`). Returns why the line is malformed instead when a
 * quote is left open.
 */
export function splitRecord(line: string, sep: string): string[] | string {
  if (!line.includes('"')) return line.split(sep)
  const fields: string[] = []
  let field = ''
  let i = 0
  let atFieldStart = true
  while (i <= line.length) {
    if (atFieldStart && line[i] === '"') {
      // Quoted field: read to the closing quote.
      i++
      for (;;) {
        if (i >= line.length) return 'a quoted field is not closed on this line'
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        field += line[i]
        i++
      }
      atFieldStart = false
      continue
    }
    if (i === line.length || line.startsWith(sep, i)) {
      fields.push(field)
      field = ''
      atFieldStart = true
      i += i === line.length ? 1 : sep.length
      continue
    }
    field += line[i]
    atFieldStart = false
    i++
  }
  return fields
}
