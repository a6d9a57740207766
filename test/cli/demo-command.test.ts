import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/platform/index.ts'
import { runChorus, startServerProcess, type ServerProcess } from '../support/server-process.ts'

describe('chorus demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-demo-'))
  let server: ServerProcess | undefined
  afterAll(async () => {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('sends a small seeded brand through the tracking APIs and writes truth and spend files', async () => {
    const database = `sqlite:${join(dir, 'chorus.db')}`
    await runChorus(['init', '--database', database, '--json'])
    server = await startServerProcess({ database })
    const out = join(dir, 'demo')
    const report = JSON.parse(await runChorus(['demo', '--people', '150', '--days', '5', '--seed', '7', '--url', server.url, '--database', database, '--out', out, '--json']))
    expect(report).toMatchObject({ people: 150, days: 5, seed: 7, campaign: { created: true } })
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8'))
    expect(truth).toHaveProperty('channels')
    expect(readFileSync(join(out, 'spend.csv'), 'utf8').split('\n')[0]).toMatch(/date/)

    const db = openDatabase(database)
    try {
      const stored = await db.db.selectFrom('events').select((eb) => [eb.fn.countAll<number>().as('n')]).executeTakeFirstOrThrow()
      // Every event the simulation delivered is in the log; nothing was rejected.
      expect(report.server.rejected).toBe(0)
      expect(Number(stored.n)).toBe(report.events.total - report.server.duplicates)
      const orders = await db.db.selectFrom('events').select((eb) => eb.fn.count<number>('order_minor').as('n')).executeTakeFirstOrThrow()
      expect(Number(orders.n)).toBe(report.orders)
      const revenue = await db.db.selectFrom('events').select((eb) => eb.fn.sum<number>('order_minor').as('total')).executeTakeFirstOrThrow()
      expect(Number(revenue.total)).toBe(report.revenueMinor)
      // The launch campaign was planned over that traffic.
      const campaigns = await db.db.selectFrom('campaigns').select(['id', 'status']).execute()
      expect(campaigns).toEqual([{ id: report.campaign.campaignId, status: 'finished' }])
    } finally {
      await db.close()
    }
  }, 300_000)
})
