import type { Kysely } from 'kysely'
import { readJson, writeJson, type Schema } from '../platform/index.ts'
import { DEFAULT_IDENTITY_RULES, IdentityRules } from './rules.ts'

export async function getIdentityRules(db: Kysely<Schema>, workspaceId: string): Promise<IdentityRules> {
  const row = await db.selectFrom('identity_rules').select('rules').where('workspace_id', '=', workspaceId).executeTakeFirst()
  return row ? IdentityRules.parse(readJson(row.rules, DEFAULT_IDENTITY_RULES)) : DEFAULT_IDENTITY_RULES
}

export async function setIdentityRules(db: Kysely<Schema>, workspaceId: string, rules: IdentityRules, now: number): Promise<void> {
  await db
    .insertInto('identity_rules')
    .values({ workspace_id: workspaceId, rules: writeJson(rules), updated_at: now })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ rules: writeJson(rules), updated_at: now }))
    .execute()
}
