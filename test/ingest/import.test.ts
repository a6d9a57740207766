import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus } from '../support/chorus.ts'
import { importFile } from '../../src/ingest/import/import-file.ts'
import { parseMapping } from '../../src/ingest/import/column-mapping.ts'
import { readCsvRows } from '../../src/ingest/import/csv-rows.ts'

async function* chunks(...parts: string[]) {
  yield* parts
}

describe('readCsvRows', () => {
  it('handles quotes, escaped quotes, CRLF and newlines inside quoted fields across chunk boundaries', async () => {
    const rows = []
    for await (const row of readCsvRows(chunks('a,b\r\n"x, y","he said ""hi"""\r\n"multi', '\nline",2\n3,4'))) rows.push(row)
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'he said "hi"'] },
      { line: 3, fields: ['multi\nline', '2'] },
      { line: 5, fields: ['3', '4'] },
    ])
  })
})

describe('parseMapping', () => {
  it('names the problem in a bad mapping', () => {
    expect(() => parseMapping('userId')).toThrow(/target=column/)
    expect(() => parseMapping('colour=c')).toThrow(/unknown mapping target "colour"/)
  })
})

describe.each(DIALECTS)('importFile on %s', (dialect) => {
  let chorus: TestChorus
  const dir = mkdtempSync(join(tmpdir(), 'chorus-import-'))
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(async () => {
    await chorus.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const run = (workspaceId: string, file: string, extra: Partial<Parameters<typeof importFile>[0]> = {}) =>
    importFile({ file, format: file.endsWith('.csv') ? 'csv' : 'ndjson', workspaceId, sourceId: null, writer: chorus.ctx.writer, now: () => chorus.clock.now(), ...extra })

  it('imports NDJSON calls, keeps their historical timestamps, reports bad lines by number and stores a re-import once', async () => {
    const ws = await newWorkspace(chorus)
    const file = join(dir, `calls-${dialect}.ndjson`)
    writeFileSync(
      file,
      [
        JSON.stringify({ type: 'identify', userId: 'imp-1', traits: { email: 'imp@example.com' }, timestamp: '2025-03-01T10:00:00Z', messageId: 'i-1' }),
        '{ not json',
        JSON.stringify({ type: 'track', event: 'Order Completed', userId: 'imp-1', properties: { total: 42 }, timestamp: '2025-03-02T10:00:00Z', messageId: 'i-2' }),
        '',
        JSON.stringify({ type: 'track', userId: 'imp-1', messageId: 'i-3' }),
      ].join('\n'),
    )
    const report = await run(ws.workspaceId, file)
    expect(report).toMatchObject({ rowsRead: 4, stored: 2, rejected: 2, duplicates: 0 })
    expect(report.rejections.map((r) => r.line)).toEqual([2, 5])
    expect(report.rejections[1]!.reason).toMatch(/event/)
    const events = await chorus.ctx.database.db.selectFrom('events').select(['timestamp']).where('workspace_id', '=', ws.workspaceId).orderBy('seq').execute()
    expect(events.map((e) => new Date(e.timestamp).toISOString())).toEqual(['2025-03-01T10:00:00.000Z', '2025-03-02T10:00:00.000Z'])
    const again = await run(ws.workspaceId, file)
    expect(again).toMatchObject({ stored: 0, duplicates: 2 })
  })

  it('imports a store order export through a column mapping, reading local times in the shop’s zone', async () => {
    const ws = await newWorkspace(chorus)
    const file = join(dir, `orders-${dialect}.csv`)
    writeFileSync(
      file,
      '\uFEFF订单号,手机号,下单时间,实付金额,门店\n' +
        'A1001,138 0013 8000,2026-10-01 12:30:00,199.00,"上海, 静安店"\n' +
        'A1002,13800138000,2026-10-02 09:00:00,59.90,杭州店\n' +
        'A1003,13900000000,2026-10-02 10:00:00\n',
    )
    const report = await run(ws.workspaceId, file, {
      mapping: parseMapping('messageId=订单号,phone=手机号,anonymousId=手机号,timestamp=下单时间,properties.total=实付金额,properties.store=门店,properties.order_id=订单号'),
      event: 'Order Completed',
      timeZone: 'Asia/Shanghai',
    })
    expect(report).toMatchObject({ rowsRead: 3, stored: 2, rejected: 1 })
    expect(report.rejections).toEqual([{ line: 4, reason: 'has 3 fields; the header has 5' }])
    const profile = (await chorus.app.inject({ method: 'GET', url: '/api/v1/profiles/lookup?type=phone&value=13800138000', headers: ws.bearer })).json()
    expect(profile).toMatchObject({ orderCount: 2, lifetimeRevenue: { amountMinor: 25890, currency: 'CNY' }, firstSeen: '2026-10-01T04:30:00.000Z' })
  })
})
