import { createHash, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import { newSecret, type Schema } from '../platform/index.ts'
import { ROLES, type Role } from '../workspaces/index.ts'

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 12 * 3600_000
/** …and at the latest this long after sign-in, however active (OWASP Session Management). */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3600_000
/** last_seen_at is written at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 60_000

export interface SessionGrant {
  /** The cookie value; only its SHA-256 is stored. */
  token: string
  csrfToken: string
  expiresAt: number
}

export interface ActiveSession {
  idHash: string
  workspaceId: string
  role: Role
  userId: string | null
  tokenId: string | null
  csrfToken: string
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * Opens a session for a user (password sign-in) or an admin token (token sign-in).
 *
 * @example
 * const { token, csrfToken } = await createSession(db, { workspaceId, userId: user.id, now })
 */
export async function createSession(db: Kysely<Schema>, params: { workspaceId: string; userId?: string; tokenId?: string; now: number }): Promise<SessionGrant> {
  if (!params.userId === !params.tokenId) throw new Error('a session belongs to exactly one of a user and an admin token')
  const token = newSecret('cs')
  const csrfToken = newSecret('csrf')
  const expiresAt = params.now + SESSION_ABSOLUTE_MS
  await db
    .insertInto('sessions')
    .values({
      id_hash: hash(token),
      workspace_id: params.workspaceId,
      user_id: params.userId ?? null,
      token_id: params.tokenId ?? null,
      csrf_token: csrfToken,
      created_at: params.now,
      last_seen_at: params.now,
      expires_at: expiresAt,
    })
    .execute()
  return { token, csrfToken, expiresAt }
}

/**
 * The live session behind a cookie value, with the role as it is *now* (a demoted or disabled
 * user's sessions change or end at once), or null when it is unknown, expired, idle too long, or
 * its user or token is gone.
 */
export async function resolveSession(db: Kysely<Schema>, token: string, now: number): Promise<ActiveSession | null> {
  const idHash = hash(token)
  const row = await db
    .selectFrom('sessions as s')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 's.user_id').onRef('u.workspace_id', '=', 's.workspace_id'))
    .leftJoin('admin_tokens as t', (join) => join.onRef('t.id', '=', 's.token_id').onRef('t.workspace_id', '=', 's.workspace_id'))
    .select(['s.workspace_id', 's.user_id', 's.token_id', 's.csrf_token', 's.last_seen_at', 's.expires_at', 'u.role as user_role', 'u.disabled', 't.role as token_role'])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst()
  if (!row) return null
  const expired = Number(row.expires_at) <= now || Number(row.last_seen_at) + SESSION_IDLE_MS <= now
  const role = row.user_id ? (Number(row.disabled) === 0 ? row.user_role : null) : row.token_role
  if (expired || !role || !(ROLES as readonly string[]).includes(role)) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
    return null
  }
  if (now - Number(row.last_seen_at) >= TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute()
  }
  return { idHash, workspaceId: row.workspace_id, role: role as Role, userId: row.user_id, tokenId: row.token_id, csrfToken: row.csrf_token }
}

/** Ends one session (sign-out). */
export async function endSession(db: Kysely<Schema>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}

/** Removes sessions that can no longer be used; run periodically. */
export async function pruneSessions(db: Kysely<Schema>, now: number): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - SESSION_IDLE_MS)]))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Compares a CSRF token sent by the client with the session's, in constant time. */
export function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false
  const a = Buffer.from(sent)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
