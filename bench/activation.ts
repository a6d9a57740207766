/**
 * `npm run bench:activation` — how many messages a second journeys and broadcasts push through
 * the whole send path: guard rails (channel choice, quiet hours, frequency caps counted per
 * person), the idempotency key stored before the call, the gateway call, and the outcome recorded
 * with its facts and `Message Sent` event. The gateway is a loopback HTTP server in its own
 * process (the test suite's sink), answering batches of up to 500 messages.
 *
 * - broadcast: BENCH_PEOPLE people (seeded directly) in a static audience; one broadcast to all
 *   of them without a rate limit, driven by one job worker; sends/s over the delivery phase
 *   (after the fan-out into the outbox, which is timed on its own).
 * - journey: BENCH_JOURNEY_PEOPLE people send `Signed Up` through the tracking API and go
 *   through an event-triggered journey (entry → send → exit) one run at a time: the log
 *   processor enters them, step jobs drive the runs; sends/s from the first entry to the last exit.
 *
 * Both run in the workspace of the benchmarks' seeded database (`support/seeded-world.ts`:
 * 1,000,000 profiles and ≈5,000,000 events, seeded once per dialect, each measurement on a copy of
 * it), so every look-up and insert works on tables and indexes of a production size; the log
 * processor starts where the seeded log ends, as one that has kept up would.
 *
 * Each is run BENCH_RUNS times; the median is printed. Options (env): BENCH_PEOPLE (20000),
 * BENCH_JOURNEY_PEOPLE (10000), BENCH_RUNS (3), BENCH_DIALECTS (sqlite,postgres), BENCH_PARTS
 * (broadcast,journey: which to measure), and the seeded
 * database's BENCH_PROFILES (1000000; 0 for an empty one), BENCH_EVENTS_PER_PROFILE (5) and
 * BENCH_SQLITE_FILE.
 *
 * First, on each dialect in BENCH_AUDIENCE_DIALECTS (sqlite) and unless BENCH_SKIP_AUDIENCES=1,
 * it prints the audience figures of `bench/activation-audiences.ts` on a copy of the same seeded
 * database (full evaluation and the latency of an incremental update), so one command gives
 * every activation figure.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { JobWorker, ProcessorRunner, insertRows, newId, silentLogger, systemClock, type DialectName } from '../src/platform/index.ts'
import { openContext } from '../src/server/runtime.ts'
import { buildApp } from '../src/server/app.ts'
import { createAudience, uploadStaticMembers } from '../src/audiences/index.ts'
import { AudiencesMembership, HttpWebhookCaller, WebhookSender, createBroadcast, createJourney, journeyBackgroundWork, publishDraft, putGuardRails, validateDefinition } from '../src/journeys/index.ts'
import { WebhookSink } from '../test/journeys/support/webhook-sink.ts'
import { benchAudiences } from './support/audience-figures.ts'
import { benchWorkspace, seededWorld, WORLD_PROFILES, type SeededWorld } from './support/seeded-world.ts'

if (process.argv.includes('--sink')) {
  // The gateway half: runs in its own process so it does not share the engine's event loop.
  const sink = new WebhookSink()
  sink.keepContent = false
  console.log(`sink ${await sink.start()}`)
  await new Promise(() => {})
}

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20_000)
const JOURNEY_PEOPLE = Number(process.env.BENCH_JOURNEY_PEOPLE ?? 10_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as DialectName[]
const PARTS = (process.env.BENCH_PARTS ?? 'broadcast,journey').split(',')
const AUDIENCE_DIALECTS = process.env.BENCH_SKIP_AUDIENCES === '1' ? [] : (process.env.BENCH_AUDIENCE_DIALECTS ?? 'sqlite').split(',')
const ROOT = resolve(import.meta.dirname, '..')

interface Figures {
  broadcastSendsPerSecond: number[]
  fanoutPeoplePerSecond: number[]
  journeySendsPerSecond: number[]
}

async function benchOne(world: SeededWorld, sinkUrl: string): Promise<Figures> {
  const { url, cleanup } = await world.copy()
  const ctx = await openContext({ databaseUrl: url, logger: silentLogger(), clock: systemClock })
  const app = await buildApp(ctx)
  const figures: Figures = { broadcastSendsPerSecond: [], fanoutPeoplePerSecond: [], journeySendsPerSecond: [] }
  try {
    const { database, clock } = ctx
    const now = clock.now()
    const { workspace, source, seededThrough } = await benchWorkspace(database)
    // Guard rails on, as in production: a daily cap (not reached) and quiet hours (not now).
    const quietStart = new Date(now + 8 * 3_600_000).toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    const quietEnd = new Date(now + 10 * 3_600_000).toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    await putGuardRails(database.db, workspace.id, { frequencyCaps: [{ channels: '*', categories: ['marketing'], limit: 50, period: 'day' }], quietHours: [{ channels: '*', categories: ['marketing'], start: quietStart, end: quietEnd, mode: 'hold' }] }, now)

    const people = await seedPeople(ctx, workspace.id, PEOPLE, now)
    const created = await createAudience(ctx, workspace.id, { name: 'Everyone', kind: 'static' })
    if (created.kind !== 'Saved') throw new Error(`audience: ${created.kind}`)
    const upload = await uploadStaticMembers({ database, clock, audience: created.audience, csv: ['user_id', ...people].join('\n'), mode: 'replace' })
    if (upload.kind !== 'Uploaded' || upload.report.people !== PEOPLE) throw new Error(`upload: ${JSON.stringify(upload)}`)

    const work = journeyBackgroundWork({ database, clock, logger: silentLogger() }, { sender: new WebhookSender({ url: sinkUrl, database }), audiences: new AudiencesMembership(database), webhooks: new HttpWebhookCaller() })
    const worker = new JobWorker({ queue: ctx.jobs, logger: silentLogger(), handlers: work.jobHandlers })
    const processors = new ProcessorRunner({ database, clock, logger: silentLogger(), processors: work.processors })
    for (const processor of work.processors) {
      await database.db.insertInto('processor_cursors').values({ processor: processor.name, partition: 0, position: seededThrough, leased_by: null, lease_until: null, updated_at: now }).execute()
    }

    for (let run = 0; run < (PARTS.includes('broadcast') ? RUNS : 0); run++) {
      const before = await sinkStats(sinkUrl)
      const started = performance.now()
      const broadcast = await createBroadcast(database, { workspaceId: workspace.id, input: { name: `run ${run}`, audienceId: created.audience.id, channel: 'webhook', fallback: [], category: 'marketing', message: { text: '{{ profile.name }}，双十一预售开始了' } }, now: clock.now() })
      let fannedOutAt = 0
      for (;;) {
        const ran = await worker.runDue(50)
        const row = await database.db.selectFrom('broadcasts').select(['status', 'fanout_done']).where('id', '=', broadcast.id).executeTakeFirstOrThrow()
        if (!fannedOutAt && row.fanout_done === 1) fannedOutAt = performance.now()
        if (row.status === 'completed') break
        if (ran === 0) await new Promise((r) => setTimeout(r, 2))
      }
      const finished = performance.now()
      const after = await sinkStats(sinkUrl)
      const delivered = after.delivered - before.delivered
      if (delivered !== PEOPLE || after.messagesReceived - before.messagesReceived !== PEOPLE) throw new Error(`broadcast run ${run}: the gateway got ${delivered} distinct of ${after.messagesReceived - before.messagesReceived} messages for ${PEOPLE} people`)
      figures.fanoutPeoplePerSecond.push(PEOPLE / ((fannedOutAt - started) / 1000))
      figures.broadcastSendsPerSecond.push(PEOPLE / ((finished - fannedOutAt) / 1000))
    }

    const definition = validateDefinition({
      entry: { event: 'Signed Up' },
      start: 'welcome',
      nodes: [
        { id: 'welcome', type: 'send', channel: 'webhook', message: { text: '{{ profile.name }}，欢迎' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    })
    if (definition.kind !== 'Valid') throw new Error('bench journey is invalid')
    const journey = await createJourney(database.db, { workspaceId: workspace.id, name: 'Welcome', definition: definition.definition, now: clock.now() })
    await publishDraft(database.db, { workspaceId: workspace.id, journeyId: journey.id, now: clock.now() })
    const basic = `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`
    await processors.drain() // the audience upload's events
    for (let run = 0; run < (PARTS.includes('journey') ? RUNS : 0); run++) {
      const before = await sinkStats(sinkUrl)
      for (let i = 0; i < JOURNEY_PEOPLE; i += 500) {
        const batch = Array.from({ length: Math.min(500, JOURNEY_PEOPLE - i) }, (_, j) => ({ type: 'track', userId: `signup-${run}-${i + j}`, event: 'Signed Up' }))
        const res = await app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic }, payload: { batch } })
        if (res.statusCode !== 200) throw new Error(`ingest: ${res.statusCode} ${res.body}`)
      }
      const started = performance.now()
      for (;;) {
        const events = await processors.drain()
        const jobs = await worker.runDue(200)
        if (events > 0 || jobs > 0) continue
        // Counted only when a round found nothing to do, so the check costs the engine nothing.
        const runs = await database.db
          .selectFrom('journey_runs')
          .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.sum<number>(eb.case().when('state', '!=', 'ended').then(1).else(0).end()).as('open')])
          .where('journey_id', '=', journey.id)
          .executeTakeFirstOrThrow()
        if (Number(runs.open) === 0 && Number(runs.all) === JOURNEY_PEOPLE * (run + 1)) break
        await new Promise((r) => setTimeout(r, 2))
      }
      const seconds = (performance.now() - started) / 1000
      const after = await sinkStats(sinkUrl)
      const delivered = after.delivered - before.delivered
      if (delivered !== JOURNEY_PEOPLE || after.messagesReceived - before.messagesReceived !== JOURNEY_PEOPLE) throw new Error(`journey run ${run}: the gateway got ${delivered} distinct of ${after.messagesReceived - before.messagesReceived} messages for ${JOURNEY_PEOPLE} people`)
      figures.journeySendsPerSecond.push(JOURNEY_PEOPLE / seconds)
    }
    return figures
  } finally {
    await app.close()
    await ctx.writer.close()
    await ctx.database.close()
    await cleanup()
  }
}

/** Profiles with a user id and a name, written straight to the tables (setup, not measured). */
async function seedPeople(ctx: Awaited<ReturnType<typeof openContext>>, workspaceId: string, count: number, now: number): Promise<string[]> {
  const userIds: string[] = []
  for (let start = 0; start < count; start += 5_000) {
    const profiles: unknown[][] = []
    const identities: unknown[][] = []
    for (let i = start; i < Math.min(count, start + 5_000); i++) {
      const id = newId('prf', now)
      const userId = `member-${i}`
      userIds.push(userId)
      profiles.push([id, workspaceId, JSON.stringify({ name: `会员${i}` }), null, now, now])
      identities.push([workspaceId, 'user_id', userId, id, now])
    }
    await insertRows(ctx.database.db, ctx.database.dialect, 'profiles', ['id', 'workspace_id', 'traits', 'merged_into', 'created_at', 'updated_at'], profiles)
    await insertRows(ctx.database.db, ctx.database.dialect, 'identities', ['workspace_id', 'type', 'value', 'profile_id', 'created_at'], identities)
  }
  return userIds
}

async function sinkStats(url: string): Promise<{ delivered: number; messagesReceived: number }> {
  return (await (await fetch(url)).json()) as { delivered: number; messagesReceived: number }
}

async function startSink(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [resolve(ROOT, 'bin/run-ts.js'), 'bench/activation.ts', '--sink'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((res, rej) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const match = out.match(/sink (http:\/\/\S+)/)
      if (match) res(match[1]!)
    })
    child.on('exit', (code) => rej(new Error(`sink exited with ${code}`)))
  })
  return { url, child }
}


const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const fmt = (n: number) => Math.round(n).toLocaleString('en')

const sink = await startSink()
try {
  console.log(`activation benchmark: broadcast to ${fmt(PEOPLE)} people, journey with ${fmt(JOURNEY_PEOPLE)} entries, ${RUNS} runs each (medians), gateway on loopback in its own process, in a workspace of ${fmt(WORLD_PROFILES)} seeded profiles`)
  for (const dialect of DIALECTS) {
    const world = await seededWorld(dialect)
    let f: Figures
    try {
      if (AUDIENCE_DIALECTS.includes(dialect)) await benchAudiences(world)
      f = await benchOne(world, sink.url)
    } finally {
      await world.cleanup()
    }
    const parts = [
      f.broadcastSendsPerSecond.length ? `broadcast ${fmt(median(f.broadcastSendsPerSecond))} sends/s (runs: ${f.broadcastSendsPerSecond.map(fmt).join(', ')}; fan-out ${fmt(median(f.fanoutPeoplePerSecond))} people/s)` : '',
      f.journeySendsPerSecond.length ? `journey ${fmt(median(f.journeySendsPerSecond))} sends/s (runs: ${f.journeySendsPerSecond.map(fmt).join(', ')})` : '',
    ]
    console.log(`${dialect.padEnd(9)} ${parts.filter(Boolean).join('  ')}`)
  }
} finally {
  sink.child.kill('SIGTERM')
}
process.exit(0)
