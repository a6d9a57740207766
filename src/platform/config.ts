/**
 * Runtime configuration from flags and environment. Flags win over environment; both win over
 * defaults. Only what the process needs to start lives here; per-workspace settings live in the
 * database.
 */
export interface ChorusConfig {
  databaseUrl: string
  host: string
  port: number
  /** Seed the demo brand when the database has no events yet. */
  demo: boolean
  logLevel: string
  /** Which parts of Chorus this process runs. */
  role: 'all' | 'api' | 'worker'
}

export const DEFAULT_DATABASE_URL = 'sqlite:./.chorus/chorus.db'

export function resolveConfig(flags: Partial<ChorusConfig> = {}, env: NodeJS.ProcessEnv = process.env): ChorusConfig {
  return {
    databaseUrl: flags.databaseUrl ?? env.CHORUS_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    host: flags.host ?? env.CHORUS_HOST ?? '127.0.0.1',
    port: flags.port ?? (env.CHORUS_PORT ? Number(env.CHORUS_PORT) : 8080),
    demo: flags.demo ?? env.CHORUS_DEMO !== '0',
    logLevel: flags.logLevel ?? env.CHORUS_LOG_LEVEL ?? 'info',
    role: flags.role ?? (env.CHORUS_ROLE as ChorusConfig['role'] | undefined) ?? 'all',
  }
}
