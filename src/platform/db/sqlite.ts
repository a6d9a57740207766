import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely'
import { cachingStatements, type PreparingDatabase } from './statement-cache.ts'
import { FALLBACK_AUTOCHECKPOINT_PAGES, type WalCheckpoints } from './checkpointer.ts'

export interface SqliteOptions {
  /** A file path, or `:memory:`. */
  filename: string
  /**
   * In WAL mode `NORMAL` makes a commit durable against a crashed process (the WAL is written
   * before the commit returns); `FULL` also fsyncs it, so it survives power loss too.
   */
  synchronous?: 'FULL' | 'NORMAL'
  /** Who checkpoints the write-ahead log (see checkpointer.ts); `inline` by default. */
  checkpoints?: WalCheckpoints
}

/** Opens the embedded database: WAL so readers never block the writer. */
export function openSqlite(options: SqliteOptions): { dialect: SqliteDialect; raw: BetterSqlite3.Database } {
  if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true })
  const raw = new BetterSqlite3(options.filename)
  raw.pragma('journal_mode = WAL')
  raw.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`)
  raw.pragma('foreign_keys = ON')
  raw.pragma('busy_timeout = 5000')
  // Larger page cache and memory-mapped reads: the event log is read sequentially a lot.
  raw.pragma('cache_size = -65536')
  raw.pragma('mmap_size = 268435456')
  raw.pragma('temp_store = MEMORY')
  if (options.checkpoints === 'background' || options.checkpoints === 'elsewhere') {
    raw.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`)
    // A log that grew past this is truncated back to it once checkpointed.
    raw.pragma('journal_size_limit = 67108864')
  }
  return { dialect: new ImmediateSqliteDialect(raw), raw }
}

/**
 * Transactions start with `BEGIN IMMEDIATE`: the embedded database has two writing connections
 * (the ingest writer thread and the main thread), and a deferred transaction that reads, then
 * writes after the other connection committed, fails at once with SQLITE_BUSY_SNAPSHOT. Taking
 * the write lock up front makes it wait (busy_timeout) instead.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: PreparingDatabase
  constructor(raw: BetterSqlite3.Database) {
    const database = cachingStatements(raw)
    super({ database })
    this.#database = database
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database })
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

