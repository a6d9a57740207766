import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { AUDIENCE_SWEEP_JOB, audienceMembers, isMember } from '../../src/audiences/index.ts'
import { JobWorker, silentLogger, type ProcessorRunner } from '../../src/platform/index.ts'
import { backgroundWork } from '../../src/server/background.ts'
import { startProcessors } from '../../src/server/runtime.ts'
import { startTestChorus } from '../support/chorus.ts'
import { DAY, iso, newWorkspace, startAudienceHarness, workspaceClient, type AudienceHarness } from './harness.ts'

describe.each(DIALECTS)('real-time audience membership on %s', (dialect) => {
  let h: AudienceHarness
  beforeAll(async () => {
    h = await startAudienceHarness(dialect)
  })
  afterAll(() => h.close())

  const client = async () => workspaceClient(h, await newWorkspace(h.chorus))
  const order = (userId: string, total: number, at = h.chorus.clock.now()) => ({ type: 'track', userId, event: 'Order Completed', timestamp: iso(at), properties: { total } })

  it('moves a person into an audience when the processor handles the event, and records the entry once', async () => {
    const c = await client()
    await c.send([order('ann', 320)])
    const audience = await c.create('Two big orders', {
      performed: { event: 'Order Completed', where: [{ property: 'total', op: 'gte', value: 300 }], count: { op: '>=', value: 2 }, within: '30d' },
    })
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual([])

    await c.send([order('ann', 99)]) // too small to count
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual([])

    await c.send([order('ann', 450)])
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual(['ann'])
    const ann = await c.profileId('ann')
    expect(await c.membershipEvents(audience)).toEqual([{ event: 'Audience Entered', profileId: ann, properties: { audienceId: audience, audienceName: 'Two big orders' } }])

    // Handling the log again, a recompute, and another qualifying order change nothing.
    await c.send([order('ann', 300)])
    await h.runner.drain()
    expect((await c.api('POST', `/audiences/${audience}/recompute`)).statusCode).toBe(202)
    await h.worker.runDue()
    await h.runner.drain()
    expect(await c.membershipEvents(audience)).toHaveLength(1)
    expect(await isMember(h.chorus.ctx.database.db, c.ws.workspaceId, audience, ann)).toBe(true)
  })

  it('takes a person out when a trait changes, with one exit event', async () => {
    const c = await client()
    await c.send([{ type: 'identify', userId: 'bob', traits: { plan: 'pro' } }, { type: 'identify', userId: 'cai', traits: { plan: 'pro' } }])
    const audience = await c.create('Pro', { trait: 'plan', op: 'equals', value: 'pro' })
    expect(await c.memberUserIds(audience)).toEqual(['bob', 'cai'])
    await c.send([{ type: 'identify', userId: 'bob', traits: { plan: 'free' } }])
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual(['cai'])
    const events = await c.membershipEvents(audience)
    expect(events.map((e) => e.event)).toEqual(['Audience Entered', 'Audience Entered', 'Audience Exited'])
    expect(events[2]!.profileId).toBe(await c.profileId('bob'))
  })

  it('admits a new person to an audience that needs no event at all', async () => {
    const c = await client()
    const audience = await c.create('Never ordered', { notPerformed: { event: 'Order Completed' } })
    await c.send([{ type: 'track', userId: 'dan', event: 'App Opened' }])
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual(['dan'])
  })

  it('admits people to "no purchase in 30 days" when the clock passes the boundary, without a new event', async () => {
    const c = await client()
    const clock = h.chorus.clock
    const start = clock.now()
    await c.send([order('eve', 120, start - 10 * DAY), order('fay', 80, start - 2 * DAY), { type: 'track', userId: 'gus', event: 'App Opened' }])
    const audience = await c.create('Lapsed', { notPerformed: { event: 'Order Completed', within: '30d' } })
    expect(await c.memberUserIds(audience)).toEqual(['gus'])
    await h.chorus.ctx.jobs.enqueue({ kind: AUDIENCE_SWEEP_JOB, dedupeKey: AUDIENCE_SWEEP_JOB, payload: {} })
    await h.worker.runDue()
    // Eve's order leaves the window at start + 20 days: too far ahead, so the next check is the hourly one.
    const nextCheck = async () => (await c.api('GET', `/audiences/${audience}`)).json().nextCheckAt
    expect(await nextCheck()).toBe(iso(start + 3_600_000))

    // Within the hour before the boundary, the next check is the boundary itself.
    clock.set(start + 20 * DAY - 1_800_000)
    await h.worker.runDue()
    const boundary = start - 10 * DAY + 30 * DAY + 1
    expect(await nextCheck()).toBe(iso(boundary))
    clock.set(boundary - 1) // eve's order is exactly 30 days old: still inside the window
    await h.worker.runDue()
    expect(await c.memberUserIds(audience)).toEqual(['gus'])
    clock.set(start + 20 * DAY + 60_000)
    await h.worker.runDue()
    expect(await c.memberUserIds(audience)).toEqual(['eve', 'gus'])

    clock.set(start + 28 * DAY + 60_000)
    await h.worker.runDue()
    expect(await c.memberUserIds(audience)).toEqual(['eve', 'fay', 'gus'])

    // A purchase takes eve out at once, through the processor.
    await c.send([order('eve', 60)])
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual(['fay', 'gus'])
    const events = await c.membershipEvents(audience)
    const eve = await c.profileId('eve')
    expect(events.filter((e) => e.profileId === eve).map((e) => e.event)).toEqual(['Audience Entered', 'Audience Exited'])
  })

  it('keeps membership on the surviving profile when two profiles merge', async () => {
    const c = await client()
    await c.send([{ type: 'identify', userId: 'hal', traits: { name: 'Hal' } }])
    const audience = await c.create('Viewed a product', { performed: { event: 'Product Viewed' } })
    h.chorus.clock.advance(60_000) // the anonymous profile is the younger one, so it is merged away
    await c.send([{ type: 'track', anonymousId: 'anon-hal', event: 'Product Viewed' }])
    await h.runner.drain()
    const anonymous = (await h.chorus.ctx.database.db.selectFrom('identities').select('profile_id').where('workspace_id', '=', c.ws.workspaceId).where('value', '=', 'anon-hal').executeTakeFirstOrThrow()).profile_id
    expect(await audienceMembers(h.chorus.ctx.database.db, c.ws.workspaceId, audience, { after: null, limit: 10 })).toEqual([anonymous])

    await c.send([{ type: 'identify', userId: 'hal', anonymousId: 'anon-hal' }])
    await h.runner.drain()
    const hal = await c.profileId('hal')
    expect(hal).not.toBe(anonymous)
    expect(await audienceMembers(h.chorus.ctx.database.db, c.ws.workspaceId, audience, { after: null, limit: 10 })).toEqual([hal])
    expect(await isMember(h.chorus.ctx.database.db, c.ws.workspaceId, audience, anonymous)).toBe(true)
    expect((await c.membershipEvents(audience)).map((e) => [e.event, e.profileId])).toEqual([
      ['Audience Entered', anonymous],
      ['Audience Exited', anonymous],
      ['Audience Entered', hal],
    ])
  })

  it('updates an audience that reads another in the same pass', async () => {
    const c = await client()
    await c.send([{ type: 'identify', userId: 'ivy', traits: { plan: 'free' } }, order('ivy', 500)])
    const pro = await c.create('Pro', { trait: 'plan', op: 'equals', value: 'pro' })
    const proBuyers = await c.create('Pro buyers', { all: [{ audience: pro }, { performed: { event: 'Order Completed' } }] })
    expect(await c.memberUserIds(proBuyers)).toEqual([])
    await c.send([{ type: 'identify', userId: 'ivy', traits: { plan: 'pro' } }])
    await h.runner.drain()
    expect(await c.memberUserIds(pro)).toEqual(['ivy'])
    expect(await c.memberUserIds(proBuyers)).toEqual(['ivy'])
    expect((await c.membershipEvents(proBuyers)).map((e) => e.event)).toEqual(['Audience Entered'])
  })

  it('leaves a paused audience as it was until it is resumed', async () => {
    const c = await client()
    await c.send([{ type: 'identify', userId: 'jo', traits: { plan: 'free' } }])
    const audience = await c.create('Pro', { trait: 'plan', op: 'equals', value: 'pro' })
    expect((await c.api('PATCH', `/audiences/${audience}`, { status: 'paused' })).statusCode).toBe(200)
    await c.send([{ type: 'identify', userId: 'jo', traits: { plan: 'pro' } }])
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual([])
    const resumed = await c.api('PATCH', `/audiences/${audience}`, { status: 'active' })
    expect(resumed.json().recompute.status).toBe('queued')
    await h.worker.runDue()
    expect(await c.memberUserIds(audience)).toEqual(['jo'])
  })

  it('forgets a deleted person without writing anything new about them', async () => {
    const c = await client()
    await c.send([{ type: 'identify', userId: 'kim', traits: { plan: 'pro' } }, { type: 'identify', userId: 'lea', traits: { plan: 'pro' } }])
    const audience = await c.create('Pro', { trait: 'plan', op: 'equals', value: 'pro' })
    const kim = await c.profileId('kim')
    expect((await c.api('DELETE', `/profiles/${kim}`)).statusCode).toBe(200)
    expect(await c.memberUserIds(audience)).toEqual(['lea'])
    expect((await c.api('GET', `/audiences/${audience}`)).json().size).toBe(1)
    expect(await isMember(h.chorus.ctx.database.db, c.ws.workspaceId, audience, kim)).toBe(false)
    await c.api('POST', `/audiences/${audience}/recompute`)
    await h.worker.runDue()
    const rows = await h.chorus.ctx.database.db.selectFrom('audience_members').select('profile_id').where('audience_id', '=', audience).execute()
    expect(rows.map((r) => r.profile_id)).toEqual([await c.profileId('lea')])
    const aboutKim = await h.chorus.ctx.database.db.selectFrom('events').select('event').where('profile_id', '=', kim).execute()
    expect(aboutKim).toEqual([])
  })
})

/**
 * Membership follows an event at once: the processors run as `chorus serve` runs them, woken by
 * the ingest writer's commit, with their poll far too slow to explain the entry and no job worker
 * running (so no periodic sweep either).
 */
describe.each(DIALECTS)('real-time audience membership in a running process on %s', (dialect) => {
  let h: AudienceHarness
  beforeAll(async () => {
    const chorus = await startTestChorus(dialect)
    const runner: ProcessorRunner = startProcessors(chorus.ctx, backgroundWork(chorus.ctx).processors, { pollMs: 3_600_000 })
    // Runs only the audience's first evaluation, by hand: nothing else runs jobs here.
    const worker = new JobWorker({ queue: chorus.ctx.jobs, handlers: backgroundWork(chorus.ctx).jobHandlers, logger: silentLogger() })
    h = {
      chorus,
      runner,
      worker,
      async close() {
        await runner.stop()
        await chorus.close()
      },
    }
  })
  afterAll(() => h.close())

  it('makes a person a member within a second of the batch being answered', async () => {
    const c = workspaceClient(h, await newWorkspace(h.chorus))
    await c.send([{ type: 'identify', userId: 'ivy', traits: { name: '林薇' } }])
    const audience = await c.create('Big spenders', { performed: { event: 'Order Completed', where: [{ property: 'total', op: 'gte', value: 300 }] } })
    expect(await c.memberUserIds(audience)).toEqual([])

    await c.send([{ type: 'track', userId: 'ivy', event: 'Order Completed', properties: { total: 520 } }])
    const answered = Date.now()
    const ivy = await c.profileId('ivy')
    for (;;) {
      const entered = (await c.membershipEvents(audience)).filter((e) => e.event === 'Audience Entered')
      if ((await isMember(h.chorus.ctx.database.db, c.ws.workspaceId, audience, ivy)) && entered.length > 0) {
        expect(entered.map((e) => e.profileId)).toEqual([ivy])
        break
      }
      if (Date.now() - answered > 1_000) throw new Error('the person was not a member with an Audience Entered event within 1 s of the batch being answered')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(await c.memberUserIds(audience)).toEqual(['ivy'])
  })
})
