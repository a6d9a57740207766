import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, silentLogger, systemClock } from '../../src/platform/index.ts'
import { openContext } from '../../src/server/runtime.ts'
import { buildApp } from '../../src/server/app.ts'
import { createJourney, publishDraft, validateDefinition } from '../../src/journeys/index.ts'
import { createSource, createWorkspace } from '../../src/workspaces/index.ts'
import { DIALECTS, createEmptyDatabase } from '../support/databases.ts'
import { WebhookSink } from './support/webhook-sink.ts'
import { startWorker, until } from './support/worker-process.ts'

const PEOPLE = 80

/**
 * A journeys worker — a separate process — is killed with SIGKILL while it is delivering, with
 * gateway calls in flight, then started again. Every person must get their message, and no
 * person more than one: sends left "sending" by the dead worker are repeated with the same
 * idempotency key, which the gateway recognises.
 */
describe.each(DIALECTS)('a journeys worker killed with SIGKILL mid-send (%s)', (dialect) => {
  const cleanups: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c()
  })

  it('loses no message and sends none twice', async () => {
    const { url, cleanup } = await createEmptyDatabase(dialect)
    cleanups.push(cleanup)
    const sink = new WebhookSink()
    sink.delayMs = 15 // calls take a while, so the kill finds some in flight
    await sink.start()
    cleanups.push(() => sink.stop())

    // The API side, in this process: a workspace, a published journey, and people signing up.
    const ctx = await openContext({ databaseUrl: url, logger: silentLogger(), clock: systemClock })
    const app = await buildApp(ctx)
    cleanups.push(async () => {
      await app.close()
      await ctx.writer.close()
      await ctx.database.close()
    })
    const now = Date.now()
    const workspace = await createWorkspace(ctx.database.db, { name: 'crash', now })
    const source = await createSource(ctx.database.db, { workspaceId: workspace.id, name: 'web', now })
    const definition = validateDefinition({
      entry: { event: 'Signed Up' },
      start: 'welcome',
      nodes: [
        { id: 'welcome', type: 'send', channel: 'webhook', message: { text: 'Welcome, {{ traits.name }}' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    })
    if (definition.kind !== 'Valid') throw new Error('fixture journey is invalid')
    const journey = await createJourney(ctx.database.db, { workspaceId: workspace.id, name: 'Welcome', definition: definition.definition, now })
    await publishDraft(ctx.database.db, { workspaceId: workspace.id, journeyId: journey.id, now })
    const basic = `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`
    const batch = Array.from({ length: PEOPLE }, (_, i) => [
      { type: 'identify', userId: `person-${i}`, traits: { name: `Person ${i}` } },
      { type: 'track', userId: `person-${i}`, event: 'Signed Up' },
    ]).flat()
    const ingested = await app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic }, payload: { batch } })
    expect(ingested.statusCode).toBe(200)

    let worker = await startWorker(url, sink.url, 0)
    await until('deliveries under way', () => sink.deliveries.size >= PEOPLE / 4 && sink.inFlight > 0)
    worker.kill('SIGKILL')
    await new Promise((r) => worker.once('exit', r))
    expect(worker.signalCode).toBe('SIGKILL')
    const deliveredBeforeKill = new Set(sink.deliveries.keys())
    expect(deliveredBeforeKill.size).toBeLessThan(PEOPLE)

    const db = openDatabase(url)
    cleanups.push(() => db.close())
    const sendingAtKill = (await db.db.selectFrom('journey_sends').select('key').where('state', '=', 'sending').execute()).map((r) => r.key)

    // The restarted worker's clock is past the dead one's leases (60 s for jobs, 30 s for the log).
    worker = await startWorker(url, sink.url, 61_000)
    cleanups.push(async () => {
      if (worker.exitCode === null && worker.signalCode === null) {
        worker.kill('SIGTERM')
        await new Promise((r) => worker.once('exit', r))
      }
    })
    await until('every run to end', async () => {
      const open = await db.db.selectFrom('journey_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '!=', 'ended').executeTakeFirstOrThrow()
      const all = await db.db.selectFrom('journey_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      return Number(all.n) === PEOPLE && Number(open.n) === 0
    })

    // Nothing lost: every person has exactly one delivered message, with their name.
    const byProfile = new Map<string, string[]>()
    for (const d of sink.deliveries.values()) byProfile.set(d.message.profileId, [...(byProfile.get(d.message.profileId) ?? []), d.message.text!])
    expect(byProfile.size).toBe(PEOPLE)
    expect([...byProfile.values()].every((texts) => texts.length === 1 && /^Welcome, Person \d+$/.test(texts[0]!))).toBe(true)
    const states = await db.db.selectFrom('journey_sends').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute()
    expect(states.map((s) => [s.state, Number(s.n)])).toEqual([['sent', PEOPLE]])
    // The kill came mid-call: sends were left "sending". Those the gateway had already received were
    // repeated with the same key (and recognised); the others were sent once, after the restart.
    expect(sendingAtKill.length).toBeGreaterThan(0)
    for (const key of sendingAtKill) {
      expect(sink.deliveries.get(key)!.requests).toBe(deliveredBeforeKill.has(key) ? 2 : 1)
    }
    expect(sink.messagesReceived - sink.deliveries.size).toBe(sendingAtKill.filter((k) => deliveredBeforeKill.has(k)).length)
  }, 180_000)
})
