import type { Kysely } from 'kysely'
import { readJson, type Schema } from '../../platform/index.ts'
import type { Condition, PerformedCondition } from '../definition/schema.ts'
import { durationMs } from '../definition/duration.ts'
import type { AudienceMembership } from '../ports.ts'
import { matchesFilters, readPath, testValue } from './filters.ts'

export interface ConditionScope {
  db: Kysely<Schema>
  workspaceId: string
  /** The person's surviving profile id and every profile merged into it. */
  profileId: string
  profileGroup: readonly string[]
  traits: Record<string, unknown>
  entrySeq: number
  now: number
  audiences: AudienceMembership
}

/** Most events read to test a `performed` condition with property filters. */
const PERFORMED_SCAN_LIMIT = 1_000

/**
 * Evaluates a split condition for one person: traits (dotted paths), audience membership (through
 * the audiences port), and events performed (counted in the log over every merged profile).
 *
 * @example await evaluateCondition({ all: [{ trait: 'vip', op: 'eq', value: true }, { performed: 'Order Completed', within: '30d' }] }, scope)
 */
export async function evaluateCondition(condition: Condition, scope: ConditionScope): Promise<boolean> {
  if ('all' in condition) {
    for (const c of condition.all) if (!(await evaluateCondition(c, scope))) return false
    return true
  }
  if ('any' in condition) {
    for (const c of condition.any) if (await evaluateCondition(c, scope)) return true
    return false
  }
  if ('not' in condition) return !(await evaluateCondition(condition.not, scope))
  if ('trait' in condition) return testValue(readPath(scope.traits, condition.trait), condition.op, condition.value)
  if ('audience' in condition) return (await scope.audiences.isMember(scope.workspaceId, condition.audience, scope.profileId)) === condition.member
  return (await performedCount(condition, scope)) >= condition.atLeast
}

async function performedCount(condition: PerformedCondition, scope: ConditionScope): Promise<number> {
  let query = scope.db
    .selectFrom('events')
    .where('workspace_id', '=', scope.workspaceId)
    .where('profile_id', 'in', [...scope.profileGroup])
    .where('event', '=', condition.performed)
  if (condition.within) query = query.where('timestamp', '>=', scope.now - durationMs(condition.within))
  if (condition.sinceEntry) query = query.where('seq', '>', scope.entrySeq)
  if (condition.where.length === 0) {
    const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    return Number(row.n)
  }
  const rows = await query.select('payload').orderBy('seq', 'desc').limit(PERFORMED_SCAN_LIMIT).execute()
  let count = 0
  for (const r of rows) {
    const properties = readJson<{ properties?: Record<string, unknown> }>(r.payload, {}).properties ?? {}
    if (matchesFilters(properties, condition.where)) count++
  }
  return count
}
