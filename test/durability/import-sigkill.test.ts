import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/platform/index.ts'
import { DIALECTS, createEmptyDatabase } from '../support/databases.ts'
import { runChorus, startServerProcess, type ServerProcess } from '../support/server-process.ts'

/**
 * A file accepted by `POST /api/v1/imports` (202) is acknowledged data: a real `chorus serve`
 * process is killed with SIGKILL in the middle of importing it, and the next process on the same
 * database resumes it from the uploaded copy. Every row must end up in the log exactly once.
 */
describe.each(DIALECTS)('an HTTP import whose server is killed with SIGKILL (%s)', (dialect) => {
  const cleanups: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c()
  })

  it('is resumed by the next server and stores every row exactly once', async () => {
    const { url: database, cleanup } = await createEmptyDatabase(dialect)
    cleanups.push(cleanup)
    const { adminToken, workspaceId } = JSON.parse(await runChorus(['init', '--database', database, '--json'])) as { adminToken: string; workspaceId: string }
    const headers = { authorization: `Bearer ${adminToken}` }
    const rows = 40_000
    // No messageIds in the file: each line's id comes from the file and the line.
    const file = Array.from({ length: rows }, (_, i) => JSON.stringify({ type: 'track', userId: `buyer-${i % 5_000}`, event: 'Order Completed', properties: { order_id: `o${i}`, total: 19.9 } })).join('\n')

    const first = await startServerProcess({ database })
    cleanups.push(() => first.stop())
    const accepted = await fetch(`${first.url}/api/v1/imports?name=orders.ndjson`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-ndjson' }, body: file })
    expect(accepted.status).toBe(202)
    const { id } = (await accepted.json()) as { id: string }
    const progress = async (server: ServerProcess) => (await (await fetch(`${server.url}/api/v1/imports/${id}`, { headers })).json()) as Record<string, unknown>
    for (;;) {
      const now = await progress(first)
      expect(now.state).not.toBe('done') // the file is large enough to be stopped halfway
      if (Number(now.rowsRead) >= 2_000) break
      await new Promise((r) => setTimeout(r, 25))
    }
    first.child.kill('SIGKILL')
    await first.stop()
    expect(first.child.signalCode).toBe('SIGKILL')

    const second = await startServerProcess({ database })
    cleanups.push(() => second.stop())
    let done: Record<string, unknown> = {}
    for (let i = 0; i < 1_200; i++) {
      done = await progress(second)
      if (done.state !== 'queued' && done.state !== 'running') break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(done).toMatchObject({ state: 'done', rowsRead: rows, rejected: 0, error: null })
    // Rows written after the last progress record were read again: duplicates, not doubles.
    expect(Number(done.stored) + Number(done.duplicates)).toBe(rows)
    expect(Number(done.stored)).toBeGreaterThan(0)

    const db = openDatabase(database)
    try {
      const stored = await db.db
        .selectFrom('events')
        .select((eb) => [eb.fn.countAll<number>().as('events'), eb.fn.count<number>('message_id').distinct().as('distinct')])
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow()
      expect({ events: Number(stored.events), distinct: Number(stored.distinct) }).toEqual({ events: rows, distinct: rows })
    } finally {
      await db.close()
    }
  }, 300_000)
})
