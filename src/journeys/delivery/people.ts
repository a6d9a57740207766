import type { Kysely } from 'kysely'
import { chunked, readJson, type Schema } from '../../platform/index.ts'
import { personTimeZone } from '../time/zoned-time.ts'

export interface Person {
  /** The surviving profile (merges followed). */
  profileId: string
  traits: Record<string, unknown>
  timeZone: string
}

const DEFAULT_ZONE = 'Asia/Shanghai'

/** The workspace's timezone setting (people without a `timezone` trait live in it). */
export async function workspaceTimeZone(db: Kysely<Schema>, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('workspaces').select('settings').where('id', '=', workspaceId).executeTakeFirst()
  const zone = readJson<{ timezone?: unknown }>(row?.settings, {}).timezone
  return typeof zone === 'string' && zone ? zone : DEFAULT_ZONE
}

/**
 * Traits and timezone for many people in two queries; a profile merged into another is answered
 * with the survivor's data. Profiles that no longer exist (deleted) are absent from the result.
 */
export async function loadPeople(db: Kysely<Schema>, workspaceId: string, profileIds: readonly string[], workspaceZone: string): Promise<Map<string, Person>> {
  const out = new Map<string, Person>()
  const ids = [...new Set(profileIds)]
  const survivorOf = new Map<string, string>()
  const rows = new Map<string, { traits: unknown }>()
  for (const part of chunked(ids, 5_000)) {
    for (const r of await db.selectFrom('profiles').select(['id', 'traits', 'merged_into']).where('workspace_id', '=', workspaceId).where('id', 'in', part).execute()) {
      survivorOf.set(r.id, r.merged_into ?? r.id)
      if (!r.merged_into) rows.set(r.id, r)
    }
  }
  const missing = [...new Set([...survivorOf.values()].filter((id) => !rows.has(id)))]
  for (const part of chunked(missing, 5_000)) {
    for (const r of await db.selectFrom('profiles').select(['id', 'traits']).where('workspace_id', '=', workspaceId).where('id', 'in', part).execute()) rows.set(r.id, r)
  }
  for (const id of ids) {
    const survivor = survivorOf.get(id)
    const row = survivor ? rows.get(survivor) : undefined
    if (!survivor || !row) continue
    const traits = readJson<Record<string, unknown>>(row.traits, {})
    out.set(id, { profileId: survivor, traits, timeZone: personTimeZone(traits, workspaceZone) })
  }
  return out
}
