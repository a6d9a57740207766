import { chunked, type Database } from '../platform/index.ts'
import { compileAudienceQuery } from './compile.ts'
import { MembershipChanges } from './membership-writer.ts'
import { flushMembershipEvents, reevaluate } from './reevaluate.ts'
import { audienceDialect } from './sql-dialect.ts'
import { workspaceAudiences, type Audience } from './store.ts'
import { workspaceReachRules } from '../channels/index.ts'
import { workspaceFacts, type WorkspaceFacts } from './workspace-facts.ts'

/** People whose membership is written per transaction during a full refresh. */
const WRITE_CHUNK = 1_000

export interface RefreshProgress {
  /** People the definition matches, in the full evaluation. */
  matched: number
  /** People whose membership may change (matched but not members, or members not matched). */
  total: number
  done: number
  entered: number
  exited: number
}

/**
 * Everyone the definition matches now: one query over the whole workspace (no scope). Used for
 * full refreshes and estimates. The reach rules are read when not given.
 */
export async function evaluateEveryone(
  database: Database,
  audience: Pick<Audience, 'workspaceId' | 'definition'>,
  now: number,
  currency: string,
  reach?: WorkspaceFacts['reach'],
): Promise<string[]> {
  const rules = reach ?? (await workspaceReachRules(database.db, audience.workspaceId))
  const query = compileAudienceQuery(audience.definition!, { dialect: audienceDialect(database.dialect), workspaceId: audience.workspaceId, now, currency, reach: rules, scope: null })
  const result = await query.execute(database.db)
  return (result.rows as Array<{ id: string }>).map((r) => r.id)
}

/**
 * Full re-evaluation of a dynamic audience: the definition is evaluated once for everyone, and
 * compared with the stored membership. Only the people who differ are then re-evaluated and
 * written, a chunk per transaction, each chunk's decision taken inside its transaction — so an
 * event the real-time processor handles meanwhile is never overwritten by an older answer, and
 * entry and exit events are written exactly once.
 */
export async function refreshAudience(input: { database: Database; audience: Audience; now: number; onProgress?: (p: RefreshProgress) => Promise<void> | void }): Promise<RefreshProgress> {
  const { database, audience, now } = input
  const facts = await workspaceFacts(database.db, audience.workspaceId)
  const matched = await evaluateEveryone(database, audience, now, facts.currency, facts.reach)
  const stored = (await database.db.selectFrom('audience_members').select('profile_id').where('audience_id', '=', audience.id).execute()).map((r) => r.profile_id)
  const matchedSet = new Set(matched)
  const storedSet = new Set(stored)
  const candidates = [...matched.filter((id) => !storedSet.has(id)), ...stored.filter((id) => !matchedSet.has(id))]
  const progress: RefreshProgress = { matched: matched.length, total: candidates.length, done: 0, entered: 0, exited: 0 }
  await input.onProgress?.(progress)

  for (const part of chunked(candidates, WRITE_CHUNK)) {
    await database.db.transaction().execute(async (trx) => {
      const audiences = await workspaceAudiences(trx, audience.workspaceId)
      const scope = { trx, dialect: database.dialect, workspaceId: audience.workspaceId, now, ...facts, audiences }
      const changes = new MembershipChanges()
      await reevaluate(scope, new Map([[audience.id, new Set(part)]]), changes)
      progress.entered += changes.byAudience.get(audience.id)?.entered ?? 0
      progress.exited += changes.byAudience.get(audience.id)?.exited ?? 0
      await flushMembershipEvents(scope, changes)
    })
    progress.done += part.length
    await input.onProgress?.(progress)
  }
  return progress
}
