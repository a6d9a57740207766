import { Option } from 'commander'
import { DEFAULT_DATABASE_URL } from '../platform/index.ts'

/** `--database`, shared by every command that opens the database. */
export function databaseOption(): Option {
  return new Option('--database <url>', `database URL (sqlite:<file> or postgres://…)`).env('CHORUS_DATABASE_URL').default(DEFAULT_DATABASE_URL)
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}
