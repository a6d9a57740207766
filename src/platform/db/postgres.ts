import pg from 'pg'
import { PostgresDialect } from 'kysely'

// int8 (bigint) and numeric come back as strings by default; our bigints are epoch milliseconds,
// sequence numbers and money in minor units, all far below 2^53.
const INT8_OID = 20
const parseInt8 = (value: string) => Number(value)

export interface PostgresOptions {
  connectionString: string
  max?: number
}

export function openPostgres(options: PostgresOptions): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // An idle pooled connection that the server closes (a restart, a failover, an administrator)
  // emits 'error'; unhandled, that would crash the process. The pool drops the client and opens a
  // new one on the next query, and queries that were running fail with their own error.
  pool.on('error', () => {})
  return { dialect: new PostgresDialect({ pool }), pool }
}
