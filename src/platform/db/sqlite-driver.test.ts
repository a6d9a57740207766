import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from './database.ts'

describe('the embedded driver after a schema change made by the same process', () => {
  let dir: string
  let database: Database

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chorus-driver-'))
    database = openDatabase(`sqlite:${join(dir, 'chorus.db')}`)
    await sql`create table t (id integer primary key, v text)`.execute(database.db)
    await sql`create index t_v on t (v)`.execute(database.db)
    // The read connection compiles a statement on t, so it holds the schema with t_v in it.
    await sql`insert into t (v) values ('a')`.execute(database.db)
    expect((await sql<{ v: string }>`select v from t`.execute(database.db)).rows).toEqual([{ v: 'a' }])
  })

  afterEach(async () => {
    await database.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates an index again after dropping it (the reader still knew the old one)', async () => {
    await sql`drop index t_v`.execute(database.db)
    await sql`create index t_v on t (v, id)`.execute(database.db)
    const index = await sql<{ sql: string }>`select sql from sqlite_master where name = 't_v'`.execute(database.db)
    expect(index.rows[0]!.sql).toContain('(v, id)')
  })

  it('still reports a real error from the writer', async () => {
    await expect(sql`create index t_v on t (v)`.execute(database.db)).rejects.toThrow(/already exists/)
  })

  it('reads a table created after the reader last looked', async () => {
    await sql`create table u (id integer primary key)`.execute(database.db)
    await sql`insert into u (id) values (7)`.execute(database.db)
    expect((await sql<{ id: number }>`select id from u`.execute(database.db)).rows).toEqual([{ id: 7 }])
  })
})
