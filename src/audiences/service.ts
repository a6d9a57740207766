import { newId, readJson, type Clock, type Database, type JobQueue } from '../platform/index.ts'
import { isTimeDependent } from './analyse.ts'
import { analyseDefinition } from './analyse.ts'
import type { Condition } from './definition.ts'
import { parseDefinition, type DefinitionIssue } from './parse-definition.ts'
import { requestRecompute, type RecomputeView } from './recompute.ts'
import { evaluateEveryone } from './refresh.ts'
import { findAudienceByName, getAudience, insertAudience, saveAudience, workspaceAudiences, type Audience, type AudienceKind, type AudienceStatus } from './store.ts'
import { checkDefinition } from './validate.ts'
import { workspaceFacts } from './workspace-facts.ts'

export interface ServiceContext {
  database: Database
  jobs: JobQueue
  clock: Clock
}

export type SaveOutcome =
  | { kind: 'Saved'; audience: Audience; warnings: DefinitionIssue[]; recompute: RecomputeView | null }
  | { kind: 'Invalid'; issues: DefinitionIssue[] }
  | { kind: 'NameTaken'; name: string }
  | { kind: 'NotFound' }

export interface AudienceInput {
  name: string
  description?: string | null
  kind?: AudienceKind
  definition?: unknown
  status?: AudienceStatus
  /** Accept event and trait names the workspace has not seen yet (they come back as warnings). */
  allowUnknownNames?: boolean
}

/**
 * Parses and checks a definition in its workspace: `{ definition, warnings }` or the issues.
 * Unknown event and trait names are refused unless `allowUnknownNames` (see `checkDefinition`).
 */
async function prepareDefinition(ctx: ServiceContext, workspaceId: string, raw: unknown, selfId: string | null, allowUnknownNames: boolean) {
  const parsed = parseDefinition(raw)
  if (!parsed.ok) return { ok: false as const, issues: parsed.issues }
  const check = await checkDefinition(ctx.database.db, ctx.database.dialect, workspaceId, parsed.definition, selfId, { strictNames: !allowUnknownNames })
  if (check.errors.length > 0) return { ok: false as const, issues: check.errors }
  return { ok: true as const, definition: parsed.definition, warnings: check.warnings }
}

/**
 * Creates an audience. A dynamic one is validated, checked against the workspace and compiled,
 * then filled by a queued full evaluation (its `Audience Entered` events included); a static one
 * starts empty and is filled by upload.
 *
 * @example await createAudience(ctx, workspaceId, { name: 'Big spenders', definition: { computed: 'lifetime_revenue', op: '>=', value: 1000 } })
 */
export async function createAudience(ctx: ServiceContext, workspaceId: string, input: AudienceInput): Promise<SaveOutcome> {
  const kind = input.kind ?? 'dynamic'
  const now = ctx.clock.now()
  let definition: Condition | null = null
  let warnings: DefinitionIssue[] = []
  if (kind === 'dynamic') {
    if (input.definition === undefined) return { kind: 'Invalid', issues: [{ path: 'definition', message: 'a dynamic audience needs a definition (or say "kind": "static" to upload members)' }] }
    const prepared = await prepareDefinition(ctx, workspaceId, input.definition, null, input.allowUnknownNames ?? false)
    if (!prepared.ok) return { kind: 'Invalid', issues: prepared.issues }
    definition = prepared.definition
    warnings = prepared.warnings
  } else if (input.definition !== undefined) {
    return { kind: 'Invalid', issues: [{ path: 'definition', message: 'a static audience has no definition: its members are uploaded' }] }
  }
  if (await findAudienceByName(ctx.database.db, workspaceId, input.name)) return { kind: 'NameTaken', name: input.name }
  const record = {
    id: newId('aud', now),
    workspaceId,
    name: input.name,
    description: input.description ?? null,
    kind,
    definition,
    status: input.status ?? 'active',
    version: 1,
    nextCheckAt: definition && isTimeDependent(analyseDefinition(definition)) ? now : null,
    sweptAt: now,
    createdAt: now,
    updatedAt: now,
  } satisfies Omit<Audience, 'deps'>
  await insertAudience(ctx.database.db, record)
  const audience = (await getAudience(ctx.database.db, workspaceId, record.id))!
  const recompute = kind === 'dynamic' ? await requestRecompute(ctx, audience, 'created') : null
  return { kind: 'Saved', audience, warnings, recompute }
}

/**
 * Updates name, description, status or definition. A changed definition is a new version and
 * queues a full re-evaluation; the real-time processor uses the new version from now on.
 */
export async function updateAudience(ctx: ServiceContext, workspaceId: string, id: string, input: Partial<AudienceInput>): Promise<SaveOutcome> {
  const current = await getAudience(ctx.database.db, workspaceId, id)
  if (!current) return { kind: 'NotFound' }
  const now = ctx.clock.now()
  let definition = current.definition
  let warnings: DefinitionIssue[] = []
  let changed = false
  if (input.definition !== undefined) {
    if (current.kind === 'static') return { kind: 'Invalid', issues: [{ path: 'definition', message: 'a static audience has no definition: its members are uploaded' }] }
    const prepared = await prepareDefinition(ctx, workspaceId, input.definition, id, input.allowUnknownNames ?? false)
    if (!prepared.ok) return { kind: 'Invalid', issues: prepared.issues }
    warnings = prepared.warnings
    changed = JSON.stringify(prepared.definition) !== JSON.stringify(current.definition)
    definition = prepared.definition
  }
  if (input.name !== undefined && input.name !== current.name) {
    const other = await findAudienceByName(ctx.database.db, workspaceId, input.name)
    if (other && other.id !== id) return { kind: 'NameTaken', name: input.name }
  }
  const resumed = input.status === 'active' && current.status === 'paused'
  const next = {
    ...current,
    name: input.name ?? current.name,
    description: input.description === undefined ? current.description : input.description,
    status: input.status ?? current.status,
    definition,
    version: changed ? current.version + 1 : current.version,
    nextCheckAt: definition && isTimeDependent(analyseDefinition(definition)) ? (changed || resumed ? now : (current.nextCheckAt ?? now)) : null,
    updatedAt: now,
  }
  await saveAudience(ctx.database.db, next)
  const audience = (await getAudience(ctx.database.db, workspaceId, id))!
  // A paused audience missed events: catching up is a full evaluation, as for a new definition.
  const recompute = audience.kind === 'dynamic' && audience.status === 'active' && (changed || resumed) ? await requestRecompute(ctx, audience, changed ? 'updated' : 'resumed') : null
  return { kind: 'Saved', audience, warnings, recompute }
}

export type DeleteOutcome = { kind: 'Deleted'; members: number } | { kind: 'NotFound' } | { kind: 'InUse'; by: Array<{ id: string; name: string }> }

/**
 * Deletes an audience and its membership (no exit events: the audience itself is gone). Refused
 * while another audience's definition reads it.
 */
export async function deleteAudience(ctx: ServiceContext, workspaceId: string, id: string): Promise<DeleteOutcome> {
  const all = await workspaceAudiences(ctx.database.db, workspaceId)
  if (!all.some((a) => a.id === id)) return { kind: 'NotFound' }
  const readers = all.filter((a) => a.deps?.audiences.has(id))
  if (readers.length > 0) return { kind: 'InUse', by: readers.map((a) => ({ id: a.id, name: a.name })) }
  return ctx.database.db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('audience_members').where('audience_id', '=', id).executeTakeFirst()
    await trx.deleteFrom('audience_recomputes').where('audience_id', '=', id).execute()
    await trx.deleteFrom('audiences').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
    return { kind: 'Deleted' as const, members: Number(removed.numDeletedRows) }
  })
}

export type EstimateOutcome =
  | { kind: 'Estimated'; size: number; sample: Array<{ profileId: string; traits: Record<string, unknown> }>; warnings: DefinitionIssue[] }
  | { kind: 'Invalid'; issues: DefinitionIssue[] }

/**
 * How many people a definition matches right now, and a few of them, before it is saved. The
 * count is exact (the full evaluation a new audience would run); the sample is the first
 * `sample` matches by profile id. Nothing is saved, so names the workspace has not seen come back
 * as warnings beside the size rather than refusing the estimate.
 */
export async function estimateAudience(ctx: ServiceContext, workspaceId: string, raw: unknown, sample: number): Promise<EstimateOutcome> {
  const prepared = await prepareDefinition(ctx, workspaceId, raw, null, true)
  if (!prepared.ok) return { kind: 'Invalid', issues: prepared.issues }
  const facts = await workspaceFacts(ctx.database.db, workspaceId)
  const ids = await evaluateEveryone(ctx.database, { workspaceId, definition: prepared.definition }, ctx.clock.now(), facts.currency, facts.reach)
  const picked = ids.sort().slice(0, sample)
  const rows = picked.length
    ? await ctx.database.db.selectFrom('profiles').select(['id', 'traits']).where('workspace_id', '=', workspaceId).where('id', 'in', picked).orderBy('id').execute()
    : []
  return { kind: 'Estimated', size: ids.length, sample: rows.map((r) => ({ profileId: r.id, traits: readJson(r.traits, {}) })), warnings: prepared.warnings }
}
