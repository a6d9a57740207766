/**
 * The benchmarks' populated database: one workspace ("bench") with BENCH_PROFILES profiles
 * (1,000,000) carrying traits and a user id each, and about BENCH_EVENTS_PER_PROFILE events per
 * profile (≈5,000,000: page and product views with channels, carts, completed orders with
 * amounts) over the last 180 days — the same data every time.
 *
 * It is seeded once per dialect and kept as a template; each benchmark works on a copy of it (a
 * file copy for SQLite, `create database … template` for PostgreSQL), so one seeding serves every
 * measurement and none sees another's leftovers. BENCH_SQLITE_FILE keeps the SQLite template in
 * that file and reuses it on the next run instead of seeding again.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { sql } from 'kysely'
import { insertRows, migrateToLatest, newId, openDatabase, virtualPartition, type Database, type DialectName } from '../../src/platform/index.ts'
import { POSTGRES_ADMIN_URL } from '../../test/support/databases.ts'
import { createSource, createWorkspace } from '../../src/workspaces/index.ts'
import { createSeededRandom } from '../../src/measurement/mmm/seeded-random.ts'

export const WORLD_PROFILES = Number(process.env.BENCH_PROFILES ?? 1_000_000)
const EVENTS_PER_PROFILE = Number(process.env.BENCH_EVENTS_PER_PROFILE ?? 5)
const SQLITE_FILE = process.env.BENCH_SQLITE_FILE
const DAY = 86_400_000

export interface SeededWorld {
  dialect: DialectName
  profiles: number
  /** A new database holding the seeded data, and how to remove it. */
  copy(): Promise<{ url: string; cleanup: () => Promise<void> }>
  /** Removes the template (a kept BENCH_SQLITE_FILE stays). */
  cleanup(): Promise<void>
}

/** The seeded workspace in a copy of the world, and the last event seq the seeding wrote. */
export async function benchWorkspace(database: Database): Promise<{ workspace: { id: string }; source: { writeKey: string }; seededThrough: number }> {
  const { db } = database
  const row = await db.selectFrom('workspaces').select(['id', 'settings']).where('name', '=', 'bench').executeTakeFirstOrThrow()
  const source = await db.selectFrom('sources').select('write_key').where('workspace_id', '=', row.id).executeTakeFirstOrThrow()
  // PostgreSQL hands the jsonb column back parsed.
  const settings = (typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings) as { benchSeededThrough: number }
  const benchSeededThrough = Number(settings.benchSeededThrough)
  return { workspace: { id: row.id }, source: { writeKey: source.write_key }, seededThrough: benchSeededThrough }
}

/** Seeds the world for a dialect (or finds the kept SQLite file) and hands out copies of it. */
export async function seededWorld(dialect: DialectName): Promise<SeededWorld> {
  if (dialect === 'sqlite') {
    const dir = SQLITE_FILE ? null : mkdtempSync(join(tmpdir(), 'chorus-bench-world-'))
    const file = SQLITE_FILE ?? join(dir!, 'world.db')
    if (existsSync(file)) console.log(`sqlite: reusing the seeded database in ${file}`)
    else await seedInto(`sqlite:${file}`, dialect)
    return {
      dialect,
      profiles: WORLD_PROFILES,
      async copy() {
        const copyDir = mkdtempSync(join(tmpdir(), 'chorus-bench-'))
        copyFileSync(file, join(copyDir, 'chorus.db'))
        return { url: `sqlite:${join(copyDir, 'chorus.db')}`, cleanup: async () => rmSync(copyDir, { recursive: true, force: true }) }
      },
      async cleanup() {
        if (dir) rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const template = `chorus_bench_world_${process.pid}`
  await admin(`create database ${template}`)
  await seedInto(POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${template}`), dialect)
  let copies = 0
  return {
    dialect,
    profiles: WORLD_PROFILES,
    async copy() {
      const name = `${template}_${++copies}`
      await admin(`create database ${name} template ${template}`)
      return { url: POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`), cleanup: () => admin(`drop database if exists ${name} with (force)`) }
    },
    cleanup: () => admin(`drop database if exists ${template} with (force)`),
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** Migrates the database at `url`, seeds the workspace and closes it, leaving it ready to copy. */
async function seedInto(url: string, dialect: DialectName): Promise<void> {
  const database = openDatabase(url)
  try {
    await migrateToLatest(database)
    const { db } = database
    const now = Date.now()
    const workspace = await createWorkspace(db, { name: 'bench', now })
    await createSource(db, { workspaceId: workspace.id, name: 'bench', now })
    const seeded = await seed(database, workspace.id, now)
    const seededThrough = Number((await db.selectFrom('events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m ?? 0)
    await db.updateTable('workspaces').set({ settings: JSON.stringify({ ...workspace.settings, benchSeededThrough: seededThrough }) }).where('id', '=', workspace.id).execute()
    console.log(`${dialect}: seeded ${WORLD_PROFILES.toLocaleString('en')} profiles and ${seeded.events.toLocaleString('en')} events in ${seeded.seconds.toFixed(0)} s`)
  } finally {
    await database.close()
  }
}

const EVENT_COLUMNS = ['workspace_id', 'message_id', 'type', 'event', 'profile_id', 'part', 'user_id', 'anonymous_id', 'channel', 'timestamp', 'received_at', 'source_id', 'order_minor', 'order_currency', 'payload']
const CHANNELS = ['wechat', 'douyin', 'xiaohongshu', 'baidu', 'tmall', null, null]
const CITIES = ['Shanghai', 'Beijing', 'Shenzhen', 'Hangzhou', 'Chengdu']

/**
 * Profiles, their user ids and their events, written straight into the tables in large
 * transactions. Secondary indexes are dropped first and built again at the end: building an
 * index from sorted data is much faster than millions of random B-tree inserts, and the result is
 * the same index.
 */
async function seed(database: Database, workspaceId: string, now: number): Promise<{ events: number; seconds: number }> {
  const started = performance.now()
  const rand = createSeededRandom(20261120).next // the same data every run
  const { db, dialect } = database
  const indexes = await secondaryIndexes(database)
  for (const index of indexes) await sql.raw(`drop index ${index.name}`).execute(db)
  let events = 0
  const PER_TRANSACTION = 20_000 // profiles
  for (let start = 0; start < WORLD_PROFILES; start += PER_TRANSACTION) {
    const profileRows: unknown[][] = []
    const identityRows: unknown[][] = []
    const eventRows: unknown[][] = []
    for (let i = start; i < Math.min(WORLD_PROFILES, start + PER_TRANSACTION); i++) {
      const created = now - 200 * DAY + Math.floor(rand() * 10 * DAY)
      const id = newId('prf', created)
      const userId = `u${i}`
      const traits = { plan: rand() < 0.2 ? 'pro' : 'free', city: CITIES[Math.floor(rand() * CITIES.length)], age: 18 + Math.floor(rand() * 50) }
      profileRows.push([id, workspaceId, JSON.stringify(traits), null, created, created])
      identityRows.push([workspaceId, 'user_id', userId, id, created])
      const count = Math.max(1, Math.round(EVENTS_PER_PROFILE - 2 + rand() * 4))
      for (let k = 0; k < count; k++) {
        const timestamp = now - Math.floor(rand() * 180 * DAY)
        const r = rand()
        const name = r < 0.4 ? 'Page Viewed' : r < 0.75 ? 'Product Viewed' : r < 0.8 ? 'Added to Cart' : 'Order Completed'
        const channel = name === 'Page Viewed' ? CHANNELS[Math.floor(rand() * CHANNELS.length)]! : null
        const messageId = `seed-${i}-${k}`
        let total: number | null = null
        const properties: Record<string, unknown> = {}
        if (name === 'Order Completed') {
          total = Math.round((40 + -Math.log(1 - rand()) * 250) * 100) / 100
          properties.total = total
          properties.currency = 'CNY'
        } else if (name !== 'Page Viewed') properties.sku = `sku-${Math.floor(rand() * 500)}`
        const payload = JSON.stringify({ type: 'track', event: name, userId, messageId, properties, timestamp: new Date(timestamp).toISOString() })
        eventRows.push([workspaceId, messageId, 'track', name, id, virtualPartition(id), userId, null, channel, timestamp, timestamp, null, total === null ? null : Math.round(total * 100), total === null ? null : 'CNY', payload])
      }
    }
    await db.transaction().execute(async (trx) => {
      await insertRows(trx, dialect, 'profiles', ['id', 'workspace_id', 'traits', 'merged_into', 'created_at', 'updated_at'], profileRows)
      await insertRows(trx, dialect, 'identities', ['workspace_id', 'type', 'value', 'profile_id', 'created_at'], identityRows)
      await insertRows(trx, dialect, 'events', EVENT_COLUMNS, eventRows)
    })
    events += eventRows.length
    if ((start / PER_TRANSACTION) % 10 === 9) process.stderr.write(`  seeded ${(start + PER_TRANSACTION).toLocaleString('en')} profiles, ${events.toLocaleString('en')} events\n`)
  }
  process.stderr.write(`  building ${indexes.length} indexes\n`)
  for (const index of indexes) await sql.raw(index.sql).execute(db)
  if (dialect === 'postgres') await pgAnalyse(database)
  else await sql`analyze`.execute(db)
  return { events, seconds: (performance.now() - started) / 1000 }
}

/** Indexes on the seeded tables other than primary keys and unique constraints, with their SQL. */
async function secondaryIndexes(database: Database): Promise<Array<{ name: string; sql: string }>> {
  const tables = ['events', 'profiles', 'identities']
  if (database.dialect === 'sqlite') {
    const rows = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)})`.execute(database.db)
    return rows.rows.filter((r) => !/^create unique/i.test(r.sql))
  }
  const rows = await sql<{ name: string; sql: string }>`select indexname as name, indexdef as sql from pg_indexes where schemaname = 'public' and tablename in (${sql.join(tables)})`.execute(database.db)
  return rows.rows.filter((r) => !/UNIQUE/.test(r.sql))
}

async function pgAnalyse(database: Database): Promise<void> {
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  await client.query('analyze')
  await client.end()
}
