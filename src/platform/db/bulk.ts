import { CompiledQuery, type Kysely } from 'kysely'
import type { DialectName } from './database.ts'

// SQLite allows 32,766 bound parameters per statement, PostgreSQL 65,535. Stay under both.
const MAX_PARAMS = 30_000

export interface InsertRowsOptions {
  /** Skip rows that collide with a unique key (`ON CONFLICT DO NOTHING`). */
  ignoreConflicts?: boolean
  /** Upsert: on a conflict with these key columns, overwrite the other columns. */
  upsertOn?: readonly string[]
  /** Columns to return for the rows actually written. */
  returning?: readonly string[]
}

/**
 * Multi-row INSERT for hot paths (the ingest writer), chunked under the parameter limit. The SQL
 * is assembled directly rather than through the query builder: building a 2,000-row insert node
 * by node costs more than executing it. Identifiers are never taken from input.
 */
export async function insertRows<R = Record<string, unknown>>(
  db: Kysely<any>,
  dialect: DialectName,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  options: InsertRowsOptions = {},
): Promise<R[]> {
  if (rows.length === 0) return []
  const perChunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length))
  const returned: R[] = []
  const quotedColumns = columns.map(quote).join(', ')
  let suffix = ''
  if (options.upsertOn) {
    const updates = columns.filter((c) => !options.upsertOn!.includes(c)).map((c) => `${quote(c)} = excluded.${quote(c)}`)
    suffix = ` on conflict (${options.upsertOn.map(quote).join(', ')}) do update set ${updates.join(', ')}`
  } else if (options.ignoreConflicts) {
    suffix = ' on conflict do nothing'
  }
  if (options.returning) suffix += ` returning ${options.returning.map(quote).join(', ')}`

  for (const [start, size] of chunkShapes(rows.length, perChunk, dialect)) {
    const chunk = rows.slice(start, start + size)
    const params: unknown[] = []
    const tuples: string[] = []
    for (const row of chunk) {
      const marks: string[] = []
      for (const value of row) {
        params.push(value)
        marks.push(dialect === 'postgres' ? `$${params.length}` : '?')
      }
      tuples.push(`(${marks.join(', ')})`)
    }
    const query = CompiledQuery.raw(`insert into ${quote(table)} (${quotedColumns}) values ${tuples.join(', ')}${suffix}`, params)
    const result = await db.executeQuery<R>(query)
    if (options.returning) returned.push(...result.rows)
  }
  return returned
}

/**
 * Where each statement's rows start and how many it holds. On SQLite every chunk holds a power of
 * two rows (at most 256): the statement texts then repeat from batch to batch, so the driver's
 * prepared-statement cache serves them instead of compiling a new multi-row insert each time.
 */
function chunkShapes(total: number, perChunk: number, dialect: DialectName): Array<[number, number]> {
  const shapes: Array<[number, number]> = []
  if (dialect === 'postgres') {
    for (let start = 0; start < total; start += perChunk) shapes.push([start, Math.min(perChunk, total - start)])
    return shapes
  }
  let size = 1
  while (size * 2 <= Math.min(perChunk, 256)) size *= 2
  let start = 0
  while (start < total) {
    while (size > total - start) size /= 2
    shapes.push([start, size])
    start += size
  }
  return shapes
}

function quote(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new Error(`Invalid SQL identifier: ${identifier}`)
  return `"${identifier}"`
}

/** Splits a list for `IN (…)` queries so no statement exceeds the parameter limit. */
export function chunked<T>(items: readonly T[], size = 10_000): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
