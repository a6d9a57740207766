import { createReadStream } from 'node:fs'
import { readCsvRows } from './csv-rows.ts'

/**
 * The header row of a saved CSV file (byte-order mark and padding removed), or null when the file
 * has no row at all. Read before an upload is accepted, so a mapping naming a missing column is
 * refused while nothing has been written.
 */
export async function readCsvHeader(path: string): Promise<string[] | null> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })
  try {
    for await (const row of readCsvRows(stream as AsyncIterable<string>)) {
      return row.fields.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim())
    }
    return null
  } finally {
    stream.destroy()
  }
}
