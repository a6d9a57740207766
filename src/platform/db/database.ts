import { resolve } from 'node:path'
import { Kysely } from 'kysely'
import type { Schema } from './schema.ts'
import { openSqlite } from './sqlite.ts'
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
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  /** PostgreSQL pool size. */
  poolSize?: number
  sqliteSynchronous?: 'FULL' | 'NORMAL'
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
    const { dialect } = openSqlite({ filename, synchronous })
    const db = new Kysely<Schema>({ dialect })
    return { db, dialect: 'sqlite', url, close: () => db.destroy() }
  }
  throw new Error(`Unsupported database URL "${url}": use sqlite:<path> or postgres://user@host:port/database`)
}
