/**
 * `npm run bench:audiences` — audience evaluation at scale, on the embedded database by default.
 *
 * 1. Seeds a workspace directly with `insertRows`: BENCH_PROFILES profiles (1,000,000) with
 *    traits and a user_id each, and about five events per profile (≈5,000,000: page and product
 *    views with channels, carts, completed orders with amounts) over the last 180 days.
 * 2. Full evaluation: times the whole-workspace query of a behavioural audience ("Order Completed
 *    with total ≥ 300 at least twice in 30 days") and of a trait + lifetime-revenue audience
 *    (median of BENCH_RUNS), then the initial fill of the behavioural one (membership rows and
 *    their `Audience Entered` events).
 * 3. Incremental latency: with the real-time processor running as `chorus serve` runs it (woken
 *    by the writer's commit, polling every 200 ms otherwise), sends BENCH_TRIALS orders through
 *    POST /v1/batch, one at a time, each one making a person enter; prints the median and p99 of
 *    the time from the event's commit to the commit of its membership row.
 *
 * Options (env): BENCH_PROFILES (1000000), BENCH_EVENTS_PER_PROFILE (5), BENCH_TRIALS (200),
 * BENCH_RUNS (3), BENCH_DIALECTS (sqlite; add postgres to run both), BENCH_SQLITE_FILE (keep the
 * seeded embedded database in this file and reuse it on the next run instead of seeding again).
 */
import pg from 'pg'
import { sql } from 'kysely'
import { insertRows, newId, ProcessorRunner, silentLogger, systemClock, virtualPartition, type Database, type DialectName } from '../src/platform/index.ts'
import { createEmptyDatabase } from '../test/support/databases.ts'
import { openContext } from '../src/server/runtime.ts'
import { IngestWriter } from '../src/ingest/writer.ts'
import { inProcessExecutor } from '../src/ingest/batch-executor.ts'
import { buildApp } from '../src/server/app.ts'
import { createSource, createWorkspace } from '../src/workspaces/index.ts'
import { audienceProcessor, createAudience, evaluateEveryone, getAudience, refreshAudience, type Condition } from '../src/audiences/index.ts'

const PROFILES = Number(process.env.BENCH_PROFILES ?? 1_000_000)
const EVENTS_PER_PROFILE = Number(process.env.BENCH_EVENTS_PER_PROFILE ?? 5)
const TRIALS = Number(process.env.BENCH_TRIALS ?? 200)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite').split(',')
const SQLITE_FILE = process.env.BENCH_SQLITE_FILE
const DAY = 86_400_000

const BEHAVIOURAL: Condition = {
  performed: { event: 'Order Completed', where: [{ property: 'total', op: 'gte', value: 300 }], count: { op: '>=', value: 2 }, within: '30d' },
}
const TRAIT_AND_REVENUE: Condition = { all: [{ trait: 'plan', op: 'equals', value: 'pro' }, { computed: 'lifetime_revenue', op: '>=', value: 1000 }] }

// Mulberry32: the same data every run.
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
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
  const rand = random(20261120)
  const { db, dialect } = database
  const indexes = await secondaryIndexes(database)
  for (const index of indexes) await sql.raw(`drop index ${index.name}`).execute(db)
  let events = 0
  const PER_TRANSACTION = 20_000 // profiles
  for (let start = 0; start < PROFILES; start += PER_TRANSACTION) {
    const profileRows: unknown[][] = []
    const identityRows: unknown[][] = []
    const eventRows: unknown[][] = []
    for (let i = start; i < Math.min(PROFILES, start + PER_TRANSACTION); i++) {
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

/**
 * The bench workspace: seeded now, or — in a kept SQLite file — as the last run left it, with that
 * run's audiences, membership and trial events removed so every run starts from the same data.
 */
async function seededWorkspace(database: Database, dialect: string) {
  const { db } = database
  const kept = await db.selectFrom('workspaces').select(['id', 'settings']).where('name', '=', 'bench').executeTakeFirst()
  if (kept) {
    const seededThrough = (JSON.parse(kept.settings) as { benchSeededThrough: number }).benchSeededThrough
    await db.deleteFrom('events').where('seq', '>', seededThrough).execute()
    await db.deleteFrom('audience_members').execute()
    await db.deleteFrom('audience_recomputes').execute()
    await db.deleteFrom('audiences').execute()
    await db.deleteFrom('processor_cursors').execute()
    await db.deleteFrom('jobs').execute()
    const source = (await db.selectFrom('sources').select('write_key').where('workspace_id', '=', kept.id).executeTakeFirstOrThrow())
    console.log(`${dialect}: reusing the seeded database (${PROFILES.toLocaleString('en')} profiles, events up to seq ${seededThrough.toLocaleString('en')})`)
    return { workspace: { id: kept.id }, source: { writeKey: source.write_key } }
  }
  const now = Date.now()
  const workspace = await createWorkspace(database.db, { name: 'bench', now })
  const source = await createSource(database.db, { workspaceId: workspace.id, name: 'bench', now })
  const seeded = await seed(database, workspace.id, now)
  const seededThrough = Number((await db.selectFrom('events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m)
  await db.updateTable('workspaces').set({ settings: JSON.stringify({ ...workspace.settings, benchSeededThrough: seededThrough }) }).where('id', '=', workspace.id).execute()
  console.log(`${dialect}: seeded ${PROFILES.toLocaleString('en')} profiles and ${seeded.events.toLocaleString('en')} events in ${seeded.seconds.toFixed(0)} s`)
  return { workspace, source }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!
}

async function benchOne(dialect: string): Promise<void> {
  const { url, cleanup } = await freshDatabase(dialect as DialectName)
  try {
    const ctx = await openContext({ databaseUrl: url, logger: silentLogger(), clock: systemClock })
    const database = ctx.database
    const { workspace, source } = await seededWorkspace(database, dialect)

    // Full evaluation: the whole-workspace query, as recomputes and estimates run it.
    for (const [label, definition] of [['behavioural (2+ orders ≥ ¥300 in 30 days)', BEHAVIOURAL], ['trait + lifetime revenue (pro, ≥ ¥1,000)', TRAIT_AND_REVENUE]] as const) {
      const times: number[] = []
      let size = 0
      for (let run = 0; run < RUNS; run++) {
        const t = performance.now()
        size = (await evaluateEveryone(database, { workspaceId: workspace.id, definition }, Date.now(), 'CNY')).length
        times.push(performance.now() - t)
      }
      console.log(`  full evaluation, ${label}: median ${(median(times) / 1000).toFixed(2)} s over ${RUNS} runs (${size.toLocaleString('en')} members of ${PROFILES.toLocaleString('en')})`)
    }

    const services = { database, jobs: ctx.jobs, clock: systemClock }
    const created = await createAudience(services, workspace.id, { name: 'Big repeat buyers', definition: BEHAVIOURAL })
    if (created.kind !== 'Saved') throw new Error(JSON.stringify(created))
    const audience = (await getAudience(database.db, workspace.id, created.audience.id))!
    const fillStarted = performance.now()
    const fill = await refreshAudience({ database, audience, now: Date.now() })
    console.log(`  initial fill (evaluation, ${fill.entered.toLocaleString('en')} membership rows and Audience Entered events): ${((performance.now() - fillStarted) / 1000).toFixed(2)} s`)

    // The processor starts where the log ends now, as one that has kept up would.
    const maxSeq = Number((await database.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m)
    await database.db.insertInto('processor_cursors').values({ processor: 'audiences', partition: 0, position: maxSeq, leased_by: null, lease_until: null, updated_at: Date.now() }).execute()

    // People one more big order puts in: exactly one qualifying order in the window.
    const since = Date.now() - 29 * DAY
    const qualifying = await database.db
      .selectFrom('events as e')
      .select('e.profile_id')
      .where('e.workspace_id', '=', workspace.id)
      .where('e.event', '=', 'Order Completed')
      .where('e.timestamp', '>=', since)
      .where('e.order_minor', '>=', 30_000)
      .groupBy('e.profile_id')
      .having((eb) => eb.fn.countAll(), '=', 1)
      .limit(TRIALS)
      .execute()
    const candidates = await database.db
      .selectFrom('identities')
      .select(['profile_id', 'value'])
      .where('workspace_id', '=', workspace.id)
      .where('type', '=', 'user_id')
      .where('profile_id', 'in', qualifying.map((q) => q.profile_id!))
      .execute()

    // The writer runs its transactions in this thread here (`chorus serve` gives SQLite's its own
    // thread), so the instant a commit returns is the instant measured from.
    await ctx.writer.close()
    ctx.writer = new IngestWriter({ database, clock: systemClock, logger: silentLogger(), executor: inProcessExecutor(database) })
    const app = await buildApp(ctx)
    const runner = new ProcessorRunner({ database, clock: systemClock, logger: silentLogger(), processors: [audienceProcessor({ dialect: database.dialect, clock: systemClock })] })
    let committedAt = 0
    ctx.writer.onCommit(() => {
      committedAt = performance.now()
      runner.poke()
    })
    let waiting: { profileId: string; resolve: (at: number) => void } | null = null
    runner.onProgress(() => {
      const w = waiting
      if (!w) return
      void database.db
        .selectFrom('audience_members')
        .select('profile_id')
        .where('audience_id', '=', audience.id)
        .where('profile_id', '=', w.profileId)
        .executeTakeFirst()
        .then((row) => {
          if (row && waiting === w) {
            waiting = null
            w.resolve(performance.now())
          }
        })
    })
    runner.start()
    const auth = `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`
    const latencies: number[] = []
    const send = async (userId: string, total: number) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: auth },
        payload: { batch: [{ type: 'track', userId, event: 'Order Completed', properties: { total, currency: 'CNY' } }] },
      })
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body}`)
    }
    await send('warm-up', 1)
    for (const person of candidates) {
      let resolveEntered!: (at: number) => void
      const entered = new Promise<number>((resolve) => (resolveEntered = resolve))
      waiting = { profileId: person.profile_id, resolve: resolveEntered }
      await send(person.value, 520)
      const commit = committedAt
      // A timer keeps the process alive (the runner's are unref'd) and bounds the wait.
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${person.profile_id} did not enter within 10 s of its order's commit`)), 10_000)))
      latencies.push((await Promise.race([entered, timeout]).finally(() => clearTimeout(timer))) - commit)
    }
    await runner.stop()
    await app.close()
    await ctx.writer.close()
    console.log(
      `  incremental: event commit → membership commit over ${latencies.length} events: median ${median(latencies).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    )
    await database.close()
  } finally {
    await cleanup()
  }
}

/** The file BENCH_SQLITE_FILE names, kept between runs, or a new empty database. */
async function freshDatabase(dialect: DialectName): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (dialect === 'sqlite' && SQLITE_FILE) return { url: `sqlite:${SQLITE_FILE}`, cleanup: async () => {} }
  return createEmptyDatabase(dialect)
}

console.log(`audience benchmark: ${PROFILES.toLocaleString('en')} profiles × ~${EVENTS_PER_PROFILE} events, ${TRIALS} incremental trials`)
for (const dialect of DIALECTS) await benchOne(dialect)
