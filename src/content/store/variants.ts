import type { Kysely } from 'kysely'
import { newId, readJson, writeJson, type Schema } from '../../platform/index.ts'
import { Stage } from '../message-house.ts'
import type { VariantReport } from '../report.ts'
import { Variant } from '../variant.ts'
import { effectiveChannelProfiles } from './channel-profiles.ts'
import { iso, lockHouse, type HubDeps } from './deps.ts'
import { invalid, notFound, ok, type Actor, type Outcome } from './outcome.ts'
import { readHouseReport, recheckHouse, type HouseReport } from './recheck.ts'

/**
 * The content matrix: for each message house, one variant per channel × journey stage. Saving a
 * cell creates the variant or a new version of it; a new version goes back to `draft` (an
 * approval is for the version a reviewer read). Every save reruns the checks for the house.
 */

export const VariantState = ['draft', 'in_review', 'approved', 'published'] as const
export type VariantState = (typeof VariantState)[number]

export interface VariantCheck {
  houseVersion: number | null
  score: number | null
  blocks: number
  warnings: number
  checkedAt: string | null
  report: VariantReport | null
}

export interface VariantView {
  id: string
  houseId: string
  channel: string
  stage: Stage
  state: VariantState
  version: number
  currentVersion: number
  persona: string | null
  fields: Record<string, string>
  hashtags: string[]
  check: VariantCheck
  versionCreatedBy: string
  versionCreatedAt: string
  createdAt: string
  updatedAt: string
}

export interface CellInput {
  workspaceId: string
  houseId: string
  channel: string
  stage: string
  persona?: string | null
  fields: Record<string, string>
  hashtags?: string[]
  actor: Actor
  now: number
  /** Optional guard: the version the writer edited; a newer one makes this a conflict. */
  baseVersion?: number
}

/**
 * Creates the variant of a matrix cell, or saves a new version of it.
 *
 * @example
 * await saveCell(deps, { workspaceId, houseId, channel: 'xiaohongshu-note', stage: 'awareness', fields: { title: '…', body: '…' }, hashtags: ['活力健康'], actor, now })
 */
export async function saveCell(deps: HubDeps, input: CellInput): Promise<Outcome<VariantView>> {
  const stage = Stage.safeParse(input.stage)
  if (!stage.success) return invalid(`stage must be one of ${Stage.options.join(', ')} (got "${input.stage}")`)
  const shape = Variant.safeParse({ id: 'new', channel: input.channel, stage: input.stage, fields: input.fields, hashtags: input.hashtags ?? [], ...(input.persona ? { persona: input.persona } : {}) })
  if (!shape.success) {
    const issues = shape.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }))
    return invalid(`the variant is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues)
  }
  if (Object.values(input.fields).every((text) => text.trim() === '') && (input.hashtags ?? []).length === 0) {
    return invalid('the variant has no text: give at least one field (title, body, …)')
  }
  const db = deps.database.db
  const channels = (await effectiveChannelProfiles(db, input.workspaceId)).map((v) => v.profile.id)
  if (!channels.includes(input.channel)) {
    return invalid(`no channel profile "${input.channel}"; known channels: ${channels.join(', ')} (PUT /content/channels/${input.channel} defines one)`)
  }
  const outcome = await db.transaction().execute(async (trx): Promise<Outcome<string>> => {
    if (!(await lockHouse(trx, deps.database.dialect, input.workspaceId, input.houseId))) return notFound(`no message house ${input.houseId}`)
    const existing = await trx
      .selectFrom('content_variants')
      .selectAll()
      .where('workspace_id', '=', input.workspaceId)
      .where('house_id', '=', input.houseId)
      .where('channel', '=', input.channel)
      .where('stage', '=', input.stage)
      .executeTakeFirst()
    if (existing && input.baseVersion !== undefined && input.baseVersion !== existing.current_version) {
      return { ok: false, kind: 'Conflict', message: `version ${existing.current_version} of this variant was saved after version ${input.baseVersion} you edited; reload it and apply your changes again` }
    }
    const id = existing?.id ?? newId('var', input.now)
    const version = (existing?.current_version ?? 0) + 1
    if (existing) {
      await trx.updateTable('content_variants').set({ current_version: version, state: 'draft', updated_at: input.now }).where('id', '=', id).execute()
    } else {
      await trx
        .insertInto('content_variants')
        .values({ id, workspace_id: input.workspaceId, house_id: input.houseId, channel: input.channel, stage: input.stage, state: 'draft', current_version: 1, created_at: input.now, updated_at: input.now })
        .execute()
    }
    await trx
      .insertInto('content_variant_versions')
      .values({
        workspace_id: input.workspaceId,
        variant_id: id,
        version,
        persona: input.persona ?? null,
        fields: writeJson(input.fields),
        hashtags: writeJson(input.hashtags ?? []),
        house_version: null,
        report: null,
        score: null,
        blocks: null,
        warnings: null,
        checked_at: null,
        created_by: input.actor.id,
        created_at: input.now,
      })
      .execute()
    await trx
      .insertInto('content_variant_events')
      .values({
        id: newId('vev', input.now),
        workspace_id: input.workspaceId,
        variant_id: id,
        version,
        action: existing ? 'edited' : 'created',
        from_state: existing?.state ?? null,
        to_state: 'draft',
        actor: input.actor.id,
        role: input.actor.role,
        comment: null,
        at: input.now,
      })
      .execute()
    await recheckHouse(trx, { workspaceId: input.workspaceId, houseId: input.houseId, tokenizer: deps.tokenizer, now: input.now })
    const houseName = (await trx.selectFrom('content_houses').select('name').where('id', '=', input.houseId).executeTakeFirstOrThrow()).name
    await deps.search.put(trx, {
      workspaceId: input.workspaceId,
      kind: 'variant',
      refId: id,
      title: `${houseName} · ${input.channel} · ${input.stage}`,
      text: [...Object.values(input.fields), ...(input.hashtags ?? []).map((h) => `#${h.replace(/^#+|#+$/g, '')}`)].join('\n'),
      now: input.now,
    })
    return ok(id)
  })
  if (!outcome.ok) return outcome
  return ok((await getVariant(db, { workspaceId: input.workspaceId, variantId: outcome.value }))!)
}

/** A variant at its current version, or at `version`, with the checks stored for that version. */
export async function getVariant(db: Kysely<Schema>, input: { workspaceId: string; variantId: string; version?: number }): Promise<VariantView | null> {
  const row = await db.selectFrom('content_variants').selectAll().where('workspace_id', '=', input.workspaceId).where('id', '=', input.variantId).executeTakeFirst()
  if (!row) return null
  const version = input.version ?? row.current_version
  const v = await db.selectFrom('content_variant_versions').selectAll().where('variant_id', '=', row.id).where('version', '=', version).executeTakeFirst()
  if (!v) return null
  return {
    id: row.id,
    houseId: row.house_id,
    channel: row.channel,
    stage: row.stage as Stage,
    state: row.state as VariantState,
    version,
    currentVersion: row.current_version,
    persona: v.persona,
    fields: readJson(v.fields, {}),
    hashtags: readJson(v.hashtags, []),
    check: {
      houseVersion: v.house_version,
      score: v.score,
      blocks: v.blocks ?? 0,
      warnings: v.warnings ?? 0,
      checkedAt: iso(v.checked_at),
      report: readJson<VariantReport | null>(v.report, null),
    },
    versionCreatedBy: v.created_by,
    versionCreatedAt: iso(v.created_at)!,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  }
}

export async function listVariantVersions(db: Kysely<Schema>, input: { workspaceId: string; variantId: string }) {
  const rows = await db
    .selectFrom('content_variant_versions')
    .select(['version', 'score', 'blocks', 'warnings', 'house_version', 'created_by', 'created_at', 'checked_at'])
    .where('workspace_id', '=', input.workspaceId)
    .where('variant_id', '=', input.variantId)
    .orderBy('version', 'desc')
    .execute()
  return rows.map((r) => ({ version: r.version, score: r.score, blocks: r.blocks ?? 0, warnings: r.warnings ?? 0, houseVersion: r.house_version, createdBy: r.created_by, createdAt: iso(r.created_at), checkedAt: iso(r.checked_at) }))
}

export interface MatrixCell {
  channel: string
  stage: Stage
  variantId: string
  state: VariantState
  version: number
  score: number | null
  blocks: number
  warnings: number
  persona: string | null
  preview: string
}

export interface ContentMatrix {
  houseId: string
  houseVersion: number
  stages: readonly Stage[]
  /** Every channel profile in force, plus any channel a variant uses. */
  channels: string[]
  cells: MatrixCell[]
  /** The campaign-level consistency of the house's variants. */
  consistency: HouseReport | null
}

/** The house's variants as a channel × stage grid, with each cell's state and score. */
export async function contentMatrix(db: Kysely<Schema>, input: { workspaceId: string; houseId: string }): Promise<ContentMatrix | null> {
  const house = await db.selectFrom('content_houses').select(['id', 'current_version']).where('workspace_id', '=', input.workspaceId).where('id', '=', input.houseId).executeTakeFirst()
  if (!house) return null
  const rows = await db
    .selectFrom('content_variants as v')
    .innerJoin('content_variant_versions as vv', (j) => j.onRef('vv.variant_id', '=', 'v.id').onRef('vv.version', '=', 'v.current_version'))
    .select(['v.id', 'v.channel', 'v.stage', 'v.state', 'v.current_version', 'vv.score', 'vv.blocks', 'vv.warnings', 'vv.persona', 'vv.fields'])
    .where('v.workspace_id', '=', input.workspaceId)
    .where('v.house_id', '=', input.houseId)
    .execute()
  const profiles = (await effectiveChannelProfiles(db, input.workspaceId)).map((v) => v.profile.id)
  const channels = [...new Set([...profiles, ...rows.map((r) => r.channel)])].sort()
  const stageOrder = new Map(Stage.options.map((s, i) => [s, i]))
  const cells = rows
    .map((r) => {
      const fields = readJson<Record<string, string>>(r.fields, {})
      const text = fields.title ?? fields.subject ?? fields.headline ?? fields.body ?? Object.values(fields)[0] ?? ''
      return {
        channel: r.channel,
        stage: r.stage as Stage,
        variantId: r.id,
        state: r.state as VariantState,
        version: r.current_version,
        score: r.score,
        blocks: r.blocks ?? 0,
        warnings: r.warnings ?? 0,
        persona: r.persona,
        preview: [...text].slice(0, 40).join(''),
      }
    })
    .sort((a, b) => (a.channel === b.channel ? stageOrder.get(a.stage)! - stageOrder.get(b.stage)! : a.channel < b.channel ? -1 : 1))
  return { houseId: house.id, houseVersion: house.current_version, stages: Stage.options, channels, cells, consistency: await readHouseReport(db, input.workspaceId, house.id) }
}
