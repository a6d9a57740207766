import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase, migrateToLatest, type Database, type DialectName } from '../../src/platform/index.ts'

/**
 * Every storage test runs on both dialects: `describe.each(DIALECTS)`. PostgreSQL tests make a
 * fresh database per suite and drop it afterwards. Without a reachable server the PostgreSQL
 * suites are skipped with one line saying so — unless CHORUS_REQUIRE_POSTGRES=1 (CI), where a
 * missing server fails the run.
 */
export const POSTGRES_ADMIN_URL = process.env.CHORUS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

const postgresAvailable = await probePostgres()

export const DIALECTS: DialectName[] = postgresAvailable ? ['sqlite', 'postgres'] : ['sqlite']

async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch (error) {
    if (process.env.CHORUS_REQUIRE_POSTGRES === '1') {
      throw new Error(`PostgreSQL is required (CHORUS_REQUIRE_POSTGRES=1) but ${POSTGRES_ADMIN_URL} is unreachable: ${(error as Error).message}`)
    }
    if (!(globalThis as any).__chorusPostgresSkipNoted) {
      ;(globalThis as any).__chorusPostgresSkipNoted = true
      console.warn(`PostgreSQL not reachable at ${POSTGRES_ADMIN_URL}: skipping the PostgreSQL suites (set CHORUS_REQUIRE_POSTGRES=1 to fail instead).`)
    }
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

export interface TestDatabase {
  url: string
  database: Database
  /** Closes the handle and removes the database. */
  drop(): Promise<void>
}

/** A new, migrated, empty database of the given dialect. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const { url, cleanup } = await createEmptyDatabase(dialect)
  const database = openDatabase(url, { sqliteSynchronous: 'NORMAL' })
  await migrateToLatest(database)
  return {
    url,
    database,
    async drop() {
      await database.close()
      await cleanup()
    },
  }
}

/** A URL to a new empty database (not migrated), and how to remove it. */
export async function createEmptyDatabase(dialect: DialectName): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-test-'))
    return { url: `sqlite:${join(dir, 'chorus.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = `chorus_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`)
  return {
    url,
    cleanup: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}
