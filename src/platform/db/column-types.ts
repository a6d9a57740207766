import type { DialectName } from './database.ts'

/** Column types whose spelling differs between the dialects; used by migrations only. */
export function columnTypes(dialect: DialectName) {
  const pg = dialect === 'postgres'
  return {
    json: pg ? ('jsonb' as const) : ('text' as const),
    bigint: pg ? ('bigint' as const) : ('integer' as const),
    /** An auto-incrementing 64-bit primary key. */
    serial: pg ? ('bigserial' as const) : ('integer' as const),
  }
}
