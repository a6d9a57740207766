import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../test/support/chorus.ts'

describe.each(DIALECTS)('measurement admin API (%s)', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const call = (ws: TestWorkspace, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    chorus.app.inject({ method, url: `/api/v1/measurement${url}`, headers: { ...ws.bearer, ...headers }, ...(payload === undefined ? {} : { payload: payload as string }) })

  it('documents its routes in the OpenAPI document', async () => {
    const res = await chorus.app.inject({ method: 'GET', url: '/api/openapi.json' })
    expect(res.statusCode).toBe(200)
    const paths = Object.keys(res.json().paths)
    for (const path of ['/api/v1/measurement/attribution', '/api/v1/measurement/roi', '/api/v1/measurement/channel-rules', '/api/v1/measurement/channel-rules/{id}', '/api/v1/measurement/conversions/{key}', '/api/v1/measurement/spend/csv']) {
      expect(paths).toContain(path)
    }
  })

  describe('channel rules', () => {
    const kolRule = { id: 'kol-links', name: 'Our KOL short links', when: [{ field: 'source', op: 'in', values: ['kol_xhs'] }], channel: 'xiaohongshu', group: 'paid_social' }
    const sample = { type: 'page', context: { campaign: { source: 'kol_xhs', medium: 'note' }, page: { url: 'https://shop.cn/?utm_source=kol_xhs', referrer: '' } } }

    it('starts from the defaults and lists them in evaluation order with a cursor', async () => {
      const ws = await newWorkspace(chorus)
      const first = (await call(ws, 'GET', '/channel-rules?limit=5')).json()
      expect(first).toMatchObject({ version: 0, isDefault: true, nextCursor: '5' })
      expect(first.items.map((r: { position: number }) => r.position)).toEqual([1, 2, 3, 4, 5])
      const rest = (await call(ws, 'GET', `/channel-rules?limit=1000&cursor=${first.nextCursor}`)).json()
      expect(rest.nextCursor).toBeNull()
      expect(rest.items.at(-1)).toMatchObject({ id: 'unassigned' })
    })

    it('adds a rule first, so it wins over the defaults; previews an event; moves, replaces and deletes it', async () => {
      const ws = await newWorkspace(chorus)
      expect((await call(ws, 'POST', '/channel-rules/preview', { event: sample })).json()).toMatchObject({ channel: 'kol_xhs', group: 'unassigned' })
      const created = await call(ws, 'POST', '/channel-rules', kolRule)
      expect(created.statusCode).toBe(201)
      expect(created.json()).toMatchObject({ position: 1, version: 1 })
      expect((await call(ws, 'POST', '/channel-rules/preview', { event: sample })).json()).toEqual({ touchpoint: true, kind: 'click', channel: 'xiaohongshu', group: 'paid_social', campaign: null, journey: null })

      expect((await call(ws, 'POST', '/channel-rules', kolRule)).statusCode).toBe(409)
      const moved = await call(ws, 'PUT', '/channel-rules/kol-links', { ...kolRule, id: undefined, position: 1000, version: 1 })
      expect(moved.statusCode).toBe(200)
      // At the end, the catch-all rules before it win again.
      expect((await call(ws, 'GET', '/channel-rules/kol-links')).json()).toMatchObject({ rule: { id: 'kol-links' }, version: 2 })
      expect((await call(ws, 'POST', '/channel-rules/preview', { event: sample })).json()).toMatchObject({ channel: 'kol_xhs' })

      const stale = await call(ws, 'PUT', '/channel-rules/kol-links', { ...kolRule, position: 1, version: 1 })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.code).toBe('VersionConflict')

      const invalid = await call(ws, 'PUT', '/channel-rules/kol-links', { name: 'x', when: [{ field: 'medium', op: 'matches', values: ['(cpc'] }], channel: 'a', group: 'paid_search' })
      expect(invalid.statusCode).toBe(400)
      expect(invalid.json().error.message).toContain('not a valid regular expression')

      expect((await call(ws, 'DELETE', '/channel-rules/kol-links')).json()).toMatchObject({ deleted: 'kol-links', version: 3 })
      expect((await call(ws, 'GET', '/channel-rules/kol-links')).statusCode).toBe(404)
      expect((await call(ws, 'DELETE', '/channel-rules/kol-links')).statusCode).toBe(404)
    })

    it('replaces the whole list, and reset brings the defaults back', async () => {
      const ws = await newWorkspace(chorus)
      const put = await call(ws, 'PUT', '/channel-rules', { rules: [kolRule, { id: 'rest', name: 'rest', when: [], channel: 'other', group: 'unassigned' }] })
      expect(put.statusCode).toBe(200)
      expect((await call(ws, 'GET', '/channel-rules')).json()).toMatchObject({ isDefault: false, version: 1, items: [{ id: 'kol-links' }, { id: 'rest' }] })
      const duplicate = await call(ws, 'PUT', '/channel-rules', { rules: [kolRule, kolRule] })
      expect(duplicate.statusCode).toBe(409)
      const reset = (await call(ws, 'POST', '/channel-rules/reset')).json()
      expect(reset).toMatchObject({ isDefault: true, version: 0 })
      expect(reset.items.length).toBeGreaterThan(100)
    })

    it('lets a viewer read but not edit', async () => {
      const viewer = await newWorkspace(chorus, 'viewer')
      expect((await call(viewer, 'GET', '/channel-rules')).statusCode).toBe(200)
      expect((await call(viewer, 'POST', '/channel-rules', kolRule)).statusCode).toBe(403)
    })
  })

  describe('conversions', () => {
    it('has the built-in purchase, and creates, replaces and deletes definitions', async () => {
      const ws = await newWorkspace(chorus)
      const list = (await call(ws, 'GET', '/conversions')).json()
      expect(list.items).toEqual([expect.objectContaining({ key: 'purchase', events: ['Order Completed'], value: { from: 'order_amount' }, lookbackDays: 30, builtIn: true, currency: 'CNY' })])
      const signup = { key: 'signup', name: 'Sign-up', events: ['Signed Up'], value: { from: 'none' }, lookbackDays: 7, touchpoints: ['click', 'message'] }
      expect((await call(ws, 'POST', '/conversions', signup)).statusCode).toBe(201)
      expect((await call(ws, 'POST', '/conversions', signup)).statusCode).toBe(409)
      const replaced = await call(ws, 'PUT', '/conversions/signup', { ...signup, key: undefined, lookbackDays: 14 })
      expect(replaced.statusCode).toBe(200)
      expect(replaced.json()).toMatchObject({ key: 'signup', lookbackDays: 14, builtIn: false })
      const purchase = await call(ws, 'PUT', '/conversions/purchase', { name: 'Paid orders over ¥10', events: ['Order Completed'], filters: [{ property: 'properties.total', op: 'gte', value: 10 }] })
      expect(purchase.statusCode).toBe(201)
      const page = (await call(ws, 'GET', '/conversions?limit=1')).json()
      expect(page.items.map((c: { key: string }) => c.key)).toEqual(['purchase'])
      expect((await call(ws, 'GET', `/conversions?limit=1&cursor=${page.nextCursor}`)).json().items.map((c: { key: string }) => c.key)).toEqual(['signup'])
      expect((await call(ws, 'DELETE', '/conversions/purchase')).statusCode).toBe(200)
      expect((await call(ws, 'GET', '/conversions/purchase')).json()).toMatchObject({ builtIn: true, name: 'Purchase' })
      expect((await call(ws, 'DELETE', '/conversions/signup')).statusCode).toBe(200)
      expect((await call(ws, 'GET', '/conversions/signup')).statusCode).toBe(404)
    })

    it('refuses a definition a person cannot have meant', async () => {
      const ws = await newWorkspace(chorus)
      const noEvents = await call(ws, 'POST', '/conversions', { key: 'x', name: 'x', events: [] })
      expect(noEvents.statusCode).toBe(400)
      expect(noEvents.json().error.message).toContain('name at least one event')
      const badFilter = await call(ws, 'PUT', '/conversions/x', { name: 'x', events: ['Order Completed'], filters: [{ property: 'total', op: 'gt', value: 1 }] })
      expect(badFilter.statusCode).toBe(400)
      expect(badFilter.json().error.message).toContain('starts with properties.')
      const badKey = await call(ws, 'PUT', '/conversions/Bad%20Key', { name: 'x', events: ['Order Completed'] })
      expect(badKey.statusCode).toBe(400)
    })
  })

  describe('spend', () => {
    it('imports rows as JSON and reports refused ones by index', async () => {
      const ws = await newWorkspace(chorus)
      const res = await call(ws, 'POST', '/spend', {
        rows: [
          { date: '2025-03-01', channel: 'douyin', campaign: 'launch', impressions: 1000, clicks: 12, costMinor: 15_000 },
          { date: '2025-03-01', channel: 'baidu', campaign: '品牌词', cost: '50.5' },
          { date: 'yesterday', channel: 'weibo', cost: 3 },
          { date: '2025-03-02', channel: 'weibo', costMinor: 1.5 },
        ],
      })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({
        rowsRead: 4,
        rowsAccepted: 2,
        rowsRejected: 2,
        stored: 2,
        replaced: 0,
        rejected: [
          { index: 2, reasons: ["date 'yesterday' is not a date (use YYYY-MM-DD)"] },
          { index: 3, reasons: ["costMinor '1.5' must be a whole number ≥ 0 of minor units (fen)"] },
        ],
      })
      const listed = (await call(ws, 'GET', '/spend?from=2025-03-01&to=2025-03-31')).json()
      expect(listed.items).toEqual([
        { date: '2025-03-01', channel: 'baidu_search', campaign: '品牌词', impressions: 0, clicks: 0, costMinor: 5050, currency: 'CNY' },
        { date: '2025-03-01', channel: 'douyin', campaign: 'launch', impressions: 1000, clicks: 12, costMinor: 15_000, currency: 'CNY' },
      ])
    })

    it('uploads a CSV export, reports bad rows by line, replaces days imported again', async () => {
      const ws = await newWorkspace(chorus)
      const csv = ['日期,计划名称,展示数,点击数,消耗(元)', '2025-03-01,新品上市,1000,10,150.00', '2025-03-02,新品上市,1000,10,n/a', '2025-03-03,新品上市,800,8,120.00'].join('\n')
      const upload = (body: string) => call(ws, 'POST', '/spend/csv?channel=douyin', body, { 'content-type': 'text/csv' })
      const first = await upload(csv)
      expect(first.statusCode).toBe(200)
      expect(first.json()).toMatchObject({ rowsRead: 3, rowsAccepted: 2, stored: 2, replaced: 0, rejected: [{ line: 3, reasons: ["cost 'n/a' is not an amount (e.g. 1234.50)"] }] })
      const again = (await upload(csv)).json()
      expect(again).toMatchObject({ stored: 2, replaced: 2 })
      const page1 = (await call(ws, 'GET', '/spend?from=2025-03-01&to=2025-03-31&limit=1')).json()
      expect(page1.items).toEqual([expect.objectContaining({ date: '2025-03-01', costMinor: 15_000 })])
      const page2 = (await call(ws, 'GET', `/spend?from=2025-03-01&to=2025-03-31&limit=1&cursor=${page1.nextCursor}`)).json()
      expect(page2).toEqual({ items: [expect.objectContaining({ date: '2025-03-03', costMinor: 12_000 })], nextCursor: null })
      expect((await call(ws, 'GET', '/spend?from=2025-03-01&to=2025-03-31&cursor=nonsense')).statusCode).toBe(400)

      const missing = await call(ws, 'POST', '/spend/csv', 'when,where\n1,2\n', { 'content-type': 'text/csv' })
      expect(missing.statusCode).toBe(400)
      expect(missing.json().error.message).toContain('the file has no date, cost, channel column')
      const nothing = await call(ws, 'POST', '/spend/csv?channel=douyin', 'date,cost\nx,y\n', { 'content-type': 'text/csv' })
      expect(nothing.statusCode).toBe(400)
      expect(nothing.json().error.details.rejected[0]).toMatchObject({ line: 2 })

      expect((await call(ws, 'DELETE', '/spend?from=2025-03-02&to=2025-03-31')).json()).toEqual({ deleted: 1 })
      expect((await call(ws, 'GET', '/spend?from=2025-03-01&to=2025-03-31')).json().items).toHaveLength(1)
    })
  })
})
