import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { JobQueue, JobWorker, ProcessorRunner, migrateToLatest, openDatabase, systemClock, type ChorusConfig, type Clock, type Database } from '../platform/index.ts'
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
    processors = new ProcessorRunner({ database: ctx.database, clock: ctx.clock, logger, processors: work.processors })
    const runner = processors
    // In one process, a commit wakes the processors at once instead of at their next poll.
    ctx.writer.onCommit(() => runner.poke())
    processors.start()
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
