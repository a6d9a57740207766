/**
 * Dashboard users and sessions: sign-in with a user name and scrypt-hashed password (or an admin
 * token), HttpOnly session cookies with a synchronizer CSRF token, and user management for
 * admins. See docs/dashboard.md.
 */
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../server/context.ts'
import { bindSessionClock } from './session-auth.ts'
import { sessionRoutes } from './session-routes.ts'
import { userRoutes as manageUserRoutes } from './user-routes.ts'

export { hashPassword, verifyPassword, passwordProblem, SCRYPT_COST, PASSWORD_MIN_LENGTH } from './password.ts'
export { createUser, listUsers, updateUser, getUserRow, findUserRowByName, toUserView, type CreateUserOutcome, type UpdateUserOutcome, type UserFilter } from './store.ts'
export { DEPARTMENTS, Department, NewUser, UserChange, UserView, UserName } from './user.ts'
export { createSession, resolveSession, endSession, pruneSessions, SESSION_IDLE_MS, SESSION_ABSOLUTE_MS, type ActiveSession, type SessionGrant } from './sessions.ts'
export { signInWithPassword, signInWithToken, MAX_FAILED_SIGN_INS, LOCKOUT_MS, type SignInOutcome } from './sign-in.ts'
export { sessionPrincipal, SESSION_COOKIE, SIGNED_IN_COOKIE, CSRF_HEADER, type SessionPrincipal } from './session-auth.ts'
export { parseCookies, sessionCookie } from './cookies.ts'
export { PRUNE_SESSIONS_JOB, pruneExpiredSessions } from './prune-job.ts'

/**
 * Mounts `/session` (sign-in, who am I, sign-out, change password) and `/users` (admin) under the
 * caller's prefix, and checks sessions against the app's clock.
 *
 * @example await app.register(async (scope) => userRoutes(scope, ctx), { prefix: '/api/v1' })
 */
export async function userRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  bindSessionClock(ctx.database.db, ctx.clock)
  await sessionRoutes(fastify, ctx)
  await manageUserRoutes(fastify, ctx)
}
