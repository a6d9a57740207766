import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from './database.ts'
import { WriteLock } from './write-lock.ts'

describe('WriteLock', () => {
  it('grants the lock in turn, in the order it was asked for', async () => {
    const lock = new WriteLock()
    const order: string[] = []
    const first = await lock.acquire()
    const second = lock.acquire().then((release) => (order.push('second'), release))
    const third = lock.acquire().then((release) => (order.push('third'), release))
    expect(lock.waiting).toBe(2)
    first()
    ;(await second)()
    ;(await third)()
    expect(order).toEqual(['second', 'third'])
    expect(lock.waiting).toBe(0)
  })

  it('ignores a second release of the same turn', async () => {
    const lock = new WriteLock()
    const release = await lock.acquire()
    release()
    const next = await lock.acquire()
    release()
    let granted = false
    void lock.acquire().then(() => (granted = true))
    await new Promise((r) => setTimeout(r, 10))
    expect(granted).toBe(false)
    next()
  })
})

describe('writes on the embedded database while another writer holds the lock', () => {
  let dir: string
  let database: Database
  afterEach(async () => {
    await database.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('wait without blocking the event loop, then go through', async () => {
    dir = mkdtempSync(join(tmpdir(), 'chorus-lock-'))
    database = openDatabase(`sqlite:${join(dir, 'x.db')}`)
    await sql`create table t (n integer)`.execute(database.db)
    // Stands for the ingest writer thread, which writes while the process holds the lock.
    const release = await database.writeLock!.acquire()
    const inTransaction = database.db.transaction().execute((trx) => sql`insert into t (n) values (1)`.execute(trx))
    const outside = sql`insert into t (n) values (2)`.execute(database.db)
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    await new Promise((r) => setTimeout(r, 100))
    clearInterval(timer)
    expect(ticks).toBeGreaterThan(5)
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(database.db)).rows[0]!.n).toBe(0)
    release()
    await Promise.all([inTransaction, outside])
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(database.db)).rows[0]!.n).toBe(2)
  })
})
