import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts'
import { ManualClock } from '../clock.ts'
import { JobQueue } from './queue.ts'
import { JobWorker } from './worker.ts'
import { silentLogger } from '../logger.ts'

describe.each(DIALECTS)('JobQueue on %s', (dialect) => {
  let t: TestDatabase
  const clock = new ManualClock(Date.UTC(2026, 10, 1))
  let queue: JobQueue

  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    queue = new JobQueue({ database: t.database, clock })
  })
  afterAll(() => t.drop())

  it('removes every job a poll finished, keeps the one that failed for its retry, and frees their keys', async () => {
    for (const key of ['ok-1', 'ok-2', 'ok-3', 'bad']) await queue.enqueue({ kind: 'poll', dedupeKey: key, payload: { key } })
    const seen: string[] = []
    const worker = new JobWorker({
      queue,
      logger: silentLogger(),
      handlers: {
        poll: async (job) => {
          const { key } = job.payload as { key: string }
          seen.push(key)
          if (key === 'bad') throw new Error('provider down')
        },
      },
    })
    expect(await worker.runDue(10)).toBe(4)
    expect(seen.sort()).toEqual(['bad', 'ok-1', 'ok-2', 'ok-3'])
    const left = await t.database.db.selectFrom('jobs').select(['dedupe_key', 'attempts']).where('kind', '=', 'poll').execute()
    expect(left).toEqual([{ dedupe_key: 'bad', attempts: 1 }])
    expect(await queue.enqueue({ kind: 'poll', dedupeKey: 'ok-1', payload: { key: 'ok-1' } })).toBe(true)
  })

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
