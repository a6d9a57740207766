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

  // Last: it adds an event to the log the tests above count.
  it('goes again at once when poked during a pass that handled nothing, instead of waiting for the poll', async () => {
    const seen: number[] = []
    let inPass!: () => void
    const passUnderWay = new Promise<void>((resolve) => (inPass = resolve))
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    let gateCalls = 0
    // The second processor holds the first pass open after the first has read the whole log; that
    // pass then handles nothing (its batch fails), so only the poke can bring the next one forward.
    const gate: LogProcessor = {
      name: 'poke-gate',
      handle: async () => {
        if (gateCalls++ > 0) return
        inPass()
        await released
        throw new Error('the first batch fails')
      },
    }
    const runner = new ProcessorRunner({ database: t.database, clock, logger: silentLogger(), processors: [recorder('poke-reader', seen, 1_000), gate], pollMs: 3_600_000 })
    runner.start()
    try {
      await passUnderWay
      expect(seen).toHaveLength(250)
      // A commit, then a poke, as the ingest writer does. On PostgreSQL it lands while the pass is
      // held open; SQLite has one writer, so there it waits for the pass's transaction to end.
      const committed = insertRows(t.database.db, dialect, 'events', ['workspace_id', 'message_id', 'type', 'event', 'profile_id', 'part', 'user_id', 'anonymous_id', 'channel', 'timestamp', 'received_at', 'source_id', 'order_minor', 'order_currency', 'payload'], [
        ['ws', 'm-late', 'track', 'E', 'prf_0', virtualPartition('prf_0'), null, null, null, clock.now(), clock.now(), null, null, null, '{}'],
      ]).then(() => runner.poke())
      if (dialect === 'postgres') await committed
      release()
      await committed
      // The poll is an hour away: a generous wait, long enough for any machine, short of that.
      const deadline = Date.now() + 10_000
      while (seen.length < 251 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
      expect(seen).toHaveLength(251)
    } finally {
      await runner.stop()
    }
  })
})
