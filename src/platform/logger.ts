import { pino, type Logger } from 'pino'

export type { Logger }

export interface LoggerOptions {
  level?: string
  /** Write to stderr so that `--json` commands keep stdout clean for scripts. */
  destination?: 1 | 2
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    { level: options.level ?? process.env.CHORUS_LOG_LEVEL ?? 'info', base: undefined },
    pino.destination({ dest: options.destination ?? 2, sync: true }),
  )
}

/** A logger that discards everything; for tests and quiet commands. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
