import type { Kysely } from 'kysely'
import type { Schema } from '../platform/index.ts'
import { canonicalProfileId } from '../profiles/index.ts'

export interface PersonAudience {
  id: string
  name: string
  kind: 'dynamic' | 'static'
  status: string
  enteredAt: number
}

export type PersonAudiencesOutcome = { kind: 'NotFound' } | { kind: 'Found'; profileId: string; audiences: PersonAudience[] }

/**
 * The audiences a person is in now, in audience-id (creation) order, a page at a time. Any of
 * the person's profile ids works: membership lives on the surviving profile of a merge, so an
 * id that was merged away answers for the person it became part of.
 *
 * @example
 * const found = await personAudiences(db, ws, 'prf_01jd…', { after: null, limit: 100 })
 * if (found.kind === 'Found') for (const a of found.audiences) console.log(a.name, new Date(a.enteredAt))
 */
export async function personAudiences(db: Kysely<Schema>, workspaceId: string, profileId: string, page: { after: string | null; limit: number }): Promise<PersonAudiencesOutcome> {
  const person = await canonicalProfileId(db, workspaceId, profileId)
  if (person === null) return { kind: 'NotFound' }
  let query = db
    .selectFrom('audience_members as m')
    .innerJoin('audiences as a', (join) => join.onRef('a.id', '=', 'm.audience_id').onRef('a.workspace_id', '=', 'm.workspace_id'))
    .select(['a.id', 'a.name', 'a.kind', 'a.status', 'm.entered_at'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.profile_id', '=', person)
  if (page.after) query = query.where('a.id', '>', page.after)
  const rows = await query.orderBy('a.id').limit(page.limit).execute()
  return {
    kind: 'Found',
    profileId: person,
    audiences: rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as PersonAudience['kind'], status: r.status, enteredAt: Number(r.entered_at) })),
  }
}
