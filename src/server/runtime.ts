import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { JobQueue, JobWorker, ProcessorRunner, migrateToLatest, openDatabase, systemClock, type ChorusConfig, type Clock, type Database, type LogProcessor } from '../platform/index.ts'
import { IngestWriter } from '../ingest/writer.ts'
import { backgroundWork } from './background.ts'
import { eraseChannelData } from '../channels/index.ts'
import { WriteKeyCache } from '../workspaces/index.ts'
import type { AppContext } from './context.ts'
import { buildApp } from './app.ts'

export interface RunningChorus {
  ctx: AppContext
  app: FastifyInstance | null
  worker: JobWorker | null
  /** Where the API listens, e.g. http://127.0.0.1:8080 (null for a worker-only process). */
  url: string | null
  stop(): Promise<void>
}

/** Opens the database (migrating it), builds the context every module gets. */
export async function openContext(options: { databaseUrl: string; logger: Logger; clock?: Clock; database?: Database }): Promise<AppContext> {
  const database = options.database ?? openDatabase(options.databaseUrl, { checkpoints: 'background' })
  await migrateToLatest(database)
  const clock = options.clock ?? systemClock
  return {
    database,
    clock,
    logger: options.logger,
    writer: new IngestWriter({ database, clock, logger: options.logger }),
    writeKeys: new WriteKeyCache({ db: database.db, clock }),
    jobs: new JobQueue({ database, clock }),
    privacyErasers: [eraseChannelData],
  }
}

/**
 * Runs log processors in this process: each polls the log every `pollMs` (the runner's default
 * unless given), and every commit of this process's ingest writer wakes them at once, so an event
 * is handled as soon as it is stored rather than at the next poll.
 */
export function startProcessors(ctx: AppContext, processors: LogProcessor[], options: { pollMs?: number } = {}): ProcessorRunner {
  const runner = new ProcessorRunner({ database: ctx.database, clock: ctx.clock, logger: ctx.logger, processors, ...options })
  ctx.writer.onCommit(() => runner.poke())
  runner.start()
  return runner
}

/**
 * Starts what the role asks for: the HTTP API (`api`), the background workers (`worker`), or
 * both in one process (`all`, the embedded default).
 */
export async function startChorus(config: ChorusConfig, logger: Logger, options: { clock?: Clock } = {}): Promise<RunningChorus> {
  const ctx = await openContext({ databaseUrl: config.databaseUrl, logger, clock: options.clock })
  let app: FastifyInstance | null = null
  let url: string | null = null
  let worker: JobWorker | null = null

  let processors: ProcessorRunner | null = null
  if (config.role !== 'api') {
    const work = backgroundWork(ctx)
    worker = new JobWorker({ queue: ctx.jobs, logger, handlers: work.jobHandlers })
    for (const job of work.periodicJobs) await ctx.jobs.enqueue({ ...job, payload: {} })
    worker.start()
    processors = startProcessors(ctx, work.processors)
  }
  if (config.role !== 'worker') {
    app = await buildApp(ctx)
    url = await app.listen({ host: config.host, port: config.port })
  }

  let stopping: Promise<void> | null = null
  const stop = () =>
    (stopping ??= (async () => {
      await app?.close()
      await processors?.stop()
      await worker?.stop()
      await ctx.writer.close()
      await ctx.database.close()
    })())
  return { ctx, app, worker, url, stop }
}
