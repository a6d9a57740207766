/**
 * CSV as RFC 4180 writes it: fields separated by commas, quoted when they hold a comma, a quote
 * or a line break, quotes doubled inside quotes.
 */

/** One CSV record with its line ending. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export interface CsvRecord {
  /** The line of the file the record starts on (1-based), for reports. */
  line: number
  fields: string[]
}

/**
 * Reads CSV text into records (RFC 4180; LF or CRLF; a UTF-8 byte-order mark is skipped; blank
 * lines are skipped). A quoted field may span lines; the record keeps the line it started on.
 *
 * @example [...parseCsv('type,value\nemail,"a@example.com"\n')] // [{ line: 1, fields: ['type','value'] }, { line: 2, fields: ['email','a@example.com'] }]
 */
export function* parseCsv(text: string): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  while (i < text.length) {
    const start = line
    const fields: string[] = []
    let field = ''
    let quoted = false
    let atFieldStart = true
    for (; i < text.length; i++) {
      const ch = text[i]!
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"'
            i++
          } else quoted = false
        } else {
          if (ch === '\n') line++
          field += ch
        }
        continue
      }
      if (ch === '"' && atFieldStart) {
        quoted = true
        atFieldStart = false
      } else if (ch === ',') {
        fields.push(field)
        field = ''
        atFieldStart = true
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && text[i + 1] === '\n') i++
        i++
        line++
        break
      } else {
        field += ch
        atFieldStart = false
      }
    }
    fields.push(field)
    if (fields.length === 1 && fields[0] === '') continue
    yield { line: start, fields }
  }
}
