import { CompiledQuery, SelectQueryNode, type DatabaseConnection, type Driver, type QueryResult } from 'kysely'
import type { Statement } from 'better-sqlite3'
import type { PreparingDatabase } from './statement-cache.ts'
import type { WriteLock } from './write-lock.ts'

/**
 * Kysely's driver for the embedded database, with two connections to the file:
 * - a **writer**, used only while this process holds the database's `WriteLock` — transactions
 *   (begun `IMMEDIATE`, so a read-then-write transaction never fails with SQLITE_BUSY_SNAPSHOT
 *   against the ingest writer thread) and single writes;
 * - a **reader** for every read outside a transaction: in WAL mode it sees the last commit and
 *   never waits, so dashboard and API reads do not queue behind a transaction that is waiting
 *   for its turn or doing async work between statements.
 * Waiting for the lock is asynchronous: the event loop keeps serving meanwhile.
 *
 * A `:memory:` database is one connection (a second would be another database); there every
 * statement takes the lock.
 */
export class EmbeddedSqliteDriver implements Driver {
  readonly #writer: PreparingDatabase
  readonly #reader: PreparingDatabase | null
  readonly #lock: WriteLock

  constructor(options: { writer: PreparingDatabase; reader: PreparingDatabase | null; lock: WriteLock }) {
    this.#writer = options.writer
    this.#reader = options.reader
    this.#lock = options.lock
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new EmbeddedConnection(this.#writer, this.#reader, this.#lock)
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as EmbeddedConnection
    const release = await this.#lock.acquire()
    try {
      run(this.#writer, CompiledQuery.raw('begin immediate'))
      c.release = release
    } catch (error) {
      release()
      throw error
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.#end(connection as EmbeddedConnection, 'commit')
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.#end(connection as EmbeddedConnection, 'rollback')
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`))
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteName(name)}`))
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteName(name)}`))
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // A connection given back mid-transaction (an error between statements) must not keep the lock.
    const c = connection as EmbeddedConnection
    if (c.release) {
      if (this.#writer.inTransaction()) run(this.#writer, CompiledQuery.raw('rollback'))
      c.release()
      c.release = null
    }
  }

  async destroy(): Promise<void> {
    this.#reader?.close()
    this.#writer.close()
  }

  #end(connection: EmbeddedConnection, statement: 'commit' | 'rollback'): void {
    try {
      run(this.#writer, CompiledQuery.raw(statement))
    } finally {
      connection.release?.()
      connection.release = null
    }
  }
}

class EmbeddedConnection implements DatabaseConnection {
  /** Set while this connection's transaction holds the write lock. */
  release: (() => void) | null = null

  constructor(
    readonly writer: PreparingDatabase,
    readonly reader: PreparingDatabase | null,
    readonly lock: WriteLock,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.release) return run<R>(this.writer, query)
    if (this.reader) {
      // Prepared once on the reader: it runs there when it only reads (long statements are not
      // cached, so preparing again to run it would compile it twice).
      const statement = prepareOnReader(this.reader, query.sql)
      if (statement?.readonly) return runStatement<R>(statement, query)
    }
    const release = await this.lock.acquire()
    try {
      return run<R>(this.writer, query)
    } finally {
      release()
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('The embedded database streams only select queries')
    const database = this.release || !this.reader ? this.writer : this.reader
    for (const row of database.prepare(query.sql).iterate(query.parameters as unknown[])) yield { rows: [row as R] }
  }
}

/**
 * The reader compiles against the schema it last read, which can predate a change this process
 * has just made on the writer (an index dropped, then created again, fails to compile there);
 * such a statement is left to the writer, whose answer is the one that counts.
 */
function prepareOnReader(reader: PreparingDatabase, sql: string): Statement | null {
  try {
    return reader.prepare(sql)
  } catch {
    return null
  }
}

function run<R>(database: PreparingDatabase, query: CompiledQuery): QueryResult<R> {
  return runStatement<R>(database.prepare(query.sql), query)
}

function runStatement<R>(statement: Statement, query: CompiledQuery): QueryResult<R> {
  const parameters = query.parameters as unknown[]
  if (statement.reader) return { rows: statement.all(parameters) as R[] }
  const { changes, lastInsertRowid } = statement.run(parameters)
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) }
}

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}
