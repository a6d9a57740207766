import { Worker } from 'node:worker_threads'

/**
 * How an embedded database's write-ahead log is copied back into the database file.
 * - `inline`: SQLite's default — the commit that takes the log past 1,000 pages does it, and
 *   waits for the copy and its fsync.
 * - `background`: a thread of its own checkpoints every ~100 ms; commits never wait for it, and
 *   the writers fall back to doing it themselves only if the log passes 20,000 pages (80 MB).
 * - `elsewhere`: like `background`, for a second connection in a process whose first one already
 *   runs the checkpointer (the ingest writer thread).
 */
export type WalCheckpoints = 'inline' | 'background' | 'elsewhere'

/** Log pages after which a committing writer checkpoints itself when a checkpointer runs. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 20_000

/**
 * The checkpointer thread: checkpoints move whole pages back into the file and fsync it, which
 * on the ingest path cost more than the inserts themselves. Off that path they overlap with the
 * next transactions instead of stalling them.
 */
export class WalCheckpointer {
  readonly #worker: Worker

  constructor(options: { filename: string; synchronous: 'FULL' | 'NORMAL'; intervalMs?: number; onError?: (message: string) => void }) {
    this.#worker = new Worker(new URL('./checkpointer-thread.mjs', import.meta.url), {
      workerData: { filename: options.filename, synchronous: options.synchronous, intervalMs: options.intervalMs ?? 100 },
    })
    // A checkpointer must never keep a finished process alive.
    this.#worker.unref()
    this.#worker.on('message', (m: { kind: string; message?: string }) => {
      if (m.kind === 'error') options.onError?.(m.message ?? '')
    })
  }

  /** Runs a last checkpoint and ends the thread. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()))
    this.#worker.postMessage('stop')
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))])
    await this.#worker.terminate()
  }
}
