import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Schema } from '../platform/index.ts'
import { can, findAdminToken, type Permission, type Role } from '../workspaces/index.ts'
import { sessionPrincipal } from '../users/index.ts'
import { HttpError } from './errors.ts'

export interface Principal {
  workspaceId: string
  role: Role
  /** Who acts: the admin token's id, or for a dashboard session the signed-in user's id (or the token it signed in with). */
  tokenId: string
  /** Set when the request came with a dashboard session signed in as a user. */
  userId?: string
  via?: 'bearer' | 'session'
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal
  }
}

/**
 * A preHandler that admits a request whose role grants `permission`: either
 * `Authorization: Bearer <admin token>` (scripts; exempt from CSRF checks), or the dashboard's
 * session cookie, where every state-changing request must also carry the session's
 * `X-CSRF-Token`. 401 without valid credentials, 403 when the role may not.
 */
export function requirePermission(db: Kysely<Schema>, permission: Permission) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization
    if (header === undefined) {
      const session = await sessionPrincipal(db, request)
      if (session) {
        if (!can(session.role, permission)) throw new HttpError(403, 'Forbidden', `The ${session.role} role may not ${permission} here`)
        request.principal = { workspaceId: session.workspaceId, role: session.role, tokenId: session.actorId, via: 'session', ...(session.userId ? { userId: session.userId } : {}) }
        return
      }
    }
    const match = header?.match(/^Bearer\s+(\S+)$/i)
    if (!match) throw new HttpError(401, 'Unauthorized', 'Send an admin token as "Authorization: Bearer <token>" (chorus init prints one), or sign in to the dashboard')
    const token = await findAdminToken(db, match[1]!)
    if (!token) throw new HttpError(401, 'Unauthorized', 'The admin token is not valid')
    if (!can(token.role, permission)) throw new HttpError(403, 'Forbidden', `The ${token.role} role may not ${permission} here`)
    request.principal = { workspaceId: token.workspaceId, role: token.role, tokenId: token.id, via: 'bearer' }
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is missing its requirePermission preHandler')
  return request.principal
}
