import { sql, type Kysely } from 'kysely'
import type { DialectName, Schema } from '../platform/index.ts'
import { walkConditions } from './analyse.ts'
import type { Condition } from './definition.ts'
import { SYSTEM_EVENTS, SYSTEM_TRAITS } from '../events/system-names.ts'
import type { DefinitionIssue } from './parse-definition.ts'
import { audienceDialect } from './sql-dialect.ts'
import { workspaceAudiences, type Audience } from './store.ts'

/** Profiles looked at when checking that a trait has ever been seen: the most recently updated. */
const TRAIT_SAMPLE = 10_000

export interface DefinitionCheck {
  /** Problems that stop the definition from being saved. */
  errors: DefinitionIssue[]
  /** Likely mistakes that do not: names this workspace has never seen. */
  warnings: DefinitionIssue[]
}

/**
 * Checks a well-formed definition against its workspace. Errors: membership of an audience that
 * does not exist, of itself, or one that would close a cycle (A contains B contains A); and, when
 * `strictNames` and the workspace can tell, a name it has never seen — an event name it has never
 * received (once it has received any event), a trait none of its 10,000 most recently updated
 * profiles has (once it has profiles). Such names are usually typos; without `strictNames`
 * (tracking still being added) they are warnings, and so they are in a workspace with no data yet.
 *
 * @example const { errors, warnings } = await checkDefinition(db, 'sqlite', workspaceId, definition, null, { strictNames: true })
 */
export async function checkDefinition(db: Kysely<Schema>, dialect: DialectName, workspaceId: string, definition: Condition, selfId: string | null, options: { strictNames: boolean }): Promise<DefinitionCheck> {
  const errors: DefinitionIssue[] = []
  const warnings: DefinitionIssue[] = []
  const refs: Array<{ id: string; path: string }> = []
  const events = new Map<string, string>()
  const traits = new Map<string, string>()
  walkConditions(definition, (c, path) => {
    if ('audience' in c) refs.push({ id: c.audience, path: `${path}.audience` })
    if ('trait' in c && !traits.has(c.trait)) traits.set(c.trait, `${path}.trait`)
    const event = 'performed' in c ? c.performed.event : 'notPerformed' in c ? c.notPerformed.event : 'lastPerformed' in c ? c.lastPerformed.event : null
    if (event !== null && !events.has(event)) events.set(event, `${path}.${Object.keys(c)[0]}.event`)
  })

  if (refs.length > 0) {
    const audiences = await workspaceAudiences(db, workspaceId)
    const byId = new Map(audiences.map((a) => [a.id, a]))
    for (const ref of refs) {
      if (ref.id === selfId) errors.push({ path: ref.path, message: 'an audience cannot contain itself' })
      else if (!byId.has(ref.id)) errors.push({ path: ref.path, message: `there is no audience ${ref.id} in this workspace` })
      else {
        const cycle = cycleThrough(byId, ref.id, selfId)
        if (cycle) errors.push({ path: ref.path, message: `membership of ${ref.id} would make a cycle: ${cycle.map((a) => `"${a}"`).join(' → ')}` })
      }
    }
  }

  // Unknown names are refused only where the workspace holds data that could have named them.
  const strictEvents = options.strictNames && events.size > 0 && (await hasRow(db, 'events', workspaceId))
  for (const [event, path] of events) {
    if (SYSTEM_EVENTS.includes(event)) continue
    const seen = await db.selectFrom('events').select('seq').where('workspace_id', '=', workspaceId).where('event', '=', event).limit(1).executeTakeFirst()
    if (seen) continue
    if (strictEvents) errors.push({ path, message: `no event named "${event}" has been recorded in this workspace; check the spelling, or save with ?allowUnknownNames=true if its tracking is still being added` })
    else warnings.push({ path, message: `this workspace has never received an event named "${event}"; check the spelling (the definition is accepted)` })
  }

  const d = audienceDialect(dialect)
  const strictTraits = options.strictNames && traits.size > 0 && (await hasRow(db, 'profiles', workspaceId))
  for (const [trait, path] of traits) {
    if (SYSTEM_TRAITS.includes(trait.split('.')[0]!)) continue
    const recent = sql`(select traits from profiles where workspace_id = ${workspaceId} and merged_into is null order by updated_at desc limit ${TRAIT_SAMPLE})`
    const found = await sql`select 1 as found from ${recent} as p where ${d.present({ column: sql`p.traits`, path: trait.split('.') })} limit 1`.execute(db)
    if (found.rows.length > 0) continue
    if (strictTraits) errors.push({ path, message: `no profile among the ${TRAIT_SAMPLE.toLocaleString('en')} most recently updated has a trait "${trait}"; check the spelling, or save with ?allowUnknownNames=true if it is still to come` })
    else warnings.push({ path, message: `no profile among the ${TRAIT_SAMPLE.toLocaleString('en')} most recently updated has a trait "${trait}"; check the spelling (the definition is accepted)` })
  }
  return { errors, warnings }
}

async function hasRow(db: Kysely<Schema>, table: 'events' | 'profiles', workspaceId: string): Promise<boolean> {
  return (await db.selectFrom(table).select('workspace_id').where('workspace_id', '=', workspaceId).limit(1).executeTakeFirst()) !== undefined
}

/**
 * When the audience `selfId` reads `start`, the chain of names that leads from `start` back to
 * `selfId` through membership conditions, or null when there is none.
 */
function cycleThrough(byId: Map<string, Audience>, start: string, selfId: string | null): string[] | null {
  if (selfId === null) return null
  const self = byId.get(selfId)
  const seen = new Set<string>()
  const walk = (id: string, trail: string[]): string[] | null => {
    if (id === selfId) return trail
    if (seen.has(id)) return null
    seen.add(id)
    const audience = byId.get(id)
    for (const next of audience?.deps?.audiences ?? []) {
      const found = walk(next, [...trail, byId.get(next)?.name ?? next])
      if (found) return found
    }
    return null
  }
  const trail = walk(start, [self?.name ?? selfId, byId.get(start)?.name ?? start])
  return trail
}
