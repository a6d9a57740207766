/**
 * What a content-hub operation answers: the value, or a refusal a person can act on. Expected
 * failures (unknown id, invalid input, a state that does not allow the step) are values, not
 * exceptions; routes map `kind` to an HTTP status.
 */
export type Refusal =
  | { ok: false; kind: 'NotFound'; message: string }
  | { ok: false; kind: 'InvalidInput'; message: string; issues?: Array<{ path: string; message: string }> }
  | { ok: false; kind: 'Conflict'; message: string; details?: unknown }

export type Outcome<T> = { ok: true; value: T } | Refusal

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value })

export const notFound = (message: string): Refusal => ({ ok: false, kind: 'NotFound', message })

export const invalid = (message: string, issues?: Array<{ path: string; message: string }>): Refusal =>
  issues ? { ok: false, kind: 'InvalidInput', message, issues } : { ok: false, kind: 'InvalidInput', message }

export const conflict = (message: string, details?: unknown): Refusal =>
  details === undefined ? { ok: false, kind: 'Conflict', message } : { ok: false, kind: 'Conflict', message, details }

/** Who did something: the admin token and its role (recorded on versions and review steps). */
export interface Actor {
  id: string
  role: string
}
