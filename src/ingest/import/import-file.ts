import { createReadStream, statSync } from 'node:fs'
import { basename } from 'node:path'
import { createInterface } from 'node:readline'
import type { IngestWriter } from '../writer.ts'
import type { IngestMessage } from '../message.ts'
import { normaliseSegmentCall } from '../segment/normalise.ts'
import { readCsvRows } from './csv-rows.ts'
import { defaultMapping, rowMessageId, rowToCall, type ColumnMapping } from './column-mapping.ts'
import { localTimeToIso } from './local-time.ts'

export interface ImportOptions {
  file: string
  format: 'ndjson' | 'csv'
  workspaceId: string
  sourceId: string | null
  writer: IngestWriter
  now: () => number
  /** CSV only. */
  separator?: string
  mapping?: ColumnMapping
  type?: string
  event?: string
  /** Naive local times in the file are read in this zone. */
  timeZone?: string
  batchSize?: number
  /** The file's name as its owner knows it, when `file` is a temporary copy (reports and row ids). */
  name?: string
  /** Stops reading after the batch in flight; the report then covers the rows written so far. */
  signal?: AbortSignal
  /**
   * Carries on an import that stopped: its first `report.rowsRead` rows were written already and
   * are skipped, and the counts go on from `report`.
   */
  resume?: Readonly<ImportReport>
  onProgress?: (bytesRead: number, rows: number, report: Readonly<ImportReport>) => void
}

export interface ImportReport {
  file: string
  rowsRead: number
  stored: number
  duplicates: number
  suppressed: number
  rejected: number
  /** The first rejections, with the line they came from. */
  rejections: Array<{ line: number; reason: string }>
  seconds: number
}

const MAX_LISTED_REJECTIONS = 1000

/**
 * Streams a file of Segment calls (NDJSON) or rows (CSV, e.g. an order export from a store or POS)
 * through the ingest writer in batches. Memory stays flat whatever the file size: one batch is in
 * flight at a time. Historical timestamps are kept. Never throws on a bad row: the report lists
 * each one with its line number and reason.
 */
export async function importFile(options: ImportOptions): Promise<ImportReport> {
  const started = Date.now()
  const batchSize = options.batchSize ?? 2_000
  const name = options.name ?? basename(options.file)
  const report: ImportReport = options.resume
    ? { ...options.resume, file: name, rejections: [...options.resume.rejections], seconds: 0 }
    : { file: name, rowsRead: 0, stored: 0, duplicates: 0, suppressed: 0, rejected: 0, rejections: [], seconds: 0 }
  const skip = options.resume?.rowsRead ?? 0
  let rowNumber = 0
  const size = statSync(options.file).size
  const stream = createReadStream(options.file, { encoding: 'utf8', highWaterMark: 1 << 20 })
  let bytes = 0
  stream.on('data', (chunk) => (bytes += Buffer.byteLength(chunk as string)))

  let pending: IngestMessage[] = []
  const reject = (line: number, reason: string) => {
    report.rejected++
    if (report.rejections.length < MAX_LISTED_REJECTIONS) report.rejections.push({ line, reason })
  }
  const flush = async () => {
    if (pending.length === 0) return
    const result = await options.writer.write(options.workspaceId, options.sourceId, pending)
    report.stored += result.stored
    report.duplicates += result.duplicates
    report.suppressed += result.suppressed
    pending = []
    options.onProgress?.(Math.min(bytes, size), report.rowsRead, report)
  }
  const accept = async (line: number, call: unknown) => {
    const normalised = normaliseSegmentCall(call, { receivedAt: options.now(), ip: undefined })
    if (normalised.kind === 'ok') pending.push(normalised.message)
    else reject(line, normalised.reason)
    if (pending.length >= batchSize) await flush()
  }
  const timeZone = options.timeZone ?? 'Asia/Shanghai'

  if (options.format === 'ndjson') {
    let line = 0
    for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
      if (options.signal?.aborted) break
      line++
      if (text.trim() === '') continue
      if (++rowNumber <= skip) continue
      report.rowsRead++
      let call: unknown
      try {
        call = JSON.parse(text)
      } catch (error) {
        reject(line, `not valid JSON: ${(error as Error).message}`)
        continue
      }
      if (call && typeof call === 'object' && !Array.isArray(call)) {
        const fields = call as { timestamp?: unknown; messageId?: unknown }
        if (typeof fields.timestamp === 'string') fields.timestamp = localTimeToIso(fields.timestamp, timeZone)
        // A line without its own id gets one from the file and the line, like a CSV row: the same
        // file sent again, or resumed after a restart, stores each line once.
        if (fields.messageId === undefined || fields.messageId === null) fields.messageId = rowMessageId(`${name}:${size}`, line, text)
      }
      await accept(line, call)
    }
  } else {
    let header: string[] | null = null
    let mapping: ColumnMapping = options.mapping ?? []
    const fileKey = `${name}:${size}`
    for await (const row of readCsvRows(stream as AsyncIterable<string>, options.separator ?? ',')) {
      if (options.signal?.aborted) break
      if (!header) {
        header = row.fields.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim())
        if (!options.mapping) mapping = defaultMapping(header)
        for (const { column } of mapping) if (!header.includes(column)) throw new Error(`column "${column}" is not in the header: ${header.join(', ')}`)
        continue
      }
      if (++rowNumber <= skip) continue
      report.rowsRead++
      if (row.fields.length !== header.length) {
        reject(row.line, `has ${row.fields.length} fields; the header has ${header.length}`)
        continue
      }
      const call = rowToCall(header, row.fields, mapping, { type: options.type ?? 'track', event: options.event, fileKey }, row.line)
      if (typeof call.timestamp === 'string') call.timestamp = localTimeToIso(call.timestamp, timeZone)
      await accept(row.line, call)
    }
  }
  stream.destroy()
  await flush()
  options.onProgress?.(options.signal?.aborted ? Math.min(bytes, size) : size, report.rowsRead, report)
  report.seconds = (Date.now() - started) / 1000
  return report
}
