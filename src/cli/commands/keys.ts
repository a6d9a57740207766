import type { Command } from 'commander'
import { migrateToLatest, openDatabase, systemClock, type Database } from '../../platform/index.ts'
import { ROLES, createAdminToken, createSource, ensureDefaultWorkspace, listSources, type Role } from '../../workspaces/index.ts'
import { databaseOption, printJson } from '../options.ts'

/** `chorus keys`: write keys for sources, and admin tokens with a role. */
export function register(program: Command): void {
  const keys = program.command('keys').description('manage write keys and admin tokens of the default workspace')

  keys
    .command('list')
    .description('list sources and their write keys')
    .addOption(databaseOption())
    .option('--json', 'print JSON only')
    .action(async (options: { database: string; json?: boolean }) =>
      withDefault(options.database, async (database, workspaceId) => {
        const sources = await listSources(database.db, workspaceId)
        if (options.json) return printJson(sources)
        for (const s of sources) console.log(`${s.id}\t${s.kind}\t${s.name}\t${s.writeKey}`)
      }),
    )

  keys
    .command('create')
    .description('create a source with a new write key')
    .requiredOption('--name <name>', 'what sends with this key, e.g. "Mini-program"')
    .option('--kind <kind>', 'segment, sensors, import or webhook', 'segment')
    .addOption(databaseOption())
    .option('--json', 'print JSON only')
    .action(async (options: { name: string; kind: string; database: string; json?: boolean }) =>
      withDefault(options.database, async (database, workspaceId) => {
        const source = await createSource(database.db, { workspaceId, name: options.name, kind: options.kind, now: systemClock.now() })
        if (options.json) return printJson(source)
        console.log(`Write key for "${source.name}": ${source.writeKey}`)
      }),
    )

  keys
    .command('token')
    .description('create an admin API token with a role')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'admin')
    .option('--name <name>', 'who or what uses it', 'cli')
    .addOption(databaseOption())
    .option('--json', 'print JSON only')
    .action(async (options: { role: string; name: string; database: string; json?: boolean }) => {
      if (!(ROLES as readonly string[]).includes(options.role)) throw new Error(`unknown role "${options.role}"; use one of ${ROLES.join(', ')}`)
      await withDefault(options.database, async (database, workspaceId) => {
        const { id, token } = await createAdminToken(database.db, { workspaceId, name: options.name, role: options.role as Role, now: systemClock.now() })
        if (options.json) return printJson({ id, role: options.role, adminToken: token })
        console.log(`Admin token (${options.role}): ${token}`)
      })
    })
}

async function withDefault(url: string, run: (database: Database, workspaceId: string) => Promise<void>): Promise<void> {
  const database = openDatabase(url)
  try {
    await migrateToLatest(database)
    const { workspace } = await ensureDefaultWorkspace(database.db, systemClock.now())
    await run(database, workspace.id)
  } finally {
    await database.close()
  }
}
