/**
 * The audience figures (see `bench/activation-audiences.ts`): full evaluation of two audiences,
 * the initial fill, and the latency of an incremental update, on a copy of the seeded world.
 */
import { ProcessorRunner, silentLogger, systemClock } from '../../src/platform/index.ts'
import { openContext } from '../../src/server/runtime.ts'
import { IngestWriter } from '../../src/ingest/writer.ts'
import { inProcessExecutor } from '../../src/ingest/batch-executor.ts'
import { buildApp } from '../../src/server/app.ts'
import { audienceProcessor, createAudience, evaluateEveryone, getAudience, refreshAudience, type Condition } from '../../src/audiences/index.ts'
import { benchWorkspace, WORLD_PROFILES, type SeededWorld } from './seeded-world.ts'

const TRIALS = Number(process.env.BENCH_TRIALS ?? 200)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const DAY = 86_400_000

const BEHAVIOURAL: Condition = {
  performed: { event: 'Order Completed', where: [{ property: 'total', op: 'gte', value: 300 }], count: { op: '>=', value: 2 }, within: '30d' },
}
const TRAIT_AND_REVENUE: Condition = { all: [{ trait: 'plan', op: 'equals', value: 'pro' }, { computed: 'lifetime_revenue', op: '>=', value: 1000 }] }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!
}

/** Prints the audience figures measured on a copy of the seeded world. */
export async function benchAudiences(world: SeededWorld): Promise<void> {
  const dialect = world.dialect
  const { url, cleanup } = await world.copy()
  try {
    const ctx = await openContext({ databaseUrl: url, logger: silentLogger(), clock: systemClock })
    const database = ctx.database
    const { workspace, source } = await benchWorkspace(database)

    // Full evaluation: the whole-workspace query, as recomputes and estimates run it.
    for (const [label, definition] of [['behavioural (2+ orders ≥ ¥300 in 30 days)', BEHAVIOURAL], ['trait + lifetime revenue (pro, ≥ ¥1,000)', TRAIT_AND_REVENUE]] as const) {
      const times: number[] = []
      let size = 0
      for (let run = 0; run < RUNS; run++) {
        const t = performance.now()
        size = (await evaluateEveryone(database, { workspaceId: workspace.id, definition }, Date.now(), 'CNY')).length
        times.push(performance.now() - t)
      }
      console.log(`  full evaluation, ${label}: median ${(median(times) / 1000).toFixed(2)} s over ${RUNS} runs (${size.toLocaleString('en')} members of ${WORLD_PROFILES.toLocaleString('en')})`)
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
