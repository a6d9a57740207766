import type { Logger } from 'pino'
import type { Clock, Database } from '../platform/index.ts'
import type { IngestMessage } from './message.ts'
import type { BatchOutcome, WorkspaceBatch } from './write-batch.ts'
import { inProcessExecutor, ThreadExecutor, type BatchExecutor } from './batch-executor.ts'

export interface WriteResult {
  stored: number
  duplicates: number
  suppressed: number
}

export type SubmitOutcome = { kind: 'Accepted'; done: Promise<WriteResult> } | { kind: 'Overloaded'; retryAfterSeconds: number }

interface Pending {
  workspaceId: string
  sourceId: string | null
  messages: IngestMessage[]
  resolve: (result: WriteResult) => void
  reject: (error: unknown) => void
}

export interface IngestWriterOptions {
  database: Database
  clock: Clock
  logger: Logger
  /** Most events in one transaction. */
  maxBatchEvents?: number
  /** Events waiting beyond this answer "overloaded" (HTTP 429) instead of growing memory. */
  maxPendingEvents?: number
  /** Where transactions run; by default a writer thread for SQLite files, in-process otherwise. */
  executor?: BatchExecutor
}

/**
 * The group-commit writer: every request's events wait in one queue; whenever the previous
 * transaction has committed, everything waiting (up to `maxBatchEvents`) is written in the next
 * one. A request is acknowledged only once the transaction holding its events has committed, so
 * nothing acknowledged is lost, and under load one fsync serves many requests.
 */
export class IngestWriter {
  readonly #executor: BatchExecutor
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #maxBatchEvents: number
  readonly #maxPendingEvents: number
  readonly #queue: Pending[] = []
  #pendingEvents = 0
  #flushing: Promise<void> | null = null
  #closed = false
  readonly #commitListeners = new Set<() => void>()

  constructor(options: IngestWriterOptions) {
    this.#executor =
      options.executor ??
      (options.database.dialect === 'sqlite' && !options.database.url.includes(':memory:')
        ? new ThreadExecutor({ url: options.database.url, logger: options.logger, checkpoints: options.database.checkpoints, writeLock: options.database.writeLock })
        : inProcessExecutor(options.database))
    this.#clock = options.clock
    this.#logger = options.logger
    this.#maxBatchEvents = options.maxBatchEvents ?? 5_000
    this.#maxPendingEvents = options.maxPendingEvents ?? 200_000
  }

  /** Called after every committed transaction (processors wake up on it). */
  onCommit(listener: () => void): () => void {
    this.#commitListeners.add(listener)
    return () => this.#commitListeners.delete(listener)
  }

  /** Events queued and not yet committed. */
  get pendingEvents(): number {
    return this.#pendingEvents
  }

  submit(workspaceId: string, sourceId: string | null, messages: IngestMessage[]): SubmitOutcome {
    if (this.#closed) throw new Error('IngestWriter is closed')
    if (this.#pendingEvents > 0 && this.#pendingEvents + messages.length > this.#maxPendingEvents) {
      return { kind: 'Overloaded', retryAfterSeconds: 1 }
    }
    const done = new Promise<WriteResult>((resolve, reject) => {
      this.#queue.push({ workspaceId, sourceId, messages, resolve, reject })
    })
    this.#pendingEvents += messages.length
    this.#kick()
    return { kind: 'Accepted', done }
  }

  /** Convenience for callers that wait anyway (imports, the demo, tests): waits out back-pressure. */
  async write(workspaceId: string, sourceId: string | null, messages: IngestMessage[]): Promise<WriteResult> {
    for (;;) {
      const outcome = this.submit(workspaceId, sourceId, messages)
      if (outcome.kind === 'Accepted') return outcome.done
      await (this.#flushing ?? Promise.resolve())
    }
  }

  /** Waits for everything queued, then refuses new work. */
  async close(): Promise<void> {
    while (this.#flushing) await this.#flushing
    this.#closed = true
    await this.#executor.close()
  }

  #kick(): void {
    if (this.#flushing || this.#queue.length === 0) return
    this.#flushing = this.#flushLoop().finally(() => {
      this.#flushing = null
      this.#kick()
    })
  }

  async #flushLoop(): Promise<void> {
    while (this.#queue.length > 0) {
      const group: Pending[] = []
      let events = 0
      while (this.#queue.length > 0 && (group.length === 0 || events + this.#queue[0]!.messages.length <= this.#maxBatchEvents)) {
        const next = this.#queue.shift()!
        group.push(next)
        events += next.messages.length
      }
      try {
        const outcomes = await this.#executor.execute(group.map(toBatch), this.#clock.now())
        group.forEach((p, i) => p.resolve(toResult(outcomes[i]!)))
        for (const listener of this.#commitListeners) listener()
      } catch (error) {
        this.#logger.error({ err: error, requests: group.length, events }, 'ingest transaction failed')
        for (const p of group) p.reject(error)
      } finally {
        this.#pendingEvents -= events
      }
    }
  }
}

function toBatch(p: Pending): WorkspaceBatch {
  return { workspaceId: p.workspaceId, sourceId: p.sourceId, messages: p.messages }
}

function toResult(o: BatchOutcome): WriteResult {
  return { stored: o.stored, duplicates: o.duplicates, suppressed: o.suppressed }
}
