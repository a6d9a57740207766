import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts'
import { ManualClock } from '../clock.ts'
import { silentLogger } from '../logger.ts'
import { insertRows } from '../db/bulk.ts'
import { ProcessorRunner, type LogProcessor } from './runner.ts'
import { virtualPartition } from './partition.ts'

describe.each(DIALECTS)('ProcessorRunner on %s', (dialect) => {
  let t: TestDatabase
  const clock = new ManualClock(Date.UTC(2026, 10, 1))
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    const rows = Array.from({ length: 250 }, (_, i) => {
      const profile = `prf_${i % 17}`
      return ['ws', `m${i}`, 'track', 'E', profile, virtualPartition(profile), null, null, null, clock.now() + i, clock.now(), null, null, null, '{}']
    })
    await insertRows(t.database.db, dialect, 'events', ['workspace_id', 'message_id', 'type', 'event', 'profile_id', 'part', 'user_id', 'anonymous_id', 'channel', 'timestamp', 'received_at', 'source_id', 'order_minor', 'order_currency', 'payload'], rows)
  })
  afterAll(() => t.drop())

  const recorder = (name: string, seen: number[], batchSize = 40): LogProcessor => ({
    name,
    batchSize,
    handle: async (events) => {
      seen.push(...events.map((e) => e.seq))
    },
  })

  it('hands every event to a processor exactly once across two workers, in order per partition group', async () => {
    const a: number[] = []
    const b: number[] = []
    const workerA = new ProcessorRunner({ database: t.database, clock, logger: silentLogger(), processors: [recorder('split', a)], groups: 4 })
    const workerB = new ProcessorRunner({ database: t.database, clock, logger: silentLogger(), processors: [recorder('split', b)], groups: 4 })
    // A takes every group's lease first; B finds them all held.
    await workerA.runOnce()
    await workerB.runOnce()
    expect(b).toEqual([])
    await workerA.drain()
    const all = [...a, ...b].sort((x, y) => x - y)
    expect(new Set(all).size).toBe(250)
    expect(all).toHaveLength(250)
  })

  it("lets another worker take over a dead worker's partitions from its cursor once the lease runs out", async () => {
    const first: number[] = []
    const second: number[] = []
    const dead = new ProcessorRunner({ database: t.database, clock, logger: silentLogger(), processors: [recorder('failover', first, 100)], leaseMs: 10_000 })
    await dead.runOnce() // handles 100 events, then "dies"
    const heir = new ProcessorRunner({ database: t.database, clock, logger: silentLogger(), processors: [recorder('failover', second, 100)], leaseMs: 10_000 })
    expect(await heir.drain()).toBe(0)
    clock.advance(10_001)
    expect(await heir.drain()).toBe(150)
    expect([...first, ...second]).toEqual([...first, ...second].sort((x, y) => x - y))
    expect(new Set([...first, ...second]).size).toBe(250)
  })

  it('does not advance the cursor when the handler fails, so the batch is retried', async () => {
    let calls = 0
    const seen: number[] = []
    const flaky: LogProcessor = {
      name: 'flaky',
      batchSize: 50,
      handle: async (events) => {
        calls++
        if (calls === 2) throw new Error('boom')
        seen.push(...events.map((e) => e.seq))
      },
    }
    const runner = new ProcessorRunner({ database: t.database, clock, logger: silentLogger(), processors: [flaky] })
    await runner.runOnce()
    await expect(runner.runOnce()).rejects.toThrow('boom')
    await runner.drain()
    expect(seen).toHaveLength(250)
    expect(new Set(seen).size).toBe(250)
  })
})
