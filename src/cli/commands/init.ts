import type { Command } from 'commander'
import { migrateToLatest, openDatabase, systemClock } from '../../platform/index.ts'
import { createAdminToken, ensureDefaultWorkspace } from '../../workspaces/index.ts'
import { databaseOption, printJson } from '../options.ts'

/**
 * `chorus init`: creates the `default` workspace and its first source when absent, and a new
 * admin token on every call. Scripts rely on `--json` printing exactly
 * {"workspaceId", "writeKey", "adminToken"}.
 */
export function register(program: Command): void {
  program
    .command('init')
    .description('create the default workspace and source (if absent) and print a write key and a new admin token')
    .addOption(databaseOption())
    .option('--json', 'print JSON only')
    .action(async (options: { database: string; json?: boolean }) => {
      const database = openDatabase(options.database)
      try {
        await migrateToLatest(database)
        const now = systemClock.now()
        const { workspace, source, created } = await ensureDefaultWorkspace(database.db, now)
        const { token } = await createAdminToken(database.db, { workspaceId: workspace.id, name: 'chorus init', role: 'admin', now })
        if (options.json) {
          printJson({ workspaceId: workspace.id, writeKey: source.writeKey, adminToken: token })
          return
        }
        console.log(created ? `Created workspace "default" (${workspace.id}).` : `Workspace "default" (${workspace.id}) already exists.`)
        console.log(`Write key (for SDKs):        ${source.writeKey}`)
        console.log(`Admin token (for /api/v1):   ${token}`)
        console.log('The admin token is shown once; store it somewhere safe.')
      } finally {
        await database.close()
      }
    })
}
