import { z } from 'zod'
import { newId, readJson, writeJson } from '../../platform/index.ts'
import { iso, type HubDeps } from './deps.ts'
import { conflict, invalid, notFound, ok, type Actor, type Outcome } from './outcome.ts'

/**
 * Assets — images and video links — with tags, and where each is used: which variant, in which
 * placement (cover, inline, thumbnail …). Assets are searchable by title, description and tags.
 */

export const AssetInput = z.object({
  kind: z.enum(['image', 'video']),
  url: z.url({ protocol: /^https?$/, error: 'an asset url is an http(s) address' }),
  title: z.string().trim().min(1),
  description: z.string().trim().optional(),
  tags: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
  meta: z
    .object({
      width: z.number().int().positive().optional(),
      height: z.number().int().positive().optional(),
      durationSeconds: z.number().positive().optional(),
      mimeType: z.string().optional(),
      altText: z.string().optional(),
    })
    .default({}),
})
export type AssetInput = z.input<typeof AssetInput>

export const AssetChange = AssetInput.pick({ title: true, description: true, tags: true, meta: true }).partial()

export interface AssetUsage {
  variantId: string
  placement: string
  houseId: string
  channel: string
  stage: string
  since: string
}

export interface AssetView {
  id: string
  kind: 'image' | 'video'
  url: string
  title: string
  description: string | null
  tags: string[]
  meta: Record<string, unknown>
  createdBy: string
  createdAt: string
  updatedAt: string
  usages: AssetUsage[]
}

/** Tags compare after NFKC and lower case, so 活力 and "Summer" / "summer" are each one tag. */
export function normaliseTag(tag: string): string {
  return tag.normalize('NFKC').trim().toLowerCase()
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }))
}

export async function createAsset(deps: HubDeps, input: { workspaceId: string; asset: unknown; actor: Actor; now: number }): Promise<Outcome<AssetView>> {
  const parsed = AssetInput.safeParse(input.asset)
  if (!parsed.success) {
    const issues = issuesOf(parsed.error)
    return invalid(`the asset is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues)
  }
  const asset = parsed.data
  const tags = [...new Set(asset.tags.map(normaliseTag))]
  const id = newId('ast', input.now)
  await deps.database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('content_assets')
      .values({
        id,
        workspace_id: input.workspaceId,
        kind: asset.kind,
        url: asset.url,
        title: asset.title,
        description: asset.description ?? null,
        tags: writeJson(tags),
        meta: writeJson(asset.meta),
        created_by: input.actor.id,
        created_at: input.now,
        updated_at: input.now,
      })
      .execute()
    await writeTags(trx, input.workspaceId, id, tags)
    await deps.search.put(trx, { workspaceId: input.workspaceId, kind: 'asset', refId: id, title: asset.title, text: [asset.description ?? '', ...tags].join('\n'), now: input.now })
  })
  return ok((await getAsset(deps, { workspaceId: input.workspaceId, assetId: id }))!)
}

export async function updateAsset(deps: HubDeps, input: { workspaceId: string; assetId: string; change: unknown; now: number }): Promise<Outcome<AssetView>> {
  const parsed = AssetChange.safeParse(input.change)
  if (!parsed.success) {
    const issues = issuesOf(parsed.error)
    return invalid(`the change is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues)
  }
  const current = await getAsset(deps, input)
  if (!current) return notFound(`no asset ${input.assetId}`)
  const change = parsed.data
  const tags = change.tags ? [...new Set(change.tags.map(normaliseTag))] : current.tags
  const title = change.title ?? current.title
  const description = change.description === undefined ? current.description : change.description
  await deps.database.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('content_assets')
      .set({ title, description, tags: writeJson(tags), meta: writeJson(change.meta ?? current.meta), updated_at: input.now })
      .where('id', '=', input.assetId)
      .execute()
    await trx.deleteFrom('content_asset_tags').where('workspace_id', '=', input.workspaceId).where('asset_id', '=', input.assetId).execute()
    await writeTags(trx, input.workspaceId, input.assetId, tags)
    await deps.search.put(trx, { workspaceId: input.workspaceId, kind: 'asset', refId: input.assetId, title, text: [description ?? '', ...tags].join('\n'), now: input.now })
  })
  return ok((await getAsset(deps, input))!)
}

/** Deletes an asset that no variant uses; a used one is refused with the variants named. */
export async function deleteAsset(deps: HubDeps, input: { workspaceId: string; assetId: string }): Promise<Outcome<{ deleted: string }>> {
  const current = await getAsset(deps, input)
  if (!current) return notFound(`no asset ${input.assetId}`)
  if (current.usages.length > 0) {
    return conflict(`asset ${input.assetId} is used by ${current.usages.map((u) => `${u.variantId} (${u.channel}, ${u.stage}, ${u.placement})`).join(', ')}; detach it first`)
  }
  await deps.database.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('content_asset_tags').where('workspace_id', '=', input.workspaceId).where('asset_id', '=', input.assetId).execute()
    await trx.deleteFrom('content_assets').where('id', '=', input.assetId).execute()
    await deps.search.remove(trx, input.workspaceId, 'asset', input.assetId)
  })
  return ok({ deleted: input.assetId })
}

export async function getAsset(deps: HubDeps, input: { workspaceId: string; assetId: string }): Promise<AssetView | null> {
  const db = deps.database.db
  const row = await db.selectFrom('content_assets').selectAll().where('workspace_id', '=', input.workspaceId).where('id', '=', input.assetId).executeTakeFirst()
  if (!row) return null
  const usages = await db
    .selectFrom('content_asset_usages as u')
    .innerJoin('content_variants as v', 'v.id', 'u.variant_id')
    .select(['u.variant_id', 'u.placement', 'u.created_at', 'v.house_id', 'v.channel', 'v.stage'])
    .where('u.workspace_id', '=', input.workspaceId)
    .where('u.asset_id', '=', row.id)
    .orderBy('u.created_at')
    .execute()
  return {
    id: row.id,
    kind: row.kind as AssetView['kind'],
    url: row.url,
    title: row.title,
    description: row.description,
    tags: readJson(row.tags, []),
    meta: readJson(row.meta, {}),
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    usages: usages.map((u) => ({ variantId: u.variant_id, placement: u.placement, houseId: u.house_id, channel: u.channel, stage: u.stage, since: iso(u.created_at)! })),
  }
}

/** Assets newest first, optionally with a tag and of a kind; `cursor` is the last id of the previous page. */
export async function listAssets(deps: HubDeps, input: { workspaceId: string; tag?: string; kind?: string; limit: number; cursor?: string | null }) {
  let query = deps.database.db
    .selectFrom('content_assets as a')
    .select(['a.id', 'a.kind', 'a.url', 'a.title', 'a.tags', 'a.updated_at'])
    .where('a.workspace_id', '=', input.workspaceId)
    .orderBy('a.id', 'desc')
    .limit(input.limit + 1)
  if (input.tag) {
    const tag = normaliseTag(input.tag)
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('content_asset_tags as t').select('t.asset_id').whereRef('t.asset_id', '=', 'a.id').where('t.workspace_id', '=', input.workspaceId).where('t.tag', '=', tag)),
    )
  }
  if (input.kind) query = query.where('a.kind', '=', input.kind)
  if (input.cursor) query = query.where('a.id', '<', input.cursor)
  const rows = await query.execute()
  const page = rows.slice(0, input.limit)
  const counts = page.length === 0
    ? []
    : await deps.database.db
        .selectFrom('content_asset_usages')
        .select((eb) => ['asset_id', eb.fn.countAll<number>().as('n')])
        .where('workspace_id', '=', input.workspaceId)
        .where('asset_id', 'in', page.map((r) => r.id))
        .groupBy('asset_id')
        .execute()
  const used = new Map(counts.map((c) => [c.asset_id, Number(c.n)]))
  return {
    items: page.map((r) => ({ id: r.id, kind: r.kind, url: r.url, title: r.title, tags: readJson<string[]>(r.tags, []), usageCount: used.get(r.id) ?? 0, updatedAt: iso(r.updated_at) })),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  }
}

/** Records that a variant uses an asset in a placement (idempotent). */
export async function attachAsset(
  deps: HubDeps,
  input: { workspaceId: string; variantId: string; assetId: string; placement: string; actor: Actor; now: number },
): Promise<Outcome<AssetView>> {
  const db = deps.database.db
  const variant = await db.selectFrom('content_variants').select('id').where('workspace_id', '=', input.workspaceId).where('id', '=', input.variantId).executeTakeFirst()
  if (!variant) return notFound(`no variant ${input.variantId}`)
  const asset = await db.selectFrom('content_assets').select('id').where('workspace_id', '=', input.workspaceId).where('id', '=', input.assetId).executeTakeFirst()
  if (!asset) return notFound(`no asset ${input.assetId}`)
  await db
    .insertInto('content_asset_usages')
    .values({ workspace_id: input.workspaceId, asset_id: input.assetId, variant_id: input.variantId, placement: input.placement, created_by: input.actor.id, created_at: input.now })
    .onConflict((oc) => oc.columns(['asset_id', 'variant_id', 'placement']).doNothing())
    .execute()
  return ok((await getAsset(deps, { workspaceId: input.workspaceId, assetId: input.assetId }))!)
}

export async function detachAsset(deps: HubDeps, input: { workspaceId: string; variantId: string; assetId: string }): Promise<Outcome<{ detached: number }>> {
  const result = await deps.database.db
    .deleteFrom('content_asset_usages')
    .where('workspace_id', '=', input.workspaceId)
    .where('variant_id', '=', input.variantId)
    .where('asset_id', '=', input.assetId)
    .executeTakeFirst()
  const n = Number(result.numDeletedRows)
  if (n === 0) return notFound(`variant ${input.variantId} does not use asset ${input.assetId}`)
  return ok({ detached: n })
}

/** The assets a variant uses, with their placements. */
export async function variantAssets(deps: HubDeps, input: { workspaceId: string; variantId: string }) {
  const rows = await deps.database.db
    .selectFrom('content_asset_usages as u')
    .innerJoin('content_assets as a', 'a.id', 'u.asset_id')
    .select(['a.id', 'a.kind', 'a.url', 'a.title', 'a.tags', 'u.placement'])
    .where('u.workspace_id', '=', input.workspaceId)
    .where('u.variant_id', '=', input.variantId)
    .orderBy('u.created_at')
    .execute()
  return rows.map((r) => ({ assetId: r.id, kind: r.kind, url: r.url, title: r.title, tags: readJson<string[]>(r.tags, []), placement: r.placement }))
}

async function writeTags(trx: HubDeps['database']['db'], workspaceId: string, assetId: string, tags: readonly string[]) {
  if (tags.length === 0) return
  await trx.insertInto('content_asset_tags').values(tags.map((tag) => ({ workspace_id: workspaceId, tag, asset_id: assetId }))).execute()
}
