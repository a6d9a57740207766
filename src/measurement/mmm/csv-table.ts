/**
 * A small RFC 4180 CSV reader: quoted fields may hold the delimiter, doubled quotes and line
 * breaks; CRLF and LF both end a record; a UTF-8 byte-order mark is ignored; blank lines are
 * skipped. Each record keeps the physical line it starts on so problems can be reported as
 * "line 12" — the number a person sees in an editor.
 */

export interface CsvRecord {
  /** 1-based line number of the record's first character. */
  line: number
  cells: string[]
}

export interface CsvTable {
  header: string[]
  records: CsvRecord[]
}

/**
 * @example
 * parseCsv('date,revenue\n2024-01-01,"1,200"\n')
 * // { header: ['date', 'revenue'], records: [{ line: 2, cells: ['2024-01-01', '1,200'] }] }
 */
export function parseCsv(text: string, delimiter = ','): CsvTable {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new Error(`CSV delimiter must be one character other than a quote or line break, got '${delimiter}'`)
  }
  const rows: CsvRecord[] = []
  let cells: string[] = []
  let field = ''
  let inQuotes = false
  let line = 1
  let recordLine = 1
  let fieldStarted = false
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0

  const endRecord = (): void => {
    cells.push(field)
    // A record that is one empty field is a blank line.
    if (!(cells.length === 1 && cells[0] === '' && !fieldStarted)) rows.push({ line: recordLine, cells })
    cells = []
    field = ''
    fieldStarted = false
  }

  for (; i < text.length; i++) {
    const ch = text[i] as string
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else {
          inQuotes = false
        }
      } else {
        if (ch === '\n') line++
        field += ch
      }
      continue
    }
    if (ch === '"' && field === '') {
      inQuotes = true
      fieldStarted = true
    } else if (ch === delimiter) {
      cells.push(field)
      field = ''
      fieldStarted = true
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      endRecord()
      line++
      recordLine = line
    } else {
      field += ch
      fieldStarted = true
    }
  }
  if (inQuotes) throw new Error(`CSV has an unclosed quote in the record starting on line ${recordLine}`)
  if (field !== '' || cells.length > 0 || fieldStarted) endRecord()

  const [first, ...records] = rows
  if (!first) return { header: [], records: [] }
  return { header: first.cells.map((h) => h.trim()), records }
}
