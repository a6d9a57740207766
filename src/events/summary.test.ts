import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProcessorRunner, silentLogger } from '../platform/index.ts'
import { DIALECTS } from '../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../test/support/chorus.ts'
import { eventCountProcessor } from './index.ts'

describe.each(DIALECTS)('GET /api/v1/events/summary (%s)', (dialect) => {
  let chorus: TestChorus
  let runner: ProcessorRunner
  beforeAll(async () => {
    // 2026-11-20 16:00 in Shanghai, the default workspace time zone.
    chorus = await startTestChorus(dialect, { start: Date.UTC(2026, 10, 20, 8, 0, 0) })
    runner = new ProcessorRunner({ database: chorus.ctx.database, clock: chorus.clock, logger: silentLogger(), processors: [eventCountProcessor()] })
  })
  afterAll(() => chorus.close())

  const send = async (ws: TestWorkspace, batch: object[]) => {
    const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch } })
    expect(res.statusCode).toBe(200)
    await runner.drain()
  }
  const summary = (ws: TestWorkspace, from: string, to: string, headers: Record<string, string> = ws.bearer) =>
    chorus.app.inject({ method: 'GET', url: `/api/v1/events/summary?from=${from}&to=${to}`, headers })

  const day = [
    // 10:00 on the 20th in Shanghai: a paid search landing.
    { type: 'page', userId: 'u1', timestamp: '2026-11-20T02:00:00Z', context: { campaign: { source: 'baidu', medium: 'cpc' }, page: { url: 'https://shop.cn/?utm_source=baidu&utm_medium=cpc', referrer: 'https://www.baidu.com/s?wd=tea' } } },
    { type: 'track', userId: 'u1', event: 'Message Delivered', timestamp: '2026-11-20T03:00:00Z', properties: { channel: 'sms' } },
    { type: 'track', userId: 'u1', event: 'Message Clicked', timestamp: '2026-11-20T03:05:00Z', properties: { channel: 'sms' } },
    { type: 'track', userId: 'u1', event: 'Product Viewed', timestamp: '2026-11-20T03:06:00Z', properties: { sku: 'tea-1' } },
    // 00:30 on the 20th in Shanghai (still the 19th in UTC): a direct visit.
    { type: 'page', userId: 'u2', timestamp: '2026-11-19T16:30:00Z', context: { page: { url: 'https://shop.cn/', referrer: '' } } },
    // 23:30 on the 19th in Shanghai.
    { type: 'track', userId: 'u2', event: 'Product Viewed', timestamp: '2026-11-19T15:30:00Z', properties: { sku: 'tea-2' } },
  ]

  it("counts a day's events per channel as the channel grouping rules name them, days in the workspace time zone", async () => {
    const ws = await newWorkspace(chorus)
    await send(ws, day)
    const res = await summary(ws, '2026-11-20', '2026-11-20')
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ from: '2026-11-20', to: '2026-11-20', timeZone: 'Asia/Shanghai', total: 5 })
    const preview = async (event: object) => (await chorus.app.inject({ method: 'POST', url: '/api/v1/measurement/channel-rules/preview', headers: ws.bearer, payload: { event } })).json()
    const search = await preview(day[0]!)
    const direct = await preview(day[4]!)
    expect(body.byChannel).toEqual(
      expect.arrayContaining([
        { channel: 'sms', group: 'sms', events: 2 },
        { channel: search.channel, group: search.group, events: 1 },
        { channel: direct.channel, group: direct.group, events: 1 },
      ]),
    )
    expect(body.byChannel.at(-1)).toEqual({ channel: null, group: null, events: 1 })
    expect(body.byChannel).toHaveLength(4)
    expect(body.byChannel[0]).toEqual({ channel: 'sms', group: 'sms', events: 2 })

    const before = (await summary(ws, '2026-11-19', '2026-11-19')).json()
    expect(before).toMatchObject({ total: 1, byChannel: [{ channel: null, group: null, events: 1 }] })
    expect((await summary(ws, '2026-11-19', '2026-11-20')).json().total).toBe(6)
  })

  it('adds events that arrive later to the counts already kept', async () => {
    const ws = await newWorkspace(chorus)
    await send(ws, day.slice(0, 2))
    expect((await summary(ws, '2026-11-20', '2026-11-20')).json().total).toBe(2)
    await send(ws, day.slice(2))
    const body = (await summary(ws, '2026-11-20', '2026-11-20')).json()
    expect(body.total).toBe(5)
    expect(body.byChannel[0]).toEqual({ channel: 'sms', group: 'sms', events: 2 })
  })

  it('adds up the same when the log is worked in partition groups, as several workers do', async () => {
    const ws = await newWorkspace(chorus)
    const people = Array.from({ length: 12 }, (_, i) => `p${i}`)
    const batch = people.flatMap((userId) => day.map((event) => ({ ...event, userId })))
    const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch } })
    expect(res.statusCode).toBe(200)
    // Only this runner, with four groups, has read these events: the single-group runner has not run since.
    const grouped = new ProcessorRunner({ database: chorus.ctx.database, clock: chorus.clock, logger: silentLogger(), processors: [{ ...eventCountProcessor(), name: 'event-counts-grouped-test' }], groups: 4 })
    await grouped.drain()
    await runner.drain()
    // Both processors wrote to the same table: every event is counted twice, once by each.
    const body = (await summary(ws, '2026-11-20', '2026-11-20')).json()
    expect(body.total).toBe(2 * 5 * people.length)
    expect(body.byChannel[0]).toEqual({ channel: 'sms', group: 'sms', events: 2 * 2 * people.length })
  })

  it('applies an edited channel rule to events counted before the edit', async () => {
    const ws = await newWorkspace(chorus)
    await send(ws, day)
    const rule = { id: 'texts', name: 'Our SMS as text messages', when: [{ field: 'messageChannel', op: 'in', values: ['sms'] }], channel: 'text_message', group: 'sms' }
    const created = await chorus.app.inject({ method: 'POST', url: '/api/v1/measurement/channel-rules', headers: ws.bearer, payload: rule })
    expect(created.statusCode).toBe(201)
    const body = (await summary(ws, '2026-11-20', '2026-11-20')).json()
    expect(body.byChannel[0]).toEqual({ channel: 'text_message', group: 'sms', events: 2 })
    expect(body.byChannel.map((r: { channel: string | null }) => r.channel)).not.toContain('sms')
  })

  it("answers with one workspace's events only, and zero with nothing logged", async () => {
    const busy = await newWorkspace(chorus)
    await send(busy, day)
    const quiet = await newWorkspace(chorus)
    expect((await summary(quiet, '2026-11-20', '2026-11-20')).json()).toMatchObject({ total: 0, byChannel: [] })
  })

  it('lets a viewer read, and refuses a caller without a token', async () => {
    const viewer = await newWorkspace(chorus, 'viewer')
    expect((await summary(viewer, '2026-11-20', '2026-11-20')).statusCode).toBe(200)
    const anonymous = await summary(viewer, '2026-11-20', '2026-11-20', {})
    expect(anonymous.statusCode).toBe(401)
  })

  it('refuses dates that are not days, and a range that ends before it starts', async () => {
    const ws = await newWorkspace(chorus)
    const notADate = await summary(ws, 'yesterday', '2026-11-20')
    expect(notADate.statusCode).toBe(400)
    expect(notADate.json().error.message).toContain('YYYY-MM-DD')
    const noSuchDay = await summary(ws, '2026-02-30', '2026-03-01')
    expect(noSuchDay.statusCode).toBe(400)
    expect(noSuchDay.json().error.message).toContain("'2026-02-30' is not a date")
    const backwards = await summary(ws, '2026-11-20', '2026-11-19')
    expect(backwards.statusCode).toBe(400)
    expect(backwards.json().error.message).toContain('the period is empty')
  })

  it('is described in the OpenAPI document', async () => {
    const doc = (await chorus.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    expect(doc.paths['/api/v1/events/summary'].get.description).toContain('per channel')
  })
})
