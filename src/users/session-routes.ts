import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission, principalOf } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { can, getWorkspace, type Permission, type Role } from '../workspaces/index.ts'
import { sessionCookie } from './cookies.ts'
import { verifyPassword } from './password.ts'
import { SESSION_COOKIE, SIGNED_IN_COOKIE, sessionPrincipal, sessionToken } from './session-auth.ts'
import { createSession, endSession, resolveSession, SESSION_ABSOLUTE_MS } from './sessions.ts'
import { signInWithPassword, signInWithToken, type SignInOutcome } from './sign-in.ts'
import { getUserRow, toUserView, updateUser } from './store.ts'
import { Password } from './user.ts'

const PERMISSIONS: Permission[] = ['read', 'write', 'delete', 'admin', 'review']

const SignIn = z.union([
  z.object({
    name: z.string().min(1).max(200).describe('Sign-in name'),
    password: z.string().min(1).max(1000),
    workspace: z.string().min(1).max(200).default('default').describe('Workspace name (default "default")'),
  }),
  z.object({ token: z.string().min(1).max(200).describe('An admin token, as printed by chorus init') }),
])

/**
 * Sign-in, the current session and sign-out for the dashboard. The session lives in an HttpOnly,
 * SameSite=Lax cookie (Secure when the request came over https, directly or through a proxy);
 * the answer carries the CSRF token the dashboard must send back as `X-CSRF-Token`.
 */
export async function sessionRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db

  app.post(
    '/session',
    { schema: { description: 'Sign in with a user name and password, or with an admin token; sets the session cookie', tags: ['session'], body: SignIn } },
    async (request, reply) => {
      const now = ctx.clock.now()
      const body = request.body
      const outcome: SignInOutcome = 'token' in body ? await signInWithToken(db, { token: body.token, now }) : await signInWithPassword(db, { ...body, now })
      switch (outcome.kind) {
        case 'WrongCredentials':
          throw new HttpError(401, 'WrongCredentials', 'token' in body ? 'That admin token is not valid' : 'The user name or password is not right')
        case 'Disabled':
          throw new HttpError(403, 'UserDisabled', 'This user has been disabled; ask an admin of your workspace to enable it')
        case 'LockedOut': {
          const minutes = Math.max(1, Math.ceil((outcome.until - now) / 60_000))
          throw new HttpError(429, 'TooManyAttempts', `Too many wrong passwords for this user; try again in ${minutes} minutes, or ask an admin to set a new password`)
        }
      }
      // A new sign-in never reuses the old session (session fixation): end it.
      const previous = sessionToken(request)
      const old = previous ? await resolveSession(db, previous, now) : null
      if (old) await endSession(db, old.idHash)
      setSessionCookie(request, reply, outcome.grant.token)
      const session = await resolveSession(db, outcome.grant.token, now)
      return describeSession(ctx, { workspaceId: outcome.workspaceId, role: session!.role, userId: session!.userId, csrfToken: outcome.grant.csrfToken, via: 'session' })
    },
  )

  app.get('/session', { preHandler: requirePermission(db, 'read'), schema: { description: 'Who is signed in: user, role, permissions, workspace and the CSRF token', tags: ['session'] } }, async (request) => {
    const principal = principalOf(request)
    const session = principal.via === 'session' ? await sessionPrincipal(db, request) : null
    return describeSession(ctx, { workspaceId: principal.workspaceId, role: principal.role, userId: principal.userId ?? null, csrfToken: session?.session.csrfToken ?? null, via: principal.via ?? 'bearer' })
  })

  app.delete('/session', { preHandler: requirePermission(db, 'read'), schema: { description: 'Sign out: ends the session and clears the cookie', tags: ['session'] } }, async (request, reply) => {
    const session = await sessionPrincipal(db, request)
    if (!session) throw new HttpError(400, 'NoSession', 'This request carries no dashboard session to end (bearer tokens have none)')
    await endSession(db, session.session.idHash)
    reply.header('set-cookie', [
      sessionCookie(SESSION_COOKIE, '', { secure: isHttps(request), maxAgeSeconds: 0 }),
      sessionCookie(SIGNED_IN_COOKIE, '', { secure: isHttps(request), maxAgeSeconds: 0, httpOnly: false }),
    ])
    return { signedOut: true }
  })

  app.post(
    '/session/password',
    {
      preHandler: requirePermission(db, 'read'),
      schema: { description: 'Change the signed-in user’s own password; other sessions of the user end', tags: ['session'], body: z.object({ current: z.string().min(1).max(1000), next: Password }) },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      if (!principal.userId) throw new HttpError(400, 'NotAUser', 'Only a user signed in with a password can change it; admin tokens have none')
      const row = await getUserRow(db, principal.workspaceId, principal.userId)
      if (!row || !(await verifyPassword(request.body.current, row.password_hash))) throw new HttpError(403, 'WrongPassword', 'The current password is not right')
      const now = ctx.clock.now()
      await updateUser(db, { workspaceId: principal.workspaceId, id: principal.userId, change: { password: request.body.next }, now })
      const grant = await createSession(db, { workspaceId: principal.workspaceId, userId: principal.userId, now })
      setSessionCookie(request, reply, grant.token)
      return describeSession(ctx, { workspaceId: principal.workspaceId, role: principal.role, userId: principal.userId, csrfToken: grant.csrfToken, via: 'session' })
    },
  )
}

function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https'
}

/**
 * The session cookie, and beside it a readable `chorus_signed_in=1` that holds no secret: the
 * dashboard asks who is signed in only when it is present, so a first visit does not start with a
 * failing request.
 */
function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  const options = { secure: isHttps(request), maxAgeSeconds: SESSION_ABSOLUTE_MS / 1000 }
  reply.header('set-cookie', [sessionCookie(SESSION_COOKIE, token, options), sessionCookie(SIGNED_IN_COOKIE, '1', { ...options, httpOnly: false })])
}

async function describeSession(
  ctx: AppContext,
  input: { workspaceId: string; role: Role; userId: string | null; csrfToken: string | null; via: 'session' | 'bearer' },
) {
  const db = ctx.database.db
  const [workspace, user] = await Promise.all([getWorkspace(db, input.workspaceId), input.userId ? getUserRow(db, input.workspaceId, input.userId) : undefined])
  return {
    user: user ? toUserView(user) : null,
    role: input.role,
    permissions: PERMISSIONS.filter((p) => can(input.role, p)),
    workspace: { id: input.workspaceId, name: workspace?.name ?? '', currency: workspace?.settings.currency ?? 'CNY', timezone: workspace?.settings.timezone ?? 'Asia/Shanghai' },
    csrfToken: input.csrfToken,
    via: input.via,
  }
}
