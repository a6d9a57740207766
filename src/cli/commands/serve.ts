import type { Command } from 'commander'
import { createLogger, resolveConfig, type ChorusConfig } from '../../platform/index.ts'
import { startChorus } from '../../server/runtime.ts'
import { createAdminToken, ensureDefaultWorkspace } from '../../workspaces/index.ts'
import { databaseOption } from '../options.ts'
import { seedDemoIfEmpty } from '../demo-seed.ts'
import { warmDashboardReads } from '../../measurement/index.ts'

/** `chorus serve`: the API, workers and dashboard in one process (or one role of them). */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run Chorus: tracking and admin API, background workers')
    .addOption(databaseOption())
    .option('--port <port>', 'HTTP port', (v) => parsePort(v), undefined)
    .option('--host <host>', 'address to listen on', undefined)
    .option('--role <role>', 'all (default), api (stateless HTTP) or worker (background work)', undefined)
    .option('--no-demo', 'do not seed the demo brand into an empty database')
    .action(async (options: { database: string; port?: number; host?: string; role?: string; demo: boolean }) => {
      if (options.role && !['all', 'api', 'worker'].includes(options.role)) throw new Error(`--role must be all, api or worker, not "${options.role}"`)
      const config: ChorusConfig = resolveConfig({
        databaseUrl: options.database,
        port: options.port,
        host: options.host,
        role: options.role as ChorusConfig['role'] | undefined,
        demo: options.demo === false ? false : undefined,
      })
      const logger = createLogger({ level: config.logLevel })
      const chorus = await startChorus(config, logger)
      const { workspace, source, created } = await ensureDefaultWorkspace(chorus.ctx.database.db, chorus.ctx.clock.now())
      logger.info({ url: chorus.url, database: redact(config.databaseUrl), role: config.role }, 'Chorus is running')
      if (chorus.url) console.log(`Chorus is listening on ${chorus.url} (database ${redact(config.databaseUrl)}, role ${config.role})`)
      if (created) {
        const { token } = await createAdminToken(chorus.ctx.database.db, { workspaceId: workspace.id, name: 'first start', role: 'admin', now: chorus.ctx.clock.now() })
        console.log(`Created workspace "default". Write key: ${source.writeKey}`)
        console.log(`Admin token (shown once): ${token}`)
      }
      const shutdown = async (signal: string) => {
        logger.info({ signal }, 'stopping')
        await chorus.stop()
        process.exit(0)
      }
      process.once('SIGINT', () => void shutdown('SIGINT'))
      process.once('SIGTERM', () => void shutdown('SIGTERM'))
      let seeded: Promise<void> = Promise.resolve()
      if (config.demo && chorus.url && config.role === 'all') {
        seeded = seedDemoIfEmpty({ ctx: chorus.ctx, baseUrl: chorus.url, writeKey: source.writeKey, workspaceId: workspace.id, logger }).catch((error) =>
          logger.error({ err: error }, 'demo seeding failed'),
        )
      }
      if (config.role !== 'worker') {
        // The dashboard's first reads, made here once the log holds what it will hold at start.
        void seeded
          .then(async () => {
            const workspaces = await chorus.ctx.database.db.selectFrom('workspaces').select('id').execute()
            await warmDashboardReads({ database: chorus.ctx.database, workspaceIds: workspaces.map((w) => w.id), now: chorus.ctx.clock.now(), logger })
          })
          .catch((error) => logger.warn({ err: error }, 'could not warm the dashboard reads'))
      }
    })
}

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${value}"`)
  return port
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')
}
