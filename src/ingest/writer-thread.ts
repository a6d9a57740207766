import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '../platform/db/database.ts'
import type { WalCheckpoints } from '../platform/db/checkpointer.ts'
import { IdentityCache } from '../identity/cache.ts'
import { writeBatch, type WorkspaceBatch } from './write-batch.ts'

// The embedded database's writer thread: its own connection to the same file (WAL lets the main
// thread keep reading), running the writer's transactions one at a time.
const { url, checkpoints } = workerData as { url: string; checkpoints: WalCheckpoints }
const database = openDatabase(url, { checkpoints })
const port = parentPort!
const identityCache = new IdentityCache()

port.on('message', async (message: { kind: 'write'; id: number; batches: WorkspaceBatch[]; now: number }) => {
  try {
    const outcomes = await writeBatch({ database, now: message.now, batches: message.batches, identityCache })
    port.postMessage({ kind: 'done', id: message.id, outcomes })
  } catch (error) {
    port.postMessage({ kind: 'failed', id: message.id, error: (error as Error).message })
  }
})
port.postMessage({ kind: 'ready' })
