import type { FastifyRequest } from 'fastify'
import { principalOf } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import type { Actor, Outcome } from './store/index.ts'

const STATUS = { NotFound: 404, InvalidInput: 400, Conflict: 409 } as const

/** The value of an outcome, or the HTTP error its refusal means (404 / 400 / 409 with the message as is). */
export function answer<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value
  const details = outcome.kind === 'InvalidInput' ? outcome.issues : outcome.kind === 'Conflict' ? outcome.details : undefined
  throw new HttpError(STATUS[outcome.kind], outcome.kind, outcome.message, details)
}

/** A 404 for a lookup that found nothing. */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new HttpError(404, 'NotFound', `no ${what}`)
  return value
}

/** The caller as recorded on versions and review steps. */
export function actorOf(request: FastifyRequest): Actor & { workspaceId: string } {
  const principal = principalOf(request)
  return { id: principal.tokenId, role: principal.role, workspaceId: principal.workspaceId }
}
