import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts'
import { ManualClock } from '../clock.ts'
import { JobQueue } from './queue.ts'

describe.each(DIALECTS)('JobQueue on %s', (dialect) => {
  let t: TestDatabase
  const clock = new ManualClock(Date.UTC(2026, 10, 1))
  let queue: JobQueue

  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    queue = new JobQueue({ database: t.database, clock })
  })
  afterAll(() => t.drop())

  it('enqueues a dedupe key once', async () => {
    expect(await queue.enqueue({ kind: 'k', dedupeKey: 'once', payload: { a: 1 } })).toBe(true)
    expect(await queue.enqueue({ kind: 'k', dedupeKey: 'once', payload: { a: 2 } })).toBe(false)
    const jobs = await queue.claim({ kinds: ['k'], worker: 'w1', limit: 10, leaseMs: 1000 })
    expect(jobs.map((j) => j.payload)).toEqual([{ a: 1 }])
    await queue.complete(jobs[0]!)
  })

  it('does not hand a leased job to a second worker until the lease expires', async () => {
    await queue.enqueue({ kind: 'lease', dedupeKey: 'lease-1', payload: {} })
    const first = await queue.claim({ kinds: ['lease'], worker: 'w1', limit: 10, leaseMs: 5000 })
    expect(first).toHaveLength(1)
    expect(await queue.claim({ kinds: ['lease'], worker: 'w2', limit: 10, leaseMs: 5000 })).toHaveLength(0)
    clock.advance(5001)
    const again = await queue.claim({ kinds: ['lease'], worker: 'w2', limit: 10, leaseMs: 5000 })
    expect(again.map((j) => j.attempts)).toEqual([2])
    await queue.complete(again[0]!)
  })

  it('holds a job until its run time and retries a failure with backoff', async () => {
    await queue.enqueue({ kind: 'later', dedupeKey: 'later-1', payload: {}, runAt: clock.now() + 60_000 })
    expect(await queue.claim({ kinds: ['later'], worker: 'w', limit: 1, leaseMs: 1000 })).toHaveLength(0)
    clock.advance(60_000)
    const [job] = await queue.claim({ kinds: ['later'], worker: 'w', limit: 1, leaseMs: 1000 })
    expect(await queue.fail(job!, new Error('provider down'))).toBe('retrying')
    expect(await queue.claim({ kinds: ['later'], worker: 'w', limit: 1, leaseMs: 1000 })).toHaveLength(0)
    clock.advance(1000)
    expect(await queue.claim({ kinds: ['later'], worker: 'w', limit: 1, leaseMs: 1000 })).toHaveLength(1)
  })
})
