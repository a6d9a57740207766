import type { Kysely } from 'kysely'
import { readJson, type Schema } from '../../platform/index.ts'
import type { ValidationContext } from './validate.ts'
import { SYSTEM_EVENTS, SYSTEM_TRAITS } from '../../events/system-names.ts'

/** Profiles sampled for trait names: the most recently updated ones. */
const TRAIT_SAMPLE = 10_000

/**
 * The names a journey may use, from the workspace's own data: every event name recorded, and the
 * trait names on its most recently updated profiles. A workspace with no events (or no profiles)
 * yet cannot say which names are wrong, so that check is skipped.
 *
 * @example validateDefinition(definition, { ...(await workspaceNames(db, workspaceId)), channels })
 */
export async function workspaceNames(db: Kysely<Schema>, workspaceId: string): Promise<Pick<ValidationContext, 'knownEvents' | 'knownTraits'>> {
  const [events, profiles] = await Promise.all([
    db.selectFrom('events').select('event').distinct().where('workspace_id', '=', workspaceId).where('event', 'is not', null).execute(),
    db.selectFrom('profiles').select('traits').where('workspace_id', '=', workspaceId).orderBy('updated_at', 'desc').limit(TRAIT_SAMPLE).execute(),
  ])
  const out: Pick<ValidationContext, 'knownEvents' | 'knownTraits'> = {}
  if (events.length > 0) out.knownEvents = new Set([...SYSTEM_EVENTS, ...events.map((e) => e.event!)])
  if (profiles.length > 0) {
    const traits = new Set(SYSTEM_TRAITS)
    for (const p of profiles) for (const key of Object.keys(readJson<Record<string, unknown>>(p.traits, {}))) traits.add(key)
    out.knownTraits = traits
  }
  return out
}
