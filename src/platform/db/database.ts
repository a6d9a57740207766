import { resolve } from 'node:path'
import { Kysely } from 'kysely'
import type { Schema } from './schema.ts'
import { openSqlite } from './sqlite.ts'
import { WalCheckpointer, type WalCheckpoints } from './checkpointer.ts'
import type { WriteLock } from './write-lock.ts'
import { openPostgres } from './postgres.ts'

export type DialectName = 'sqlite' | 'postgres'

/**
 * One handle on the database, whichever dialect is behind it. Modules write Kysely queries
 * against `db`; the few places where SQL differs ask `dialect` or use `platform/db` helpers.
 */
export interface Database {
  readonly db: Kysely<Schema>
  readonly dialect: DialectName
  readonly url: string
  /** For an embedded database: who checkpoints its log (see checkpointer.ts). */
  readonly checkpoints?: WalCheckpoints
  /** For an embedded database: the process's turn-taking for its write lock (see write-lock.ts). */
  readonly writeLock?: WriteLock
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  /** PostgreSQL pool size. */
  poolSize?: number
  sqliteSynchronous?: 'FULL' | 'NORMAL'
  /**
   * Embedded database only. `background` starts a checkpointer thread — for long-running, write-
   * heavy processes (`chorus serve`, `chorus import`); the default `inline` suits short commands.
   */
  checkpoints?: WalCheckpoints
}

/**
 * @example openDatabase('sqlite:./.chorus/chorus.db')
 * @example openDatabase('postgres://postgres@127.0.0.1:5432/chorus')
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Database {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { dialect } = openPostgres({ connectionString: url, max: options.poolSize })
    const db = new Kysely<Schema>({ dialect })
    return { db, dialect: 'postgres', url, close: () => db.destroy() }
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length)
    const filename = path === ':memory:' ? path : resolve(path.replace(/^\/\//, ''))
    const synchronous = options.sqliteSynchronous ?? (process.env.CHORUS_SQLITE_SYNCHRONOUS?.toUpperCase() === 'FULL' ? 'FULL' : 'NORMAL')
    const checkpoints = filename === ':memory:' ? 'inline' : (options.checkpoints ?? 'inline')
    const { dialect, writeLock } = openSqlite({ filename, synchronous, checkpoints })
    const db = new Kysely<Schema>({ dialect })
    const checkpointer = checkpoints === 'background' ? new WalCheckpointer({ filename, synchronous, onError: (message) => process.emitWarning(`WAL checkpoint failed: ${message}`) }) : null
    return {
      db,
      dialect: 'sqlite',
      url,
      checkpoints,
      writeLock,
      close: async () => {
        await db.destroy()
        await checkpointer?.stop()
      },
    }
  }
  throw new Error(`Unsupported database URL "${url}": use sqlite:<path> or postgres://user@host:port/database`)
}
