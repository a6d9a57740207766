import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { buildApp } from '../../src/server/app.ts'
import { existsSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createImport, markImportRunning } from '../../src/ingest/import/import-store.ts'
import { ImportRunner } from '../../src/ingest/import/import-runner.ts'
import { importFile } from '../../src/ingest/import/import-file.ts'

// A small limit, so the over-the-limit refusal needs only a few kilobytes.
process.env.CHORUS_IMPORT_MAX_BYTES = '65536'

const ORDERS =
  '订单号,手机号,下单时间,实付金额\n' +
  'A1001,13800138000,2026-10-01 12:30:00,199.00\n' +
  'A1002,13800138000,2026-10-02 09:00:00\n' +
  'A1003,13900000000,2026-10-02 10:00:00,59.90\n'
const ORDER_MAP = 'messageId=订单号,phone=手机号,anonymousId=手机号,timestamp=下单时间,properties.total=实付金额'

/** Whether the file is gone within a second: a finished import's file is removed just after its state is written. */
async function removedSoon(path: string): Promise<boolean> {
  for (let i = 0; i < 100 && existsSync(path); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  return !existsSync(path)
}

/** An import owner as a process on this host records it, for a process that has ended. */
async function deadProcessOwner(): Promise<string> {
  const child = spawn(process.execPath, ['-e', ''])
  await once(child, 'exit')
  return [hostname(), child.pid, 'ended'].join('|')
}

describe.each(DIALECTS)('POST /api/v1/imports on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const upload = (ws: TestWorkspace, query: Record<string, string>, body: string, contentType = 'text/csv', headers: Record<string, string> = ws.bearer) =>
    chorus.app.inject({ method: 'POST', url: `/api/v1/imports?${new URLSearchParams(query)}`, headers: { ...headers, 'content-type': contentType }, payload: body })

  async function finished(ws: TestWorkspace, id: string) {
    for (let i = 0; i < 500; i++) {
      const res = await chorus.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: ws.bearer })
      expect(res.statusCode).toBe(200)
      const body = res.json()
      if (body.state !== 'queued' && body.state !== 'running') return body
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error(`import ${id} did not finish`)
  }

  const eventCount = async (ws: TestWorkspace) =>
    Number((await chorus.ctx.database.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).where('workspace_id', '=', ws.workspaceId).executeTakeFirstOrThrow()).n)
  const importCount = async (ws: TestWorkspace) =>
    Number((await chorus.ctx.database.db.selectFrom('imports').select((eb) => eb.fn.countAll().as('n')).where('workspace_id', '=', ws.workspaceId).executeTakeFirstOrThrow()).n)

  it('imports a CSV through a column mapping, answering 202 at once and reporting the bad line by number', async () => {
    const ws = await newWorkspace(chorus, 'marketer')
    const res = await upload(ws, { name: 'orders.csv', map: ORDER_MAP, event: 'Order Completed', timezone: 'Asia/Shanghai' }, ORDERS)
    expect(res.statusCode).toBe(202)
    const accepted = res.json()
    expect(accepted).toMatchObject({ name: 'orders.csv', format: 'csv', bytesTotal: Buffer.byteLength(ORDERS), settings: { map: ORDER_MAP, type: 'track', event: 'Order Completed', timezone: 'Asia/Shanghai' } })
    expect(accepted.id).toMatch(/^imp_/)
    expect(['queued', 'running', 'done']).toContain(accepted.state)

    const done = await finished(ws, accepted.id)
    expect(done).toMatchObject({ state: 'done', rowsRead: 3, stored: 2, rejected: 1, duplicates: 0, bytesRead: Buffer.byteLength(ORDERS), error: null })
    expect(done.rejections).toEqual([{ line: 3, reason: 'has 3 fields; the header has 4' }])
    expect(done.finishedAt).not.toBeNull()
    expect(await eventCount(ws)).toBe(2)
    const profile = (await chorus.app.inject({ method: 'GET', url: '/api/v1/profiles/lookup?type=phone&value=13800138000', headers: ws.bearer })).json()
    expect(profile).toMatchObject({ orderCount: 1, lifetimeRevenue: { amountMinor: 19900, currency: 'CNY' }, firstSeen: '2026-10-01T04:30:00.000Z' })
  })

  it('stores the rows of the same file sent again once', async () => {
    const ws = await newWorkspace(chorus)
    const csv = 'user,amount\nu1,10\nu2,20\n'
    const first = await finished(ws, (await upload(ws, { name: 'spend.csv', map: 'userId=user,properties.amount=amount', event: 'Paid' }, csv)).json().id)
    const again = await finished(ws, (await upload(ws, { name: 'spend.csv', map: 'userId=user,properties.amount=amount', event: 'Paid' }, csv)).json().id)
    expect(first).toMatchObject({ stored: 2, duplicates: 0 })
    expect(again).toMatchObject({ stored: 0, duplicates: 2 })
    expect(await eventCount(ws)).toBe(2)
  })

  it('imports NDJSON calls and lists imports newest first, a page at a time', async () => {
    const ws = await newWorkspace(chorus)
    const ndjson = [JSON.stringify({ type: 'track', event: 'Signed Up', userId: 'n1', messageId: 'n-1' }), '{ broken', JSON.stringify({ type: 'identify', userId: 'n1', traits: { plan: 'pro' }, messageId: 'n-2' })].join('\n')
    const ids: string[] = []
    for (const name of ['a.ndjson', 'b.ndjson', 'c.ndjson']) {
      const res = await upload(ws, { name }, ndjson, 'application/x-ndjson')
      expect(res.statusCode).toBe(202)
      ids.push(res.json().id)
      chorus.clock.advance(1000)
    }
    const last = await finished(ws, ids[2]!)
    expect(last).toMatchObject({ format: 'ndjson', rowsRead: 3, rejected: 1, rejections: [{ line: 2 }] })
    const page1 = (await chorus.app.inject({ method: 'GET', url: '/api/v1/imports?limit=2', headers: ws.bearer })).json()
    expect(page1.items.map((i: { name: string }) => i.name)).toEqual(['c.ndjson', 'b.ndjson'])
    const page2 = (await chorus.app.inject({ method: 'GET', url: `/api/v1/imports?limit=2&cursor=${page1.nextCursor}`, headers: ws.bearer })).json()
    expect(page2).toEqual({ items: [expect.objectContaining({ name: 'a.ndjson' })], nextCursor: null })
  })

  it('refuses a viewer and an analyst, and lets them read the list', async () => {
    for (const role of ['viewer', 'analyst'] as const) {
      const ws = await newWorkspace(chorus, role)
      const res = await upload(ws, { name: 'orders.csv', map: ORDER_MAP, event: 'Order Completed' }, ORDERS)
      expect(res.statusCode).toBe(403)
      expect(res.json().error.message).toBe(`The ${role} role may not write here`)
      expect(await importCount(ws)).toBe(0)
      expect((await chorus.app.inject({ method: 'GET', url: '/api/v1/imports', headers: ws.bearer })).json()).toEqual({ items: [], nextCursor: null })
    }
  })

  it('refuses bad input with a clear message and writes nothing', async () => {
    const ws = await newWorkspace(chorus)
    const cases: Array<[Record<string, string>, string, string, number, RegExp]> = [
      [{ format: 'xml' }, ORDERS, 'text/csv', 400, /format/],
      [{ name: 'upload.bin' }, ORDERS, 'application/octet-stream', 400, /format=csv or format=ndjson/],
      [{ map: 'colour=手机号', event: 'Order Completed' }, ORDERS, 'text/csv', 400, /unknown mapping target "colour"/],
      [{ map: 'userId=buyer', event: 'Order Completed' }, ORDERS, 'text/csv', 400, /"buyer", not in the file's header: 订单号, 手机号, 下单时间, 实付金额/],
      [{ map: ORDER_MAP }, ORDERS, 'text/csv', 400, /needs an event name/],
      [{ map: 'phone=手机号,timestamp=下单时间', event: 'Order Completed' }, ORDERS, 'text/csv', 400, /Every row needs a userId or anonymousId/],
      [{ map: ORDER_MAP, event: 'Order Completed', timezone: 'Mars/Olympus' }, ORDERS, 'text/csv', 400, /Unknown time zone/],
      [{ map: ORDER_MAP, event: 'Order Completed' }, '', 'text/csv', 400, /empty/],
      [{ format: 'ndjson', map: ORDER_MAP }, '{}', 'application/x-ndjson', 400, /CSV files only/],
      [{ map: ORDER_MAP, event: 'Order Completed' }, ORDERS, 'text/plain', 415, /Content-Type text\/csv/],
      [{ map: ORDER_MAP, event: 'Order Completed' }, ORDERS + `A9,13800138000,2026-10-03 10:00:00,1.00\n`.repeat(2000), 'text/csv', 413, /larger than the import limit of 64 KB/],
    ]
    for (const [query, body, type, status, message] of cases) {
      const res = await upload(ws, query, body, type)
      expect({ query, status: res.statusCode }).toEqual({ query, status })
      expect(res.json().error.message).toMatch(message)
    }
    expect(await importCount(ws)).toBe(0)
    expect(await eventCount(ws)).toBe(0)
  })

  it('refuses an upload over the limit sent without a Content-Length', async () => {
    const ws = await newWorkspace(chorus)
    const { Readable } = await import('node:stream')
    const big = 'user,amount\n' + 'u1,10\n'.repeat(20_000)
    const res = await chorus.app.inject({
      method: 'POST',
      url: '/api/v1/imports?event=Paid&map=userId%3Duser',
      headers: { ...ws.bearer, 'content-type': 'text/csv' },
      payload: Readable.from([Buffer.from(big)]),
    })
    expect(res.statusCode).toBe(413)
    expect(res.json().error.message).toBe('The file is larger than the import limit of 64 KB')
    expect(await importCount(ws)).toBe(0)
  })

  it('hands an import back with its file when the process is stopping, and the next process resumes it', async () => {
    const ws = await newWorkspace(chorus)
    const db = chorus.ctx.database.db
    const path = join(tmpdir(), `chorus-import-stopping-${dialect}.csv`)
    writeFileSync(path, ORDERS)
    const stopping = new ImportRunner({ database: chorus.ctx.database, writer: chorus.ctx.writer, clock: chorus.clock, logger: chorus.ctx.logger })
    const id = await createImport(db, { workspaceId: ws.workspaceId, name: 'orders.csv', format: 'csv', settings: { map: ORDER_MAP, event: 'Order Completed' }, bytesTotal: ORDERS.length, tempPath: path, createdBy: 'test', now: chorus.clock.now(), owner: stopping.owner })
    await stopping.close()
    stopping.enqueue({ id, workspaceId: ws.workspaceId, name: 'orders.csv', format: 'csv', settings: { map: ORDER_MAP, event: 'Order Completed' }, tempPath: path })
    await stopping.close()
    const handedBack = await db.selectFrom('imports').select(['state', 'rows_read', 'error', 'temp_path']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(handedBack).toEqual({ state: 'queued', rows_read: expect.anything(), error: null, temp_path: path })
    expect(Number(handedBack.rows_read)).toBe(0)
    expect(existsSync(path)).toBe(true)
    expect(await eventCount(ws)).toBe(0)

    // A live process (here the server's own runner, which looks whenever imports are read) finds
    // it with its file and runs it.
    const done = await finished(ws, id)
    expect(done).toMatchObject({ state: 'done', rowsRead: 3, stored: 2, rejected: 1, duplicates: 0 })
    expect(await removedSoon(path)).toBe(true)
    expect(await eventCount(ws)).toBe(2)
  })

  it('resumes an import whose process died from the first row not yet recorded, storing no row twice', async () => {
    const ws = await newWorkspace(chorus)
    const db = chorus.ctx.database.db
    const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ type: 'track', userId: `buyer-${i}`, event: 'Order Completed', properties: { total: 10 + i } }))
    lines.splice(5, 0, '{not json')
    const text = `${lines.join('\n')}\n`
    const path = join(tmpdir(), `chorus-import-crashed-${dialect}.ndjson`)
    writeFileSync(path, text)
    // Before dying, its process wrote the first batch of 3 rows; its last progress record says 2.
    const stop = new AbortController()
    const first = await importFile({ file: path, name: 'orders.ndjson', format: 'ndjson', workspaceId: ws.workspaceId, sourceId: null, writer: chorus.ctx.writer, now: () => chorus.clock.now(), batchSize: 3, signal: stop.signal, onProgress: () => stop.abort() })
    expect(first).toMatchObject({ rowsRead: 3, stored: 3 })
    expect(await eventCount(ws)).toBe(3)
    const runner = new ImportRunner({ database: chorus.ctx.database, writer: chorus.ctx.writer, clock: chorus.clock, logger: chorus.ctx.logger })
    try {
      // Made as a live runner's, then, in one statement, as its dead process left it.
      const id = await createImport(db, { workspaceId: ws.workspaceId, name: 'orders.ndjson', format: 'ndjson', settings: {}, bytesTotal: Buffer.byteLength(text), tempPath: path, createdBy: 'test', now: chorus.clock.now(), owner: runner.owner })
      await db.updateTable('imports').set({ state: 'running', started_at: chorus.clock.now(), rows_read: 2, stored: 2, owner: await deadProcessOwner() }).where('id', '=', id).execute()

      // Its heartbeat is fresh, but its process is gone: this runner (or the server's own, which
      // looks every few seconds) resumes it without waiting for the heartbeat to go stale.
      await runner.adoptUnfinished()
      const done = await finished(ws, id)
      expect(done).toMatchObject({ state: 'done', rowsRead: 11, stored: 9, duplicates: 1, rejected: 1, rejections: [{ line: 6, reason: expect.stringMatching(/not valid JSON/) }] })
      expect(await eventCount(ws)).toBe(10)
      expect(await removedSoon(path)).toBe(true)
    } finally {
      await runner.close()
    }
  })

  it('is described in the OpenAPI document', async () => {
    const doc = (await chorus.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    expect(doc.paths['/api/v1/imports'].post.description).toMatch(/raw request body/)
    expect(doc.paths['/api/v1/imports'].post.parameters.map((p: { name: string }) => p.name)).toEqual(['format', 'name', 'map', 'type', 'event', 'timezone'])
    expect(doc.paths['/api/v1/imports/{id}'].get.description).toMatch(/interrupted/)
  })

  it('marks an import left running by a stopped process as interrupted at the next start', async () => {
    const ws = await newWorkspace(chorus)
    const db = chorus.ctx.database.db
    const then = chorus.clock.now() - 5 * 60_000
    const id = await createImport(db, { workspaceId: ws.workspaceId, name: 'big.csv', format: 'csv', settings: {}, bytesTotal: 1000, tempPath: '/nonexistent/chorus-import-gone.csv', createdBy: 'test', now: then })
    await markImportRunning(db, id, null, then)
    const restarted = await buildApp(chorus.ctx)
    try {
      const row = await db.selectFrom('imports').select(['state', 'error', 'temp_path']).where('id', '=', id).executeTakeFirstOrThrow()
      expect(row).toEqual({ state: 'interrupted', error: expect.stringMatching(/send the file again/), temp_path: null })
    } finally {
      await restarted.close()
    }
    const shown = (await chorus.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: ws.bearer })).json()
    expect(shown).toMatchObject({ state: 'interrupted', name: 'big.csv' })
  })
})
