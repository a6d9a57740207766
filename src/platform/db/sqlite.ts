import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { SqliteDialect, type Driver } from 'kysely'
import { writeLockFor, type WriteLock } from './write-lock.ts'
import { cachingStatements } from './statement-cache.ts'
import { EmbeddedSqliteDriver } from './sqlite-driver.ts'
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
export function openSqlite(options: SqliteOptions): { dialect: SqliteDialect; writeLock: WriteLock } {
  const memory = options.filename === ':memory:'
  if (!memory) mkdirSync(dirname(options.filename), { recursive: true })
  const writer = connectSqlite(options, false)
  // The reader opens after the writer has switched the file to WAL.
  const reader = memory ? null : connectSqlite(options, true)
  const writeLock = writeLockFor(options.filename)
  const driver = new EmbeddedSqliteDriver({ writer: cachingStatements(writer), reader: reader && cachingStatements(reader), lock: writeLock })
  return { dialect: new EmbeddedSqliteDialect(driver), writeLock }
}

/** One better-sqlite3 connection with Chorus's settings (benchmarks measure SQLite itself through it). */
export function connectSqlite(options: SqliteOptions, readOnly: boolean): BetterSqlite3.Database {
  const raw = new BetterSqlite3(options.filename)
  if (!readOnly) raw.pragma('journal_mode = WAL')
  raw.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`)
  raw.pragma('foreign_keys = ON')
  raw.pragma('busy_timeout = 5000')
  // Larger page cache and memory-mapped reads: the event log is read sequentially a lot.
  raw.pragma('cache_size = -65536')
  raw.pragma('mmap_size = 268435456')
  raw.pragma('temp_store = MEMORY')
  if (readOnly) raw.pragma('query_only = 1')
  if (options.checkpoints === 'background' || options.checkpoints === 'elsewhere') {
    raw.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`)
    // A log that grew past this is truncated back to it once checkpointed.
    raw.pragma('journal_size_limit = 67108864')
  }
  return raw
}

/** Kysely's SQLite dialect (compiler, adapter, introspector) over the embedded driver. */
class EmbeddedSqliteDialect extends SqliteDialect {
  readonly #driver: EmbeddedSqliteDriver
  constructor(driver: EmbeddedSqliteDriver) {
    // The base class wants a database for its own driver, which createDriver replaces.
    super({ database: { prepare: () => { throw new Error("not used: the embedded driver runs statements") }, close: () => {} } as never })
    this.#driver = driver
  }
  override createDriver(): Driver {
    return this.#driver
  }
}
