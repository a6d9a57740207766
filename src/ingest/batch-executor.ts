import { Worker } from 'node:worker_threads'
import type { Logger } from 'pino'
import type { Database, WalCheckpoints, WriteLock } from '../platform/index.ts'
import { IdentityCache } from '../identity/cache.ts'
import { payloadJson } from './payload-json.ts'
import { writeBatch, type BatchOutcome, type WorkspaceBatch } from './write-batch.ts'

/**
 * Runs the writer's transactions. On PostgreSQL they run in-process (the database does the work
 * in its own processes). On the embedded database the SQL work itself is the cost, so it runs on
 * a dedicated thread with its own connection: parsing and validating the next requests overlaps
 * with writing the previous ones, using both cores of a small machine.
 */
export interface BatchExecutor {
  execute(batches: WorkspaceBatch[], now: number): Promise<BatchOutcome[]>
  close(): Promise<void>
}

export function inProcessExecutor(database: Database): BatchExecutor {
  const identityCache = new IdentityCache()
  return {
    execute: (batches, now) => writeBatch({ database, now, batches, identityCache }),
    close: async () => {},
  }
}

interface Pending {
  resolve: (outcomes: BatchOutcome[]) => void
  reject: (error: Error) => void
}

/** The writer thread for SQLite: one request in flight at a time (the writer queues behind it). */
export class ThreadExecutor implements BatchExecutor {
  readonly #url: string
  readonly #checkpoints: WalCheckpoints
  readonly #logger: Logger
  #worker: Worker | null = null
  #ready: Promise<void> | null = null
  #nextId = 1
  readonly #pending = new Map<number, Pending>()

  readonly #writeLock: WriteLock | undefined

  constructor(options: { url: string; logger: Logger; checkpoints?: WalCheckpoints; writeLock?: WriteLock }) {
    this.#url = options.url
    this.#writeLock = options.writeLock
    // The thread's connection leaves checkpoints to the process's checkpointer when there is one.
    this.#checkpoints = options.checkpoints === 'background' ? 'elsewhere' : (options.checkpoints ?? 'inline')
    this.#logger = options.logger
  }

  async execute(batches: WorkspaceBatch[], now: number): Promise<BatchOutcome[]> {
    const worker = await this.#start()
    const id = this.#nextId++
    // The payload travels as its JSON text (already computed to check the size limit); the
    // thread stores that text and never needs the object.
    const wire = batches.map((b) => ({ ...b, messages: b.messages.map((m) => ({ ...m, payload: {}, payloadJson: payloadJson(m) })) }))
    // The thread's transaction runs while this process holds the database's write lock, so the
    // main thread's own writes wait their turn without blocking its event loop.
    const release = (await this.#writeLock?.acquire()) ?? (() => {})
    // Keep the process alive while a write is in flight; an idle writer thread must not.
    worker.ref()
    return new Promise<BatchOutcome[]>((resolve, reject) => {
      this.#pending.set(id, {
        resolve: (outcomes) => {
          release()
          resolve(outcomes)
        },
        reject: (error) => {
          release()
          reject(error)
        },
      })
      worker.postMessage({ kind: 'write', id, batches: wire, now })
    })
  }

  async close(): Promise<void> {
    const worker = this.#worker
    this.#worker = null
    this.#ready = null
    if (worker) await worker.terminate()
  }

  #start(): Promise<Worker> {
    if (this.#worker && this.#ready) return this.#ready.then(() => this.#worker!)
    const worker = new Worker(new URL('./writer-thread.mjs', import.meta.url), {
      workerData: { url: this.#url, checkpoints: this.#checkpoints },
    })
    this.#worker = worker
    this.#ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { kind: string; error?: string }) => (m.kind === 'ready' ? resolve() : reject(new Error(m.error))))
      worker.once('error', reject)
    })
    worker.on('message', (m: { kind: string; id?: number; outcomes?: BatchOutcome[]; error?: string }) => {
      if (m.kind !== 'done' && m.kind !== 'failed') return
      const pending = this.#pending.get(m.id!)
      if (!pending) return
      this.#pending.delete(m.id!)
      if (this.#pending.size === 0) worker.unref()
      if (m.kind === 'done') pending.resolve(m.outcomes!)
      else pending.reject(new Error(m.error))
    })
    worker.on('exit', (code) => {
      if (this.#worker === worker) {
        this.#worker = null
        this.#ready = null
      }
      if (this.#pending.size > 0) this.#logger.error({ code }, 'ingest writer thread exited with requests in flight')
      for (const pending of this.#pending.values()) pending.reject(new Error(`ingest writer thread exited (${code})`))
      this.#pending.clear()
    })
    return this.#ready.then(() => worker)
  }
}
