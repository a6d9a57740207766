import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { cachingStatements } from './statement-cache.ts'

describe('cachingStatements', () => {
  const open = (options?: { capacity?: number }) => {
    const raw = new BetterSqlite3(':memory:')
    raw.exec('create table t (n integer)')
    return cachingStatements(raw, options)
  }

  it('hands out the same prepared statement for the same SQL', () => {
    const db = open()
    const first = db.prepare('insert into t (n) values (?)')
    expect(db.prepare('insert into t (n) values (?)')).toBe(first)
    expect(db.prepare('select n from t')).not.toBe(first)
  })

  it('prepares a fresh statement while the cached one is still being iterated', () => {
    const db = open()
    for (let n = 0; n < 3; n++) db.prepare('insert into t (n) values (?)').run(n)
    const seen: number[] = []
    for (const row of db.prepare('select n from t order by n').iterate() as Iterable<{ n: number }>) {
      seen.push(row.n, ...(db.prepare('select n from t order by n').all() as Array<{ n: number }>).map((r) => r.n * 10))
      break
    }
    expect(seen).toEqual([0, 0, 10, 20])
  })

  it('keeps at most its capacity, dropping the least recently used', () => {
    const db = open({ capacity: 2 })
    const a = db.prepare('select 1')
    const b = db.prepare('select 2')
    expect(db.prepare('select 1')).toBe(a)
    db.prepare('select 3')
    expect(db.prepare('select 1')).toBe(a)
    expect(db.prepare('select 2')).not.toBe(b)
  })
})
