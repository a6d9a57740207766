import type { Logger } from 'pino'
import type { Job, JobQueue } from './queue.ts'
import { newId } from '../ids.ts'

export type JobHandler = (job: Job) => Promise<void | { reschedule: number }>

/**
 * Polls the job table and runs handlers. A handler that returns `{ reschedule }` re-arms its own
 * job (periodic work); one that throws is retried with backoff.
 */
export class JobWorker {
  readonly #queue: JobQueue
  readonly #handlers: Map<string, JobHandler>
  readonly #logger: Logger
  readonly #id = newId('wrk')
  readonly #pollMs: number
  #timer: NodeJS.Timeout | null = null
  #running: Promise<void> | null = null
  #stopped = true

  constructor(options: { queue: JobQueue; handlers: Record<string, JobHandler>; logger: Logger; pollMs?: number }) {
    this.#queue = options.queue
    this.#handlers = new Map(Object.entries(options.handlers))
    this.#logger = options.logger
    this.#pollMs = options.pollMs ?? 500
  }

  start(): void {
    this.#stopped = false
    this.#schedule(0)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    await this.#running
  }

  /** Runs every due job once; returns how many ran. Tests call this instead of `start()`. */
  async runDue(limit = 100): Promise<number> {
    const jobs = await this.#queue.claim({ kinds: [...this.#handlers.keys()], worker: this.#id, limit, leaseMs: 60_000 })
    // Finished jobs are deleted together once the poll's jobs have run: one statement instead of
    // one per job. A crash before that re-runs them after their lease, as a crash between a
    // handler and its completion always could; handlers are written to be run again.
    const done: Job[] = []
    try {
      for (const job of jobs) {
        const handler = this.#handlers.get(job.kind)!
        try {
          const result = await handler(job)
          if (result && 'reschedule' in result) await this.#queue.reschedule(job, result.reschedule)
          else done.push(job)
        } catch (error) {
          const outcome = await this.#queue.fail(job, error)
          this.#logger.warn({ err: error, job: job.kind, key: job.dedupeKey, outcome }, 'job failed')
        }
      }
    } finally {
      await this.#queue.completeAll(done)
    }
    return jobs.length
  }

  #schedule(delay: number): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#running = this.runDue()
        .catch((error) => this.#logger.error({ err: error }, 'job worker poll failed'))
        .then((ran) => this.#schedule(ran ? 0 : this.#pollMs))
    }, delay)
    this.#timer.unref()
  }
}
