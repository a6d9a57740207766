import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import { systemClock, type Clock, type Schema } from '../platform/index.ts'
import { HttpError } from '../server/errors.ts'
import type { Role } from '../workspaces/index.ts'
import { parseCookies } from './cookies.ts'
import { csrfMatches, resolveSession, type ActiveSession } from './sessions.ts'

export const SESSION_COOKIE = 'chorus_session'
/** Readable by the dashboard's script; says only that a sign-in happened in this browser. */
export const SIGNED_IN_COOKIE = 'chorus_signed_in'
export const CSRF_HEADER = 'x-csrf-token'

/** Methods that change nothing (RFC 9110 §9.2.1); every other one needs the CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The clock sessions are checked against, per database handle: the app binds its context's clock
 * when it mounts the user routes, so tests on a ManualClock see sessions expire on that clock.
 */
const clocks = new WeakMap<object, Clock>()
export function bindSessionClock(db: Kysely<Schema>, clock: Clock): void {
  clocks.set(db, clock)
}
export function sessionClock(db: Kysely<Schema>): Clock {
  return clocks.get(db) ?? systemClock
}

export interface SessionPrincipal {
  workspaceId: string
  role: Role
  /** The user's id, or the admin token's id for a token sign-in. */
  actorId: string
  userId: string | null
  session: ActiveSession
}

/** The session cookie's value, when the request carries one. */
export function sessionToken(request: FastifyRequest): string | undefined {
  return parseCookies(request.headers.cookie).get(SESSION_COOKIE)
}

/**
 * Authenticates a request by its session cookie; null when it carries none. A state-changing
 * request must also send the session's synchronizer token in `X-CSRF-Token` (OWASP CSRF
 * Prevention Cheat Sheet): a cross-site form or script can make the browser send the cookie but
 * cannot read the token. SameSite=Lax on the cookie is the second layer.
 */
export async function sessionPrincipal(db: Kysely<Schema>, request: FastifyRequest): Promise<SessionPrincipal | null> {
  const token = sessionToken(request)
  if (!token) return null
  const session = await resolveSession(db, token, sessionClock(db).now())
  if (!session) throw new HttpError(401, 'SessionEnded', 'Your sign-in has ended; sign in again')
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER]
    if (!csrfMatches(typeof sent === 'string' ? sent : undefined, session.csrfToken)) {
      throw new HttpError(403, 'CsrfTokenMissing', 'This change was refused because it did not come from a Chorus page (the X-CSRF-Token header is missing or wrong); reload the page and try again')
    }
  }
  return { workspaceId: session.workspaceId, role: session.role, actorId: session.userId ?? session.tokenId!, userId: session.userId, session }
}
