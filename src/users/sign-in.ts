import type { Kysely } from 'kysely'
import type { Schema } from '../platform/index.ts'
import { findAdminToken, findWorkspaceByName } from '../workspaces/index.ts'
import { decoyHash, verifyPassword } from './password.ts'
import { createSession, type SessionGrant } from './sessions.ts'
import { findUserRowByName } from './store.ts'
import { UserName } from './user.ts'

/** Consecutive wrong passwords before a user is locked out for a while (OWASP Authentication Cheat Sheet). */
export const MAX_FAILED_SIGN_INS = 10
export const LOCKOUT_MS = 15 * 60_000

export type SignInOutcome =
  | { kind: 'SignedIn'; grant: SessionGrant; workspaceId: string }
  | { kind: 'WrongCredentials' }
  | { kind: 'Disabled' }
  | { kind: 'LockedOut'; until: number }

/**
 * Signs in with a user name and password. A wrong name and a wrong password take the same time
 * and get the same answer, so the form cannot be used to find out which names exist; a disabled
 * user learns so only after giving the right password.
 *
 * @example
 * const outcome = await signInWithPassword(db, { workspace: 'default', name: 'li.na', password, now })
 * if (outcome.kind === 'SignedIn') setCookie(outcome.grant.token)
 */
export async function signInWithPassword(db: Kysely<Schema>, params: { workspace: string; name: string; password: string; now: number }): Promise<SignInOutcome> {
  const workspace = await findWorkspaceByName(db, params.workspace)
  const name = UserName.safeParse(params.name)
  const row = workspace && name.success ? await findUserRowByName(db, workspace.id, name.data) : undefined
  if (!workspace || !row) {
    await verifyPassword(params.password, await decoyHash())
    return { kind: 'WrongCredentials' }
  }
  if (row.locked_until !== null && Number(row.locked_until) > params.now) return { kind: 'LockedOut', until: Number(row.locked_until) }
  const ok = await verifyPassword(params.password, row.password_hash)
  if (!ok) {
    const failures = Number(row.failed_logins) + 1
    const lock = failures >= MAX_FAILED_SIGN_INS
    await db
      .updateTable('users')
      .set({ failed_logins: lock ? 0 : failures, locked_until: lock ? params.now + LOCKOUT_MS : null })
      .where('id', '=', row.id)
      .execute()
    return lock ? { kind: 'LockedOut', until: params.now + LOCKOUT_MS } : { kind: 'WrongCredentials' }
  }
  if (Number(row.disabled) === 1) return { kind: 'Disabled' }
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: params.now }).where('id', '=', row.id).execute()
  return { kind: 'SignedIn', grant: await createSession(db, { workspaceId: workspace.id, userId: row.id, now: params.now }), workspaceId: workspace.id }
}

/** Signs in to the dashboard with an admin token (the one `chorus init` prints). */
export async function signInWithToken(db: Kysely<Schema>, params: { token: string; now: number }): Promise<SignInOutcome> {
  const token = await findAdminToken(db, params.token)
  if (!token) return { kind: 'WrongCredentials' }
  return { kind: 'SignedIn', grant: await createSession(db, { workspaceId: token.workspaceId, tokenId: token.id, now: params.now }), workspaceId: token.workspaceId }
}
