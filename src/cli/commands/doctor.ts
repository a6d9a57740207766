import type { Command } from 'commander'
import { sql } from 'kysely'
import { openDatabase, migrateToLatest } from '../../platform/index.ts'
import { databaseOption } from '../options.ts'

interface Check {
  name: string
  ok: boolean
  detail: string
}

/** `chorus doctor`: what must hold for Chorus to run here, each with a fix when it does not. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('check Node.js, native modules and the database')
    .addOption(databaseOption())
    .action(async (options: { database: string }) => {
      const checks: Check[] = []
      const [major, minor] = process.versions.node.split('.').map(Number) as [number, number]
      const nodeOk = major > 20 || (major === 20 && minor >= 19)
      checks.push({ name: 'Node.js >= 20.19', ok: nodeOk, detail: nodeOk ? process.version : `${process.version}: install Node.js 20.19 or newer` })
      try {
        const { default: BetterSqlite3 } = await import('better-sqlite3')
        const probe = new BetterSqlite3(':memory:')
        const version = (probe.prepare('select sqlite_version() as v').get() as { v: string }).v
        probe.close()
        checks.push({ name: 'native module better-sqlite3', ok: true, detail: `SQLite ${version}` })
      } catch (error) {
        checks.push({ name: 'native module better-sqlite3', ok: false, detail: `${(error as Error).message}: run "npm rebuild better-sqlite3"` })
      }
      try {
        const database = openDatabase(options.database)
        try {
          await sql`select 1`.execute(database.db)
          const result = await migrateToLatest(database)
          const applied = result.results?.filter((r) => r.status === 'Success').length ?? 0
          checks.push({ name: `database ${redact(options.database)}`, ok: true, detail: applied ? `reachable; applied ${applied} migrations` : 'reachable; schema up to date' })
        } finally {
          await database.close()
        }
      } catch (error) {
        checks.push({ name: `database ${redact(options.database)}`, ok: false, detail: `${(error as Error).message}: check --database / CHORUS_DATABASE_URL and that the server is running` })
      }
      for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`)
      if (checks.some((c) => !c.ok)) process.exitCode = 1
    })
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')
}
