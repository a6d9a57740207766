import type { Command } from 'commander'
import { migrateToLatest, openDatabase, systemClock, type Database } from '../../platform/index.ts'
import { ROLES, ensureDefaultWorkspace } from '../../workspaces/index.ts'
import { DEPARTMENTS, createUser, findUserRowByName, listUsers, passwordProblem, updateUser, UserName, type Department } from '../../users/index.ts'
import { databaseOption, printJson } from '../options.ts'

/** `chorus users`: dashboard users of the default workspace (who signs in with a password). */
export function register(program: Command): void {
  const users = program.command('users').description('manage dashboard users of the default workspace')

  users
    .command('create')
    .description('create a user who signs in to the dashboard with a password')
    .requiredOption('--name <name>', 'sign-in name (letters, digits, . _ @ -)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password <password>', 'at least 8 characters (or set CHORUS_USER_PASSWORD)')
    .option('--department <department>', `one of ${DEPARTMENTS.join(', ')}`, 'marketing')
    .option('--display-name <name>', 'shown in the dashboard')
    .addOption(databaseOption())
    .option('--json', 'print JSON only')
    .action(async (options: { name: string; role: string; password?: string; department: string; displayName?: string; database: string; json?: boolean }) => {
      if (!(ROLES as readonly string[]).includes(options.role)) throw new Error(`unknown role "${options.role}"; use one of ${ROLES.join(', ')}`)
      if (!(DEPARTMENTS as readonly string[]).includes(options.department)) throw new Error(`unknown department "${options.department}"; use one of ${DEPARTMENTS.join(', ')}`)
      const name = UserName.safeParse(options.name)
      if (!name.success) throw new Error(`--name: ${name.error.issues[0]?.message}`)
      const password = options.password ?? process.env.CHORUS_USER_PASSWORD
      if (!password) throw new Error('give a password with --password or CHORUS_USER_PASSWORD')
      const problem = passwordProblem(password)
      if (problem) throw new Error(problem)
      await withDefault(options.database, async (database, workspaceId) => {
        const outcome = await createUser(database.db, {
          workspaceId,
          input: { name: name.data, role: options.role as (typeof ROLES)[number], password, department: options.department as Department, displayName: options.displayName },
          now: systemClock.now(),
        })
        if (outcome.kind === 'NameTaken') throw new Error(`there is already a user named "${outcome.name}"`)
        if (options.json) return printJson(outcome.user)
        console.log(`Created ${outcome.user.role} "${outcome.user.name}" (${outcome.user.id}) in ${outcome.user.department}.`)
      })
    })

  users
    .command('list')
    .description('list users')
    .addOption(databaseOption())
    .option('--json', 'print JSON only')
    .action(async (options: { database: string; json?: boolean }) =>
      withDefault(options.database, async (database, workspaceId) => {
        const all = []
        let cursor: string | undefined
        do {
          const page = await listUsers(database.db, workspaceId, { limit: 200, cursor })
          all.push(...page.items)
          cursor = page.nextCursor ?? undefined
        } while (cursor)
        if (options.json) return printJson(all)
        for (const u of all) console.log(`${u.id}\t${u.name}\t${u.role}\t${u.department}\t${u.disabled ? 'disabled' : 'active'}`)
      }),
    )

  users
    .command('password')
    .description("set a user's password (ends their sessions)")
    .requiredOption('--name <name>', 'sign-in name')
    .option('--password <password>', 'the new password (or set CHORUS_USER_PASSWORD)')
    .addOption(databaseOption())
    .action(async (options: { name: string; password?: string; database: string }) => {
      const password = options.password ?? process.env.CHORUS_USER_PASSWORD
      if (!password) throw new Error('give a password with --password or CHORUS_USER_PASSWORD')
      const problem = passwordProblem(password)
      if (problem) throw new Error(problem)
      await withDefault(options.database, async (database, workspaceId) => {
        const row = await findUserRowByName(database.db, workspaceId, UserName.parse(options.name))
        if (!row) throw new Error(`no user named "${options.name}"`)
        await updateUser(database.db, { workspaceId, id: row.id, change: { password }, now: systemClock.now() })
        console.log(`Password of "${row.name}" changed; their sessions have ended.`)
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
