/** An import as `GET /api/v1/imports/:id` answers it. */
export interface ImportRecord {
  id: string
  name: string
  format: 'csv' | 'ndjson'
  settings: { map?: string; type?: string; event?: string; timezone?: string }
  state: 'queued' | 'running' | 'done' | 'failed' | 'interrupted'
  bytesTotal: number
  bytesRead: number
  rowsRead: number
  stored: number
  duplicates: number
  suppressed: number
  rejected: number
  rowsPerSecond: number
  rejections: Array<{ line: number; reason: string }>
  error: string | null
  createdBy: string
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

export const inProgress = (i: ImportRecord) => i.state === 'queued' || i.state === 'running'

/**
 * Where a CSV column can go; `property` and `trait` keep the column's own name; `total` is the
 * order amount (`properties.total`), which makes an `Order Completed` row count as revenue.
 */
export const MAPPING_TARGETS = ['skip', 'property', 'trait', 'total', 'userId', 'anonymousId', 'messageId', 'event', 'timestamp', 'email', 'phone'] as const
export type MappingTarget = (typeof MAPPING_TARGETS)[number]

const NAMED = new Set<string>(['userId', 'anonymousId', 'messageId', 'event', 'timestamp', 'email', 'phone'])

/**
 * As the server does without a mapping: columns named like a target go there, others become
 * properties. A name with a comma or `=` cannot be written in a mapping, so it starts skipped.
 */
export function guessTarget(column: string): MappingTarget {
  if (/[,=]/.test(column)) return 'skip'
  return NAMED.has(column) ? (column as MappingTarget) : 'property'
}

/** A property or trait name for a column: "Order ID" becomes `Order_ID` (the API takes no spaces or dots in names). */
export function fieldName(column: string): string {
  return column.trim().replace(/[\s.]+/g, '_')
}

/**
 * The column that identifies each row when none is mapped to User ID or Anonymous ID: the first
 * phone column, else the first e-mail column (POS and CRM exports are keyed by phone). Every call
 * needs one of the two IDs, so that column is sent as the anonymous ID too.
 */
export function identityColumn(columns: Array<{ column: string; target: MappingTarget }>): string | null {
  if (columns.some((c) => c.target === 'userId' || c.target === 'anonymousId')) return null
  return (columns.find((c) => c.target === 'phone') ?? columns.find((c) => c.target === 'email'))?.column ?? null
}

/** The `map` query parameter: `target=column` pairs, skipped columns left out. */
export function mappingSpec(columns: Array<{ column: string; target: MappingTarget }>): string {
  const pairs = columns
    .filter((c) => c.target !== 'skip')
    .map(({ column, target }) => `${target === 'property' ? `properties.${fieldName(column)}` : target === 'trait' ? `traits.${fieldName(column)}` : target === 'total' ? 'properties.total' : target}=${column}`)
  const identity = identityColumn(columns)
  if (identity !== null) pairs.push(`anonymousId=${identity}`)
  return pairs.join(',')
}

/**
 * The header row of a CSV file, read from its first bytes in the browser so the person can map
 * its columns before uploading (quoted names with commas are kept whole).
 */
export function csvHeader(firstBytes: string): string[] {
  const text = firstBytes.replace(/^\uFEFF/, '')
  const columns: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') columns.push(field.trim()), (field = '')
    else if (c === '\n' || c === '\r') break
    else field += c
  }
  columns.push(field.trim())
  return columns.filter((c, i) => c !== '' || i < columns.length - 1)
}
