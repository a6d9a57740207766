/**
 * Measurement benchmarks: `node bin/run-ts.js bench/measurement.ts [--paths N] [--runs R]`.
 *
 * Each suite returns rows of (stage, milliseconds) per run; the runner prints the median of
 * every stage over the runs, and the median total. Data is read from `../shared/data/`
 * relative to the working directory (run from the repository root), or from `--data <dir>`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { sql } from 'kysely'
import { insertRows, migrateToLatest, openDatabase, virtualPartition, type Database } from '../src/platform/index.ts'
import { defaultChannelRules, defaultConversion, extractPaths } from '../src/measurement/index.ts'
import {
  buildPathSet,
  firstTouch,
  lastNonDirect,
  lastTouch,
  linear,
  markovModel,
  orderedShapley,
  positionBased,
  readPathFile,
  shapley,
  timeDecay,
  DAY_MS,
  type AggregatedPath,
  type PathSet,
} from '../src/measurement/attribution/index.ts'
import { dashboardReadsSuite } from './measurement-dashboard.ts'
import { createSeededRandom } from '../src/measurement/mmm/seeded-random.ts'

/** One benchmark: `run` is called once per repetition and times its own stages. */
export interface BenchSuite {
  name: string
  /** Repetitions of this suite, when it differs from `--runs` (a long suite runs fewer times). */
  runs?(settings: BenchSettings): number
  /** Prepares inputs (untimed) and returns the timed repetition, with what to stop afterwards (a server). */
  prepare(settings: BenchSettings): Promise<(() => Promise<StageTiming[]>) & { close?(): Promise<void> }>
}

export interface StageTiming {
  stage: string
  /** Wall-clock milliseconds. */
  ms: number
  /** CPU milliseconds of this process (user + system): steadier than wall time on a busy machine. */
  cpuMs: number
  /** A figure printed next to the stage, e.g. the Markov order chosen. */
  note?: string
}

export interface BenchSettings {
  dataDir: string
  paths: number
  runs: number
  seed: number
}

// ── Attribution on aggregated paths ────────────────────────────────────────────────────────────

/**
 * `paths` aggregated paths resampled (seeded, with replacement) from ChannelAttribution's 10,000
 * example paths, then every model: the path-set build (channel interning) and each model timed
 * separately, exact Markov at order 1 and at the order chosen by BIC.
 */
export const aggregatedPathsSuite: BenchSuite = {
  name: 'attribution on aggregated paths',
  async prepare(settings) {
    const source = await readPathFile(resolve(settings.dataDir, 'ChannelAttribution_Data.csv'))
    if (!source.ok) throw new Error(`cannot read ChannelAttribution_Data.csv: ${source.error.message}`)
    const rows = rowsOf(source.paths)
    const random = createSeededRandom(settings.seed).next
    const sample: AggregatedPath[] = new Array(settings.paths)
    for (let i = 0; i < settings.paths; i++) sample[i] = rows[Math.floor(random() * rows.length)]!
    return async () => {
      const timings: StageTiming[] = []
      const time = <T>(stage: string, work: () => T, note?: (result: T) => string): T => {
        const cpu = process.cpuUsage()
        const started = performance.now()
        const result = work()
        const ms = performance.now() - started
        const used = process.cpuUsage(cpu)
        timings.push({ stage, ms, cpuMs: (used.user + used.system) / 1000, ...(note ? { note: note(result) } : {}) })
        return result
      }
      const { paths } = time('build path set', () => buildPathSet(sample), (r) => `${r.paths.touches.length} touches`)
      time('first_touch', () => firstTouch(paths))
      time('last_touch', () => lastTouch(paths))
      time('last_non_direct', () => lastNonDirect(paths))
      time('linear', () => linear(paths))
      time('time_decay', () => timeDecay(paths))
      time('position_based', () => positionBased(paths))
      time('shapley', () => shapley(paths))
      time('shapley_ordered', () => orderedShapley(paths))
      time('markov order 1', () => markovModel(paths, { order: 1 }), (m) => `P(conv) ${m.conversionProbability.toFixed(6)}`)
      time('markov auto', () => markovModel(paths, { order: 'auto' }), (m) => `order ${m.order}`)
      return timings
    }
  },
}

// ── Attribution on event-log paths ─────────────────────────────────────────────────────────────

/**
 * `--events` log events (10,000,000 by default) of a seeded store over 90 days, written straight
 * into an embedded (SQLite) database in time order with `insertRows`, 200,000 rows per
 * transaction, the two event indexes built after the rows (seeding is timed and printed apart).
 * People visit through paid and organic channels, the WeChat mini program, email, marketplaces
 * and stores; a visit is a landing, a few pages inside the site and product views, sometimes an
 * order; one person in ten also browsed under an anonymous profile merged into theirs. Each run
 * times the one-pass path extraction over the whole log (touchpoints, visits, journeys, new
 * customers) and then every model on the paths. `--log-db <file>` keeps the database for later
 * runs; `--log-runs` sets the repetitions (3).
 */
export const logPathsSuite: BenchSuite = {
  name: 'attribution on the event log',
  runs: () => Number(flag('log-runs') ?? 3),
  async prepare(settings) {
    const events = Number(flag('events') ?? 10_000_000)
    const kept = flag('log-db')
    const dir = kept ? null : mkdtempSync(join(tmpdir(), 'chorus-bench-log-'))
    const database = openDatabase(`sqlite:${kept ?? join(dir!, 'log.db')}`)
    await migrateToLatest(database)
    const have = await countBenchEvents(database)
    if (have !== events) {
      if (have > 0) throw new Error(`--log-db holds ${have} bench events, not ${events}: give another file`)
      const seeded = await seedLog(database, events, settings.seed)
      console.log(`\nseeded ${seeded.events.toLocaleString('en')} events of ${seeded.people.toLocaleString('en')} people: rows ${(seeded.insertMs / 1000).toFixed(1)} s, indexes ${(seeded.indexMs / 1000).toFixed(1)} s, ${(seeded.bytes / 2 ** 30).toFixed(2)} GiB`)
    }
    const input = {
      database,
      workspaceId: BENCH_WORKSPACE,
      from: BENCH_START,
      to: BENCH_START + BENCH_DAYS * DAY_MS,
      conversion: defaultConversion(),
      rules: defaultChannelRules(),
    }
    process.once('exit', () => {
      if (dir) rmSync(dir, { recursive: true, force: true })
    })
    return async () => {
      const timings: StageTiming[] = []
      // The process's own peak would include seeding: sample the resident set during the scan
      // (on conversions: the scan never yields to timers).
      let peakRss = process.memoryUsage().rss
      let seen = 0
      const sample = () => {
        if (++seen % 2000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss)
      }
      const cpu = process.cpuUsage()
      const started = performance.now()
      const extraction = await extractPaths({ ...input, onConversion: sample })
      const used = process.cpuUsage(cpu)
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
      const s = extraction.stats
      timings.push({
        stage: 'path extraction (one scan)',
        ms: performance.now() - started,
        cpuMs: (used.user + used.system) / 1000,
        note: `${s.events.toLocaleString('en')} candidate events of ${events.toLocaleString('en')}, ${s.people.toLocaleString('en')} people, ${extraction.paths.size.toLocaleString('en')} journeys, ${s.convertingJourneys.toLocaleString('en')} conversions, peak RSS ${Math.round(peakRss / 2 ** 20)} MB`,
      })
      const paths = extraction.paths
      const time = <T>(stage: string, work: () => T, note?: (result: T) => string) => {
        const c = process.cpuUsage()
        const t = performance.now()
        const result = work()
        const u = process.cpuUsage(c)
        timings.push({ stage, ms: performance.now() - t, cpuMs: (u.user + u.system) / 1000, ...(note ? { note: note(result) } : {}) })
      }
      const direct = { directChannels: extraction.directLabels }
      time('first_touch', () => firstTouch(paths))
      time('last_touch', () => lastTouch(paths))
      time('last_non_direct', () => lastNonDirect(paths, direct))
      time('linear', () => linear(paths))
      time('time_decay', () => timeDecay(paths))
      time('position_based', () => positionBased(paths))
      time('shapley', () => shapley(paths))
      time('shapley_ordered', () => orderedShapley(paths))
      time('markov order 1', () => markovModel(paths, { order: 1 }), (m) => `P(conv) ${m.conversionProbability.toFixed(6)}`)
      time('markov auto', () => markovModel(paths, { order: 'auto' }), (m) => `order ${m.order}`)
      return timings
    }
  },
}

const BENCH_WORKSPACE = 'ws_bench_log'
const BENCH_START = Date.UTC(2025, 2, 1) - 8 * 3_600_000
const BENCH_DAYS = 90
const SITE = 'https://shop.example.cn'

async function countBenchEvents(database: Database): Promise<number> {
  const row = await database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', BENCH_WORKSPACE).executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** How a visit arrives: weight, and the landing event's columns and payload. */
const ARRIVALS: { weight: number; landing: (r: () => number) => { type: string; event: string | null; channel: string | null; payload: string } }[] = [
  { weight: 22, landing: () => page('', null, '') },
  { weight: 12, landing: (r) => page('https://www.douyin.com/', { source: 'douyin', medium: 'paid_video', name: r() < 0.5 ? '新品上市' : '元气焕活季' }, `&clickid=${Math.floor(r() * 1e12)}`) },
  { weight: 10, landing: (r) => page('https://www.baidu.com/', { source: 'baidu', medium: 'cpc', name: r() < 0.6 ? '品牌词' : '品类词' }, `&bd_vid=${Math.floor(r() * 1e15)}`) },
  { weight: 10, landing: () => page('https://www.baidu.com/s?wd=%E5%92%8C%E5%A3%B0', null, '') },
  { weight: 8, landing: () => page('https://www.xiaohongshu.com/', { source: 'xiaohongshu', medium: 'kol', name: 'KOL种草' }, '') },
  { weight: 5, landing: () => page('https://weibo.com/', { source: 'weibo', medium: 'paid_social', name: '热搜话题' }, '') },
  { weight: 8, landing: () => page('', { source: 'email', medium: 'email', name: '会员周报' }, '') },
  { weight: 4, landing: () => page('', { source: 'sms', medium: 'sms', name: '短信' }, '') },
  { weight: 6, landing: () => page('https://www.zhihu.com/question/1', null, '') },
  { weight: 5, landing: () => miniProgram(1089, null) },
  { weight: 5, landing: () => miniProgram(1058, { source: 'wechat', medium: 'article', name: '推文' }) },
  { weight: 5, landing: () => miniProgram(1008, null) },
]
const ARRIVAL_TOTAL = ARRIVALS.reduce((s, a) => s + a.weight, 0)

function page(referrer: string, campaign: { source: string; medium: string; name: string } | null, click: string) {
  const search = campaign ? `?utm_source=${campaign.source}&utm_medium=${campaign.medium}${click}` : click ? `?${click.slice(1)}` : ''
  const context = { library: { name: 'analytics.js' }, page: { path: '/', referrer, search, url: `${SITE}/${search}` }, ...(campaign ? { campaign } : {}) }
  return { type: 'page', event: 'Home', channel: campaign?.source ?? null, payload: JSON.stringify({ type: 'page', name: 'Home', context, properties: { path: '/', referrer, url: `${SITE}/${search}` } }) }
}

function miniProgram(scene: number, campaign: { source: string; medium: string; name: string } | null) {
  const properties: Record<string, unknown> = { $scene: `wx-${scene}`, $lib: 'MiniProgram', $url_path: 'pages/index/index' }
  if (campaign) Object.assign(properties, { $utm_source: campaign.source, $utm_medium: campaign.medium, $utm_campaign: campaign.name })
  const context = { library: { name: 'sensors/MiniProgram' }, page: { path: 'pages/index/index', referrer: '直接打开' }, ...(campaign ? { campaign } : {}) }
  return { type: 'track', event: '$MPShow', channel: campaign?.source ?? 'wechat_mini_program', payload: JSON.stringify({ type: 'track', event: '$MPShow', context, properties }) }
}

const INTERNAL_PAGE = JSON.stringify({ type: 'page', name: 'Product', context: { library: { name: 'analytics.js' }, page: { path: '/products/1', referrer: `${SITE}/`, search: '', url: `${SITE}/products/1` } }, properties: { path: '/products/1' } })
const PRODUCT_VIEWED = JSON.stringify({ type: 'track', event: 'Product Viewed', context: { library: { name: 'analytics.js' } }, properties: { product_id: 'p-1', price: 6.9, currency: 'CNY' } })
const orderPayload = (total: number, channel: string | null) => JSON.stringify({ type: 'track', event: 'Order Completed', properties: { order_id: `o${Math.floor(total * 997)}`, total, currency: 'CNY', ...(channel ? { channel } : {}) } })
const EMAIL_DELIVERED = JSON.stringify({ type: 'track', event: 'Email Delivered', properties: { channel: 'email', campaign_name: '会员周报' } })
const EMAIL_OPENED = JSON.stringify({ type: 'track', event: 'Email Opened', properties: { channel: 'email', campaign_name: '会员周报' } })

/**
 * Writes the bench log: sessions day by day (each day's rows sorted by time, so the table is in
 * log order), 200,000 rows per transaction, indexes dropped during the load and built after it.
 */
async function seedLog(database: Database, events: number, seed: number): Promise<{ events: number; people: number; insertMs: number; indexMs: number; bytes: number }> {
  const random = createSeededRandom(seed).next
  const people = Math.max(10, Math.round(events / 10))
  const id = (i: number) => `pr_${i.toString(36).padStart(5, '0')}`
  const anonymous = (i: number) => `pa_${i.toString(36).padStart(5, '0')}`
  const started = performance.now()
  const db = database.db
  await db.insertInto('workspaces').values({ id: BENCH_WORKSPACE, name: BENCH_WORKSPACE, settings: '{}', created_at: 0 }).execute()
  await db.schema.dropIndex('events_profile').execute()
  await db.schema.dropIndex('events_by_name').execute()
  const profiles: unknown[][] = []
  for (let i = 0; i < people; i++) {
    profiles.push([id(i), BENCH_WORKSPACE, '{}', null, 0, 0])
    if (i % 10 === 0) profiles.push([anonymous(i), BENCH_WORKSPACE, '{}', id(i), 0, 0])
    if (profiles.length >= 100_000) await flush('profiles', ['id', 'workspace_id', 'traits', 'merged_into', 'created_at', 'updated_at'], profiles)
  }
  await flush('profiles', ['id', 'workspace_id', 'traits', 'merged_into', 'created_at', 'updated_at'], profiles)

  const columns = ['workspace_id', 'message_id', 'type', 'event', 'profile_id', 'part', 'user_id', 'anonymous_id', 'channel', 'timestamp', 'received_at', 'source_id', 'order_minor', 'order_currency', 'payload']
  const perDay = events / BENCH_DAYS
  let written = 0
  let bytes = 0
  let seq = 0
  const batch: unknown[][] = []
  for (let day = 0; day < BENCH_DAYS; day++) {
    const target = Math.round(perDay * (day + 1))
    const today: [number, unknown[]][] = []
    const row = (at: number, profile: string, type: string, event: string | null, channel: string | null, orderMinor: number | null, payload: string) => {
      bytes += payload.length + 120
      today.push([at, [BENCH_WORKSPACE, `m${seq++}`, type, event, profile, virtualPartition(profile), null, null, channel, at, at, null, orderMinor, orderMinor === null ? null : 'CNY', payload]])
    }
    while (written + today.length < target) {
      const person = Math.floor(random() * people)
      const profile = person % 10 === 0 && random() < 0.4 ? anonymous(person) : id(person)
      let at = BENCH_START + day * DAY_MS + Math.floor(random() * (DAY_MS - 3_600_000))
      const roll = random()
      if (roll < 0.04) {
        // A store or marketplace order, reported by the POS or the marketplace export.
        const channel = roll < 0.015 ? 'pos' : roll < 0.03 ? 'tmall' : 'jd'
        const total = 20 + Math.floor(random() * 200)
        row(at, id(person), 'track', 'Order Completed', channel, total * 100, orderPayload(total, channel))
        continue
      }
      if (roll < 0.1) {
        row(at, id(person), 'track', 'Email Delivered', 'email', null, EMAIL_DELIVERED)
        if (random() < 0.35) row(at + 3_600_000, id(person), 'track', 'Email Opened', 'email', null, EMAIL_OPENED)
        continue
      }
      let pick = random() * ARRIVAL_TOTAL
      const arrival = ARRIVALS.find((a) => (pick -= a.weight) < 0) ?? ARRIVALS[0]!
      const landing = arrival.landing(random)
      row(at, profile, landing.type, landing.event, landing.channel, null, landing.payload)
      const pages = 1 + Math.floor(random() * 4)
      for (let p = 0; p < pages; p++) {
        at += 10_000 + Math.floor(random() * 60_000)
        if (random() < 0.3) row(at, profile, 'track', 'Product Viewed', null, null, PRODUCT_VIEWED)
        else row(at, profile, 'page', 'Product', null, null, INTERNAL_PAGE)
      }
      if (random() < 0.07) {
        const total = 30 + Math.floor(random() * 300)
        row(at + 60_000, profile, 'track', 'Order Completed', null, total * 100, orderPayload(total, null))
      }
    }
    today.sort((a, b) => a[0] - b[0])
    for (const [, r] of today) {
      batch.push(r)
      if (batch.length >= 200_000) await flush('events', columns, batch)
    }
    written += today.length
  }
  await flush('events', columns, batch)
  const insertMs = performance.now() - started
  const indexing = performance.now()
  await db.schema.createIndex('events_profile').on('events').columns(['workspace_id', 'profile_id', 'timestamp']).execute()
  await db.schema.createIndex('events_by_name').on('events').columns(['workspace_id', 'event', 'timestamp']).execute()
  await sql`analyze`.execute(db)
  return { events: written, people, insertMs, indexMs: performance.now() - indexing, bytes }

  async function flush(table: string, cols: string[], rows: unknown[][]): Promise<void> {
    if (rows.length === 0) return
    const chunk = rows.splice(0, rows.length)
    await db.transaction().execute((trx) => insertRows(trx, database.dialect, table, cols, chunk))
  }
}

/** Every suite the runner measures, in order. */
export const suites: BenchSuite[] = [aggregatedPathsSuite, logPathsSuite, dashboardReadsSuite]

// ── Runner ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Runs the suites and prints per-stage medians of wall and CPU time.
 *
 * @example
 * await runBenchmarks({ dataDir: '../shared/data', paths: 100_000, runs: 3, seed: 1 })
 */
export async function runBenchmarks(settings: BenchSettings, selected: readonly BenchSuite[] = suites): Promise<void> {
  console.log(`measurement benchmarks — ${settings.paths.toLocaleString('en')} paths, ${settings.runs} runs, medians`)
  for (const suite of selected) {
    const run = await suite.prepare(settings)
    const runs: StageTiming[][] = []
    const repetitions = suite.runs?.(settings) ?? settings.runs
    for (let r = 0; r < repetitions; r++) runs.push(await run())
    await run.close?.()
    console.log(`\n${suite.name}${repetitions === settings.runs ? '' : ` (${repetitions} runs)`}`)
    const stages = runs[0]!.map((t) => t.stage)
    const width = Math.max(...stages.map((s) => s.length), 16)
    const line = (label: string, wall: number, cpu: number, note = '') =>
      console.log(`  ${label.padEnd(width)}${wall.toFixed(1).padStart(10)}${cpu.toFixed(1).padStart(10)}${note ? `   ${note}` : ''}`)
    console.log(`  ${''.padEnd(width)}${'wall ms'.padStart(10)}${'cpu ms'.padStart(10)}`)
    for (const stage of stages) {
      const of = (timings: StageTiming[]) => timings.find((t) => t.stage === stage)!
      line(stage, median(runs.map((r) => of(r).ms)), median(runs.map((r) => of(r).cpuMs)), of(runs[0]!).note)
    }
    const sum = (timings: StageTiming[], pick: (t: StageTiming) => number, skip?: string) =>
      timings.filter((t) => t.stage !== skip).reduce((total, t) => total + pick(t), 0)
    const first = stages[0]!
    line(`total without ${first}`, median(runs.map((r) => sum(r, (t) => t.ms, first))), median(runs.map((r) => sum(r, (t) => t.cpuMs, first))))
    line('total', median(runs.map((r) => sum(r, (t) => t.ms))), median(runs.map((r) => sum(r, (t) => t.cpuMs))))
  }
}

function rowsOf(paths: PathSet): AggregatedPath[] {
  return Array.from({ length: paths.size }, (_, i) => ({
    path: Array.from(paths.touches.subarray(paths.offsets[i]!, paths.offsets[i + 1]!), (id) => paths.channels[id]!),
    conversions: paths.conversions[i]!,
    value: paths.values[i]!,
    nulls: paths.nulls[i]!,
  }))
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1] : undefined
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const only = flag('suite')
  await runBenchmarks(
    {
      dataDir: resolve(process.cwd(), flag('data') ?? '../shared/data'),
      paths: Number(flag('paths') ?? 1_000_000),
      runs: Number(flag('runs') ?? 5),
      seed: Number(flag('seed') ?? 20180415),
    },
    only ? suites.filter((s) => s.name.includes(only)) : suites,
  )
}
