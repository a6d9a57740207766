import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from './database.ts'

describe('background WAL checkpoints', () => {
  const dirs: string[] = []
  const opened: Database[] = []
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close()
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  async function fill(checkpoints: 'inline' | 'background' | 'elsewhere'): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-wal-'))
    dirs.push(dir)
    const file = join(dir, 'x.db')
    const database = openDatabase(`sqlite:${file}`, { checkpoints })
    opened.push(database)
    await sql`create table blobs (body text not null)`.execute(database.db)
    // 2,000 pages of rows: more than SQLite's inline threshold, far below the fallback one.
    for (let i = 0; i < 20; i++) {
      await database.db.transaction().execute(async (trx) => {
        for (let j = 0; j < 100; j++) await sql`insert into blobs (body) values (${'x'.repeat(4000)})`.execute(trx)
      })
    }
    return file
  }

  async function fileSizeReaches(file: string, bytes: number, withinMs: number): Promise<number> {
    const until = Date.now() + withinMs
    for (;;) {
      const size = statSync(file).size
      if (size >= bytes || Date.now() > until) return size
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  // Both connections let the log grow to 20,000 pages before a commit would checkpoint; only the
  // background one has a thread that does it, so only its database file grows.
  it('copies committed pages into the database file without a commit doing it', async () => {
    const file = await fill('background')
    expect(await fileSizeReaches(file, 7_000_000, 10_000)).toBeGreaterThanOrEqual(7_000_000)
  })

  it('leaves the log alone on a connection told another one checkpoints', async () => {
    const file = await fill('elsewhere')
    await new Promise((r) => setTimeout(r, 500))
    expect(statSync(file).size).toBeLessThan(1_000_000)
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(7_000_000)
  })
})
