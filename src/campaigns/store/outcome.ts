/**
 * What a planner operation answers: the value, or a refusal with every problem a person must fix.
 * Routes map `kind` to a status (404, 400, 409).
 */
export interface Problem {
  code: string
  message: string
  subjects: string[]
}

export type Refusal =
  | { ok: false; kind: 'NotFound'; message: string }
  | { ok: false; kind: 'InvalidPlan'; message: string; problems: Problem[] }
  | { ok: false; kind: 'Conflict'; message: string }

export type Outcome<T> = { ok: true; value: T } | Refusal

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value })
export const notFound = (message: string): Refusal => ({ ok: false, kind: 'NotFound', message })
export const conflict = (message: string): Refusal => ({ ok: false, kind: 'Conflict', message })

/** Refuses with each problem, the message listing them all. */
export function invalidPlan(problems: Problem[], lead = 'the plan is not valid'): Refusal {
  return { ok: false, kind: 'InvalidPlan', message: `${lead}: ${problems.map((p) => p.message).join('; ')}`, problems }
}

export interface Actor {
  id: string
  role: string
}
