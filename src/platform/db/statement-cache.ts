import type BetterSqlite3 from 'better-sqlite3'

/** The part of better-sqlite3 that Kysely's SQLite driver calls. */
export interface PreparingDatabase {
  prepare(sql: string): BetterSqlite3.Statement
  /** Whether a transaction is open on this connection. */
  inTransaction(): boolean
  close(): void
}

/**
 * Reuses prepared statements by SQL text. Kysely's SQLite driver prepares every query anew, and
 * for the statements the ingest writer and the log processors run thousands of times (multi-row
 * inserts, look-ups by key) compiling the SQL costs as much as running it. Long statements are
 * not kept (they are one-off IN lists), and a statement still being iterated is never handed out
 * twice.
 *
 * @example new Kysely({ dialect: new SqliteDialect({ database: cachingStatements(raw) }) })
 */
export function cachingStatements(raw: BetterSqlite3.Database, options: { capacity?: number; maxSqlLength?: number } = {}): PreparingDatabase {
  const capacity = options.capacity ?? 256
  const maxSqlLength = options.maxSqlLength ?? 16_384
  const cache = new Map<string, BetterSqlite3.Statement>()
  return {
    prepare(sql: string) {
      if (sql.length > maxSqlLength) return raw.prepare(sql)
      const cached = cache.get(sql)
      if (cached && !cached.busy) {
        // Map order is insertion order: re-inserting marks it most recently used.
        cache.delete(sql)
        cache.set(sql, cached)
        return cached
      }
      const statement = raw.prepare(sql)
      if (!cached) {
        cache.set(sql, statement)
        if (cache.size > capacity) cache.delete(cache.keys().next().value!)
      }
      return statement
    },
    inTransaction: () => raw.inTransaction,
    close() {
      cache.clear()
      raw.close()
    },
  }
}
