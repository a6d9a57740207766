/**
 * A streaming CSV reader (RFC 4180: quoted fields, doubled quotes, CR LF or LF, newlines inside
 * quotes) that yields one row at a time with the line it started on, so a 1 GB export is read in
 * constant memory and a bad row can be reported by its line number.
 */
export interface CsvRow {
  /** 1-based line number where the row starts. */
  line: number
  fields: string[]
}

export async function* readCsvRows(chunks: AsyncIterable<string>, separator = ','): AsyncGenerator<CsvRow> {
  if (separator.length !== 1) throw new Error('the CSV separator must be one character')
  let field = ''
  let fields: string[] = []
  let inQuotes = false
  let quoteJustClosed = false
  let line = 1
  let rowStart = 1
  let pendingCR = false

  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!
      if (pendingCR) {
        pendingCR = false
        if (c === '\n') continue
      }
      if (inQuotes) {
        if (c === '"') {
          inQuotes = false
          quoteJustClosed = true
        } else {
          if (c === '\n') line++
          field += c
        }
        continue
      }
      if (c === '"') {
        // A quote after a closing quote is an escaped quote ("" inside a quoted field).
        if (quoteJustClosed) field += '"'
        inQuotes = true
        quoteJustClosed = false
        continue
      }
      quoteJustClosed = false
      if (c === separator) {
        fields.push(field)
        field = ''
      } else if (c === '\n' || c === '\r') {
        fields.push(field)
        if (!(fields.length === 1 && fields[0] === '')) yield { line: rowStart, fields }
        fields = []
        field = ''
        line++
        rowStart = line
        if (c === '\r') pendingCR = true
      } else {
        field += c
      }
    }
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field)
    yield { line: rowStart, fields }
  }
}
