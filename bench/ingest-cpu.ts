/**
 * `npm run bench:ingest-cpu` — what one event costs in CPU at each stage of the embedded ingest
 * path, in one process with no HTTP: JSON parsing, validation and normalisation (the API's main
 * thread), and the writer's transaction (its own thread in `chorus serve`). CPU time, not wall
 * time, so the figures hold on a busy machine; `bench:ingest` gives the end-to-end rate.
 *
 * It then measures the floor under the writer: SQLite's own CPU for the rows every event adds (the
 * log row with its indexes, the dedupe key) and for a new person's identifier, through raw
 * statements with no Chorus code (bench/support/storage-floor.ts). Whatever Chorus does, its
 * writer thread cannot go below that sum per event.
 *
 * Options (env): BENCH_ROUNDS (40; the first 10 warm up), BENCH_REQUESTS_PER_TRANSACTION (10 × 500
 * calls), BENCH_POPULATION (200000).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IdentityCache } from '../src/identity/cache.ts'
import { normaliseSegmentCall } from '../src/ingest/segment/normalise.ts'
import { writeBatch } from '../src/ingest/write-batch.ts'
import { migrateToLatest, openDatabase } from '../src/platform/index.ts'
import { createWorkspace } from '../src/workspaces/store.ts'
import { TrafficGenerator } from './support/traffic.ts'
import { measureStorageFloor } from './support/storage-floor.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40)
const WARM_UP = 10
const REQUESTS = Number(process.env.BENCH_REQUESTS_PER_TRANSACTION ?? 10)
const POPULATION = Number(process.env.BENCH_POPULATION ?? 200_000)

const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-'))
const database = openDatabase(`sqlite:${join(dir, 'bench.db')}`, { checkpoints: 'background' })
try {
  await migrateToLatest(database)
  const workspace = await createWorkspace(database.db, { name: 'bench', now: Date.now() })
  const traffic = new TrafficGenerator({ population: POPULATION, seed: 7 })
  const identityCache = new IdentityCache()
  const cpu = () => {
    const u = process.cpuUsage()
    return u.user + u.system
  }
  const perRound: Array<{ parse: number; normalise: number; write: number }> = []
  for (let round = 0; round < ROUNDS; round++) {
    const bodies = Array.from({ length: REQUESTS }, () => traffic.batch(500, Date.now()))
    let at = cpu()
    const parsed = bodies.map((b) => JSON.parse(b) as { batch: unknown[]; sentAt: string })
    const parse = cpu() - at
    at = cpu()
    const messages = parsed.flatMap((body) =>
      body.batch.map((call) => {
        const result = normaliseSegmentCall(call, { receivedAt: Date.now(), ip: '10.0.0.1', batchSentAt: body.sentAt })
        if (result.kind !== 'ok') throw new Error(result.reason)
        return result.message
      }),
    )
    const normalise = cpu() - at
    at = cpu()
    await writeBatch({ database, now: Date.now(), batches: [{ workspaceId: workspace.id, sourceId: null, messages }], identityCache })
    const write = cpu() - at
    if (round >= WARM_UP) perRound.push({ parse: parse / messages.length, normalise: normalise / messages.length, write: write / messages.length })
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const stage = (k: 'parse' | 'normalise' | 'write') => median(perRound.map((r) => r[k]))
  console.log(`ingest CPU per event, median of ${perRound.length} transactions of ${REQUESTS * 500} calls (population ${POPULATION}):`)
  console.log(`  JSON.parse ${stage('parse').toFixed(1)} µs · validate + normalise ${stage('normalise').toFixed(1)} µs · writer transaction ${stage('write').toFixed(1)} µs`)
  const floor = await measureStorageFloor(join(dir, 'floor.db'), { rounds: ROUNDS, warmUp: WARM_UP, rowsPerTransaction: REQUESTS * 500, population: POPULATION })
  const perEvent = floor.eventRow + floor.dedupeKey
  console.log(`SQLite alone, CPU per row (raw statements, ${REQUESTS * 500} rows per transaction):`)
  console.log(`  log row with its indexes ${floor.eventRow.toFixed(1)} µs · dedupe key ${floor.dedupeKey.toFixed(1)} µs · new identifier ${floor.identity.toFixed(1)} µs`)
  console.log(`  every event pays at least ${perEvent.toFixed(1)} µs on the one writer: at most ${Math.round(1e6 / perEvent).toLocaleString('en-US')} events/s before any other work`)
} finally {
  await database.close()
  rmSync(dir, { recursive: true, force: true })
}
