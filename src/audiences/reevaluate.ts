import type { Kysely } from 'kysely'
import { chunked, type DialectName, type Schema } from '../platform/index.ts'
import { appendSystemEvents } from '../ingest/index.ts'
import { compileAudienceQuery } from './compile.ts'
import type { WorkspaceFacts } from './workspace-facts.ts'
import { audienceDialect } from './sql-dialect.ts'
import { addMembers, removeMembers, MembershipChanges } from './membership-writer.ts'
import type { Audience } from './store.ts'

/** People evaluated per query: keeps each query's bound lists and result small. */
const CHUNK = 500

/** What one transaction evaluates against: the workspace's audiences at time `now`. */
export interface EvaluationScope extends WorkspaceFacts {
  trx: Kysely<Schema>
  dialect: DialectName
  workspaceId: string
  now: number
  audiences: readonly Audience[]
}

/**
 * Re-evaluates some people for some audiences and writes the difference: for each audience, one
 * query restricted to the seeded people; members no longer matched leave, the newly matched
 * enter. People whose membership changed are re-evaluated for every audience that reads this one,
 * in the same pass.
 *
 * Audiences are taken in levels (those read by membership conditions first). Within a level every
 * query runs before any write: on SQLite the transaction takes the database's write lock at its
 * first write and holds it to the commit, so reading first keeps ingest waiting as briefly as
 * possible.
 *
 * Seeds may hold any profile ids: merged-away or deleted ones are never matched, so they leave.
 */
export async function reevaluate(scope: EvaluationScope, seeds: Map<string, Set<string>>, changes: MembershipChanges): Promise<void> {
  const groups = new GroupCache(scope)
  for (const level of dependencyLevels(scope.audiences)) {
    const decisions: Decision[] = []
    for (const audience of level) {
      const people = seeds.get(audience.id)
      if (!people || people.size === 0 || audience.kind !== 'dynamic' || audience.status !== 'active') continue
      for (const part of chunked([...people], CHUNK)) decisions.push(await decide(scope, groups, audience, part))
    }
    for (const d of decisions) {
      const entered = await addMembers(scope.trx, scope.dialect, d.audience, d.toAdd, scope.now, changes)
      const exited = await removeMembers(scope.trx, d.audience, d.toRemove, scope.now, changes, d.gone)
      for (const dependent of dependentsOf(scope.audiences, d.audience.id)) {
        let set = seeds.get(dependent.id)
        if (!set) seeds.set(dependent.id, (set = new Set()))
        for (const id of [...entered, ...exited]) set.add(id)
      }
    }
  }
}

interface Decision {
  audience: Audience
  toAdd: string[]
  toRemove: string[]
  /** Ids whose profile no longer exists: they leave without an event. */
  gone: Set<string>
}

async function decide(scope: EvaluationScope, groups: GroupCache, audience: Audience, people: string[]): Promise<Decision> {
  const { persons, profiles, gone } = await groups.load(people)
  let matched = new Set<string>()
  if (persons.length > 0) {
    const query = compileAudienceQuery(audience.definition!, {
      dialect: audienceDialect(scope.dialect),
      workspaceId: scope.workspaceId,
      now: scope.now,
      currency: scope.currency,
      reach: scope.reach,
      scope: { persons, profiles },
    })
    const result = await query.execute(scope.trx)
    matched = new Set((result.rows as Array<{ id: string }>).map((r) => r.id))
  }
  const current = new Set(
    (await scope.trx.selectFrom('audience_members').select('profile_id').where('audience_id', '=', audience.id).where('profile_id', 'in', people).execute()).map((r) => r.profile_id),
  )
  return { audience, toAdd: [...matched].filter((id) => !current.has(id)), toRemove: [...current].filter((id) => !matched.has(id)), gone }
}

/** Appends the transaction's membership events to the log (takes the ingest lock last, briefly). */
export async function flushMembershipEvents(scope: Pick<EvaluationScope, 'trx' | 'dialect' | 'workspaceId' | 'now'>, changes: MembershipChanges): Promise<void> {
  await appendSystemEvents(scope.trx, scope.dialect, scope.workspaceId, changes.events, scope.now)
  changes.events.length = 0
}

/**
 * Which of some ids are surviving people, which profiles make them up, and which ids no longer
 * exist at all. Loaded once per transaction and id.
 */
class GroupCache {
  readonly #scope: EvaluationScope
  readonly #known = new Map<string, { canonical: boolean; members: string[] } | null>()

  constructor(scope: EvaluationScope) {
    this.#scope = scope
  }

  async load(ids: string[]): Promise<{ persons: string[]; profiles: string[]; gone: Set<string> }> {
    const missing = ids.filter((id) => !this.#known.has(id))
    if (missing.length > 0) {
      const rows = await this.#scope.trx
        .selectFrom('profiles')
        .select(['id', 'merged_into'])
        .where('workspace_id', '=', this.#scope.workspaceId)
        .where((eb) => eb.or([eb('id', 'in', missing), eb('merged_into', 'in', missing)]))
        .execute()
      const wanted = new Set(missing)
      for (const id of missing) this.#known.set(id, null)
      for (const r of rows) {
        if (wanted.has(r.id)) this.#known.set(r.id, r.merged_into === null ? { canonical: true, members: [r.id] } : { canonical: false, members: [] })
      }
      for (const r of rows) {
        const owner = r.merged_into === null || !wanted.has(r.merged_into) ? undefined : this.#known.get(r.merged_into)
        if (owner?.canonical) owner.members.push(r.id)
      }
    }
    const persons: string[] = []
    const profiles: string[] = []
    const gone = new Set<string>()
    for (const id of ids) {
      const entry = this.#known.get(id)
      if (!entry) gone.add(id)
      else if (entry.canonical) {
        persons.push(id)
        profiles.push(...entry.members)
      }
    }
    return { persons, profiles, gone }
  }
}

/**
 * Audiences in levels: level 0 reads no other audience; an audience is one level above the
 * highest it reads. A cycle (refused when saved) is cut where it is found.
 */
export function dependencyLevels(audiences: readonly Audience[]): Audience[][] {
  const byId = new Map(audiences.map((a) => [a.id, a]))
  const level = new Map<string, number>()
  const visiting = new Set<string>()
  const levelOf = (a: Audience): number => {
    const known = level.get(a.id)
    if (known !== undefined) return known
    if (visiting.has(a.id)) return 0
    visiting.add(a.id)
    let mine = 0
    for (const ref of a.deps?.audiences ?? []) {
      const dep = byId.get(ref)
      if (dep) mine = Math.max(mine, levelOf(dep) + 1)
    }
    visiting.delete(a.id)
    level.set(a.id, mine)
    return mine
  }
  const levels: Audience[][] = []
  for (const a of audiences) (levels[levelOf(a)] ??= []).push(a)
  return levels.filter((l) => l !== undefined)
}

export function dependentsOf(audiences: readonly Audience[], id: string): Audience[] {
  return audiences.filter((a) => a.deps?.audiences.has(id))
}

export { MembershipChanges }
