/**
 * `npm run bench:audiences` — audience evaluation at scale, on the embedded database by default.
 *
 * 1. Works on a copy of the benchmarks' seeded database (`support/seeded-world.ts`: 1,000,000
 *    profiles with traits and a user id, ≈5,000,000 events over 180 days).
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
 * `npm run bench:activation` runs the same measurements on the world it seeds for its sends.
 */
import type { DialectName } from '../src/platform/index.ts'
import { benchAudiences } from './support/audience-figures.ts'
import { seededWorld, WORLD_PROFILES } from './support/seeded-world.ts'

const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite').split(',') as DialectName[]

console.log(`audience benchmark: ${WORLD_PROFILES.toLocaleString('en')} profiles × ~${process.env.BENCH_EVENTS_PER_PROFILE ?? 5} events, ${process.env.BENCH_TRIALS ?? 200} incremental trials`)
for (const dialect of DIALECTS) {
  const world = await seededWorld(dialect)
  try {
    await benchAudiences(world)
  } finally {
    await world.cleanup()
  }
}
