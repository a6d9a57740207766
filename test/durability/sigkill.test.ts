import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/platform/index.ts'
import { DIALECTS, createEmptyDatabase } from '../support/databases.ts'
import { runChorus, startServerProcess } from '../support/server-process.ts'

/**
 * A real `chorus serve` process is killed with SIGKILL while clients are sending batches. Every
 * event whose request was answered 200 must be in the log afterwards; requests that never got an
 * answer may or may not be.
 */
describe.each(DIALECTS)('a server killed with SIGKILL while ingesting (%s)', (dialect) => {
  const cleanups: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const c of cleanups) await c()
  })

  it('keeps every event it acknowledged', async () => {
    const { url: database, cleanup } = await createEmptyDatabase(dialect)
    cleanups.push(cleanup)
    const { writeKey } = JSON.parse(await runChorus(['init', '--database', database, '--json'])) as { writeKey: string }
    const server = await startServerProcess({ database })
    const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
    const acknowledged: string[] = []
    let sent = 0
    let killed = false

    const client = async (clientId: number) => {
      for (let n = 0; !killed; n++) {
        const ids = Array.from({ length: 50 }, (_, i) => `c${clientId}-b${n}-e${i}`)
        const body = JSON.stringify({ batch: ids.map((messageId, i) => ({ type: 'track', userId: `user-${(clientId * 7 + i) % 40}`, event: 'Product Viewed', messageId, properties: { i } })) })
        sent += ids.length
        try {
          const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body })
          if (res.status === 200) acknowledged.push(...ids)
          await res.arrayBuffer()
        } catch {
          return // the server is gone
        }
      }
    }
    const clients = Array.from({ length: 6 }, (_, i) => client(i))
    // Kill once a good amount has been acknowledged, while requests are in flight.
    while (acknowledged.length < 3_000) await new Promise((r) => setTimeout(r, 20))
    server.child.kill('SIGKILL')
    killed = true
    await Promise.all(clients)
    await server.stop()
    expect(server.child.signalCode).toBe('SIGKILL')

    const db = openDatabase(database)
    try {
      const stored = new Set<string>()
      for (const row of await db.db.selectFrom('events').select('message_id').execute()) stored.add(row.message_id)
      const lost = acknowledged.filter((id) => !stored.has(id))
      expect(lost).toEqual([])
      expect(acknowledged.length).toBeGreaterThanOrEqual(3_000)
      // Some requests were in flight when the process died: more was sent than acknowledged.
      expect(sent).toBeGreaterThan(acknowledged.length)
    } finally {
      await db.close()
    }
  }, 300_000)
})
