import type { Kysely } from 'kysely'
import type { Schema } from '../platform/index.ts'
import { canonicalProfileId } from '../profiles/index.ts'
import { csvLine } from './csv.ts'

/**
 * Whether a person is in an audience now. Any of the person's profile ids works: a profile merged
 * into another is answered for the surviving profile, which is where membership lives.
 *
 * @example if (await isMember(db, workspaceId, 'aud_01jd…', profileId)) { … }
 */
export async function isMember(db: Kysely<Schema>, workspaceId: string, audienceId: string, profileId: string): Promise<boolean> {
  const person = await canonicalProfileId(db, workspaceId, profileId)
  if (person === null) return false // no such profile (or deleted)
  const row = await db
    .selectFrom('audience_members')
    .select('profile_id')
    .where('audience_id', '=', audienceId)
    .where('profile_id', '=', person)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Members' profile ids in ascending order, a page at a time: `after` is the last id of the
 * previous page (null for the first). Only people whose profile still exists are listed.
 *
 * @example
 * let after = null
 * for (;;) { const ids = await audienceMembers(db, ws, aud, { after, limit: 1000 }); if (!ids.length) break; after = ids.at(-1) }
 */
export async function audienceMembers(db: Kysely<Schema>, workspaceId: string, audienceId: string, page: { after: string | null; limit: number }): Promise<string[]> {
  return (await memberPage(db, workspaceId, audienceId, page)).map((m) => m.profileId)
}

/** Whether the workspace has this audience. */
export async function audienceExists(db: Kysely<Schema>, workspaceId: string, audienceId: string): Promise<boolean> {
  return (await db.selectFrom('audiences').select('id').where('workspace_id', '=', workspaceId).where('id', '=', audienceId).executeTakeFirst()) !== undefined
}

export interface MemberView {
  profileId: string
  enteredAt: number
}

export async function memberPage(db: Kysely<Schema>, workspaceId: string, audienceId: string, page: { after: string | null; limit: number }): Promise<MemberView[]> {
  let query = db
    .selectFrom('audience_members as m')
    .innerJoin('profiles as p', 'p.id', 'm.profile_id')
    .select(['m.profile_id', 'm.entered_at'])
    .where('m.audience_id', '=', audienceId)
    .where('m.workspace_id', '=', workspaceId)
  if (page.after) query = query.where('m.profile_id', '>', page.after)
  const rows = await query.orderBy('m.profile_id').limit(page.limit).execute()
  return rows.map((r) => ({ profileId: r.profile_id, enteredAt: Number(r.entered_at) }))
}

/** Identifier types written as columns of the CSV export. */
export const EXPORT_IDENTIFIERS = ['user_id', 'email', 'phone', 'wechat_unionid', 'wechat_openid'] as const

/**
 * The CSV export, line by line, read a page at a time so memory stays flat for any size:
 * `profile_id,entered_at,user_id,email,phone,wechat_unionid,wechat_openid` (the first identifier
 * of each type; empty when the person has none).
 */
export async function* memberCsvLines(db: Kysely<Schema>, workspaceId: string, audienceId: string, pageSize = 2_000): AsyncGenerator<string> {
  yield csvLine(['profile_id', 'entered_at', ...EXPORT_IDENTIFIERS])
  let after: string | null = null
  for (;;) {
    const page = await memberPage(db, workspaceId, audienceId, { after, limit: pageSize })
    if (page.length === 0) return
    const identities = await db
      .selectFrom('identities')
      .select(['profile_id', 'type', 'value'])
      .where('workspace_id', '=', workspaceId)
      .where(
        'profile_id',
        'in',
        page.map((m) => m.profileId),
      )
      .where('type', 'in', [...EXPORT_IDENTIFIERS])
      .orderBy('value')
      .execute()
    const byProfile = new Map<string, Map<string, string>>()
    for (const i of identities) {
      let types = byProfile.get(i.profile_id)
      if (!types) byProfile.set(i.profile_id, (types = new Map()))
      if (!types.has(i.type)) types.set(i.type, i.value)
    }
    let chunk = ''
    for (const m of page) {
      const types = byProfile.get(m.profileId)
      chunk += csvLine([m.profileId, new Date(m.enteredAt).toISOString(), ...EXPORT_IDENTIFIERS.map((t) => types?.get(t) ?? '')])
    }
    yield chunk
    after = page[page.length - 1]!.profileId
  }
}
