/**
 * `npm run bench:ingest` — sustained ingest over HTTP: concurrent clients POST /v1/batch with
 * realistic calls to a `chorus serve` process, on the embedded database and on PostgreSQL.
 * Prints events/s and acknowledgement latency (p50/p99 per batch request), then checks that every
 * acknowledged event is in the log.
 *
 * Options (env): BENCH_SECONDS (default 20), BENCH_BATCH (500), BENCH_CLIENTS (8),
 * BENCH_POPULATION (200000), BENCH_DIALECTS (sqlite,postgres).
 */
import { openDatabase, type DialectName } from '../src/platform/index.ts'
import { createEmptyDatabase } from '../test/support/databases.ts'
import { runChorus, startServerProcess } from '../test/support/server-process.ts'
import { TrafficGenerator } from './support/traffic.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20)
const BATCH = Number(process.env.BENCH_BATCH ?? 500)
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8)
const POPULATION = Number(process.env.BENCH_POPULATION ?? 200_000)
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',')

interface Result {
  dialect: string
  events: number
  seconds: number
  eventsPerSecond: number
  p50: number
  p99: number
  rejected429: number
  stored: number
}

async function benchOne(dialect: string): Promise<Result> {
  const { url: database, cleanup } = await createEmptyDatabase(dialect as DialectName)
  try {
    const init = JSON.parse(await runChorus(['init', '--database', database, '--json'])) as { writeKey: string }
    const server = await startServerProcess({ database })
    const auth = `Basic ${Buffer.from(`${init.writeKey}:`).toString('base64')}`
    const traffic = new TrafficGenerator({ population: POPULATION, seed: 7 })
    const latencies: number[] = []
    let acked = 0
    let throttled = 0
    const warmupEnd = Date.now() + 2_000
    let measuredStart = 0
    let measuredEvents = 0
    const end = warmupEnd + SECONDS * 1000

    const client = async () => {
      while (Date.now() < end) {
        const body = traffic.batch(BATCH, Date.now())
        const started = performance.now()
        const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body })
        const text = await res.text()
        const elapsed = performance.now() - started
        if (res.status === 429) {
          throttled++
          await new Promise((r) => setTimeout(r, 50))
          continue
        }
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text}`)
        acked += BATCH
        if (Date.now() >= warmupEnd) {
          if (!measuredStart) measuredStart = performance.now()
          measuredEvents += BATCH
          latencies.push(elapsed)
        }
      }
    }
    await Promise.all(Array.from({ length: CLIENTS }, client))
    const seconds = (performance.now() - measuredStart) / 1000
    await server.stop()

    const db = openDatabase(database)
    const row = await db.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    await db.close()
    latencies.sort((a, b) => a - b)
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN
    return { dialect, events: measuredEvents, seconds, eventsPerSecond: measuredEvents / seconds, p50: pct(0.5), p99: pct(0.99), rejected429: throttled, stored: Number(row.n) === acked ? acked : Number(row.n) }
  } finally {
    await cleanup()
  }
}


console.log(`ingest benchmark: ${CLIENTS} clients × /v1/batch of ${BATCH} calls, ${SECONDS} s measured after 2 s warm-up, population ${POPULATION}`)
for (const dialect of DIALECTS) {
  const r = await benchOne(dialect)
  console.log(
    `${r.dialect.padEnd(9)} ${Math.round(r.eventsPerSecond).toLocaleString('en')} events/s  ack latency p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ` +
      `(${r.events.toLocaleString('en')} events in ${r.seconds.toFixed(1)} s; 429s: ${r.rejected429}; acknowledged events all stored: ${r.stored >= r.events ? 'yes' : 'NO'})`,
  )
}
