import type { Kysely } from 'kysely'
import { readJson, writeJson, type Schema } from '../../platform/index.ts'
import { ChannelRule } from './channel-rule.ts'
import { defaultChannelRules } from './default-rules.ts'

/** A workspace's channel rules in evaluation order. `version` 0 means the defaults, never edited. */
export interface ChannelRuleSet {
  rules: ChannelRule[]
  version: number
  isDefault: boolean
  updatedAt: number | null
}

export const MAX_CHANNEL_RULES = 1000

/**
 * The workspace's rules, or the defaults when it never edited them.
 *
 * @example (await getChannelRules(db, workspaceId)).rules[0].id // 'exclude-payment-referrers'
 */
export async function getChannelRules(db: Kysely<Schema>, workspaceId: string): Promise<ChannelRuleSet> {
  const row = await db.selectFrom('measurement_channel_rules').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst()
  if (!row) return { rules: defaultChannelRules(), version: 0, isDefault: true, updatedAt: null }
  const stored = readJson<unknown[]>(row.rules, [])
  return { rules: stored.map((r) => ChannelRule.parse(r)), version: Number(row.version), isDefault: false, updatedAt: Number(row.updated_at) }
}

/** Why an edit of the rule list was refused. */
export type RuleEditRefusal =
  | { kind: 'NotFound'; message: string }
  | { kind: 'DuplicateId'; message: string }
  | { kind: 'TooMany'; message: string }
  | { kind: 'VersionConflict'; message: string; version: number }

export type RuleEditOutcome<T> = { kind: 'saved'; set: ChannelRuleSet; value: T } | RuleEditRefusal

/** An edit: the new list (and what to answer), or why not. */
export type RuleEdit<T> = (rules: ChannelRule[]) => { rules: ChannelRule[]; value: T } | RuleEditRefusal

/**
 * Applies an edit to the workspace's list and stores it. Edits are optimistic: when
 * `expectedVersion` is given and the stored version differs, the edit is refused
 * (`VersionConflict`), so two people editing at once never overwrite each other silently; without
 * it a concurrent change is re-read and the edit applied again.
 *
 * @example
 * await editChannelRules(db, { workspaceId, now }, (rules) => ({ rules: [myRule, ...rules], value: myRule }))
 */
export async function editChannelRules<T>(
  db: Kysely<Schema>,
  input: { workspaceId: string; now: number; expectedVersion?: number },
  edit: RuleEdit<T>,
): Promise<RuleEditOutcome<T>> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getChannelRules(db, input.workspaceId)
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
      return { kind: 'VersionConflict', message: `the rules changed since version ${input.expectedVersion}; they are at version ${current.version}: read them again and retry`, version: current.version }
    }
    const result = edit(current.rules.map((r) => ({ ...r })))
    if ('kind' in result) return result
    const problem = listProblem(result.rules)
    if (problem) return problem
    const version = current.version + 1
    const saved = await writeRules(db, input.workspaceId, result.rules, current.version, version, input.now)
    if (saved) return { kind: 'saved', set: { rules: result.rules, version, isDefault: false, updatedAt: input.now }, value: result.value }
  }
  return { kind: 'VersionConflict', message: 'the rules kept changing while this edit was applied; retry', version: -1 }
}

/** Forgets the workspace's edits: the defaults apply again. */
export async function resetChannelRules(db: Kysely<Schema>, workspaceId: string): Promise<ChannelRuleSet> {
  await db.deleteFrom('measurement_channel_rules').where('workspace_id', '=', workspaceId).execute()
  return getChannelRules(db, workspaceId)
}

function listProblem(rules: ChannelRule[]): RuleEditRefusal | null {
  if (rules.length > MAX_CHANNEL_RULES) return { kind: 'TooMany', message: `a workspace can have at most ${MAX_CHANNEL_RULES} channel rules` }
  const seen = new Set<string>()
  for (const rule of rules) {
    if (seen.has(rule.id)) return { kind: 'DuplicateId', message: `two rules have the id '${rule.id}'; ids must be unique` }
    seen.add(rule.id)
  }
  return null
}

/** Writes the list if the stored version is still `from`; false when someone else wrote first. */
async function writeRules(db: Kysely<Schema>, workspaceId: string, rules: ChannelRule[], from: number, version: number, now: number): Promise<boolean> {
  const json = writeJson(rules)
  if (from === 0) {
    const inserted = await db
      .insertInto('measurement_channel_rules')
      .values({ workspace_id: workspaceId, rules: json, version, updated_at: now })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .executeTakeFirst()
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1
  }
  const updated = await db
    .updateTable('measurement_channel_rules')
    .set({ rules: json, version, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('version', '=', from)
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) === 1
}
