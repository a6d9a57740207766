import { sql, type Kysely, type Selectable } from 'kysely'
import { newId, type Schema, type UsersTable } from '../platform/index.ts'
import type { Role } from '../workspaces/index.ts'
import { hashPassword } from './password.ts'
import { NewUser, type Department, type UserChange, type UserView } from './user.ts'

type UserRow = Selectable<UsersTable>

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    role: row.role as Role,
    department: row.department as Department,
    disabled: Number(row.disabled) === 1,
    lastLoginAt: row.last_login_at === null ? null : new Date(Number(row.last_login_at)).toISOString(),
    createdAt: new Date(Number(row.created_at)).toISOString(),
  }
}

export type CreateUserOutcome = { kind: 'Created'; user: UserView } | { kind: 'NameTaken'; name: string }

/**
 * Creates a user with a hashed password. Names are unique per workspace, case-insensitively.
 *
 * @example
 * const outcome = await createUser(db, { workspaceId, input: { name: 'li.na', role: 'marketer', password: 'long enough' }, now })
 * if (outcome.kind === 'Created') outcome.user.id // 'usr_…'
 */
export async function createUser(db: Kysely<Schema>, params: { workspaceId: string; input: NewUser; now: number }): Promise<CreateUserOutcome> {
  const input = NewUser.parse(params.input)
  const taken = await db.selectFrom('users').select('id').where('workspace_id', '=', params.workspaceId).where('name', '=', input.name).executeTakeFirst()
  if (taken) return { kind: 'NameTaken', name: input.name }
  const row: UserRow = {
    id: newId('usr', params.now),
    workspace_id: params.workspaceId,
    name: input.name,
    display_name: input.displayName || input.name,
    role: input.role,
    department: input.department,
    password_hash: await hashPassword(input.password),
    disabled: 0,
    failed_logins: 0,
    locked_until: null,
    last_login_at: null,
    created_at: params.now,
    updated_at: params.now,
  }
  try {
    await db.insertInto('users').values(row).execute()
  } catch (error) {
    // Two concurrent creations of one name: the unique index decides.
    const again = await db.selectFrom('users').select('id').where('workspace_id', '=', params.workspaceId).where('name', '=', input.name).executeTakeFirst()
    if (again) return { kind: 'NameTaken', name: input.name }
    throw error
  }
  return { kind: 'Created', user: toUserView(row) }
}

export async function getUserRow(db: Kysely<Schema>, workspaceId: string, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
}

export async function findUserRowByName(db: Kysely<Schema>, workspaceId: string, name: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst()
}

export interface UserFilter {
  q?: string
  role?: Role
  department?: Department
  status?: 'active' | 'disabled'
  limit: number
  cursor?: string
}

/** Users by sign-in name, filtered and searched (name or display name), cursor-paginated. */
export async function listUsers(db: Kysely<Schema>, workspaceId: string, filter: UserFilter): Promise<{ items: UserView[]; nextCursor: string | null }> {
  let query = db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId)
  if (filter.role) query = query.where('role', '=', filter.role)
  if (filter.department) query = query.where('department', '=', filter.department)
  if (filter.status) query = query.where('disabled', '=', filter.status === 'disabled' ? 1 : 0)
  if (filter.q) {
    const pattern = likeContains(filter.q.toLowerCase())
    query = query.where(sql<boolean>`(name like ${pattern} escape '\\' or lower(display_name) like ${pattern} escape '\\')`)
  }
  if (filter.cursor) query = query.where('name', '>', Buffer.from(filter.cursor, 'base64url').toString('utf8'))
  const rows = await query.orderBy('name').limit(filter.limit + 1).execute()
  const page = rows.slice(0, filter.limit)
  const last = page[page.length - 1]
  return { items: page.map(toUserView), nextCursor: rows.length > filter.limit && last ? Buffer.from(last.name).toString('base64url') : null }
}

/** A LIKE pattern matching `text` anywhere, with `%`, `_` and `\\` taken literally (escape `\\`). */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export type UpdateUserOutcome = { kind: 'Updated'; user: UserView; endedSessions: boolean } | { kind: 'NotFound' } | { kind: 'LastAdmin' }

/**
 * Changes a user's display name, role, department, disabled flag or password. Disabling a user or
 * setting their password ends their sessions; the last enabled admin user can be neither demoted
 * nor disabled, so the workspace always keeps someone who can manage users.
 */
export async function updateUser(db: Kysely<Schema>, params: { workspaceId: string; id: string; change: UserChange; now: number }): Promise<UpdateUserOutcome> {
  const { change } = params
  const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password)
  return db.transaction().execute(async (trx) => {
    const row = await getUserRow(trx, params.workspaceId, params.id)
    if (!row) return { kind: 'NotFound' as const }
    const losesAdmin = row.role === 'admin' && Number(row.disabled) === 0 && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true)
    if (losesAdmin) {
      const admins = await trx
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', params.workspaceId)
        .where('role', '=', 'admin')
        .where('disabled', '=', 0)
        .executeTakeFirstOrThrow()
      if (Number(admins.n) <= 1) return { kind: 'LastAdmin' as const }
    }
    const values: Partial<UserRow> = { updated_at: params.now }
    if (change.displayName !== undefined) values.display_name = change.displayName
    if (change.role !== undefined) values.role = change.role
    if (change.department !== undefined) values.department = change.department
    if (change.disabled !== undefined) values.disabled = change.disabled ? 1 : 0
    if (passwordHash !== undefined) {
      values.password_hash = passwordHash
      values.failed_logins = 0
      values.locked_until = null
    }
    await trx.updateTable('users').set(values).where('workspace_id', '=', params.workspaceId).where('id', '=', params.id).execute()
    const endSessions = change.disabled === true || passwordHash !== undefined
    if (endSessions) await trx.deleteFrom('sessions').where('workspace_id', '=', params.workspaceId).where('user_id', '=', params.id).execute()
    return { kind: 'Updated' as const, user: toUserView({ ...row, ...values }), endedSessions: endSessions }
  })
}
