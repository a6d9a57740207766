import { newId, readJson, writeJson } from '../../platform/index.ts'
import { parseMessageHouse, type MessageHouse } from '../message-house.ts'
import { iso, lockHouse, type HubDeps } from './deps.ts'
import { invalid, notFound, ok, type Actor, type Outcome } from './outcome.ts'
import { readHouseReport, recheckHouse, type HouseReport } from './recheck.ts'

/**
 * Message houses per brand or campaign, versioned: every save is a new version, any version can
 * be read, and the checker always uses the current one (saving a version rechecks every variant).
 */

export interface HouseView {
  id: string
  name: string
  brand: string
  campaignId: string | null
  /** The version shown. */
  version: number
  currentVersion: number
  house: MessageHouse
  note: string | null
  versionCreatedBy: string
  versionCreatedAt: string
  createdAt: string
  updatedAt: string
  /** The consistency of the house's variants (current version only). */
  report: HouseReport | null
}

export interface HouseVersionSummary {
  version: number
  note: string | null
  createdBy: string
  createdAt: string
  coreMessage: string
  pillars: string[]
}

function parseHouse(input: unknown): Outcome<MessageHouse> {
  const parsed = parseMessageHouse(input)
  if (!parsed.ok) return invalid(`the message house is not valid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, parsed.issues)
  return ok(parsed.house)
}

/**
 * @example
 * await createHouse(deps, { workspaceId, name: '活力健康 上市', house: { brand: '和声优品', coreMessage: '…', pillars: [...] }, actor, now })
 */
export async function createHouse(
  deps: HubDeps,
  input: { workspaceId: string; name: string; campaignId?: string | null; house: unknown; note?: string | null; actor: Actor; now: number },
): Promise<Outcome<HouseView>> {
  const parsed = parseHouse(input.house)
  if (!parsed.ok) return parsed
  const id = newId('mh', input.now)
  await deps.database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('content_houses')
      .values({ id, workspace_id: input.workspaceId, name: input.name, brand: parsed.value.brand, campaign_id: input.campaignId ?? null, current_version: 1, created_at: input.now, updated_at: input.now })
      .execute()
    await insertVersion(trx, input.workspaceId, id, 1, parsed.value, input.note ?? null, input.actor, input.now)
    await recheckHouse(trx, { workspaceId: input.workspaceId, houseId: id, tokenizer: deps.tokenizer, now: input.now })
    await indexHouse(deps, trx, input.workspaceId, id, input.name, parsed.value, input.now)
  })
  return ok((await getHouse(deps, { workspaceId: input.workspaceId, houseId: id }))!)
}

/** Saves a new version of the house (and optionally renames it); every variant is rechecked against it. */
export async function saveHouseVersion(
  deps: HubDeps,
  input: { workspaceId: string; houseId: string; house: unknown; name?: string; campaignId?: string | null; note?: string | null; actor: Actor; now: number },
): Promise<Outcome<HouseView>> {
  const parsed = parseHouse(input.house)
  if (!parsed.ok) return parsed
  const found = await deps.database.db.transaction().execute(async (trx) => {
    if (!(await lockHouse(trx, deps.database.dialect, input.workspaceId, input.houseId))) return false
    const row = await trx.selectFrom('content_houses').selectAll().where('id', '=', input.houseId).executeTakeFirstOrThrow()
    const version = row.current_version + 1
    const name = input.name ?? row.name
    await trx
      .updateTable('content_houses')
      .set({ current_version: version, brand: parsed.value.brand, name, campaign_id: input.campaignId === undefined ? row.campaign_id : input.campaignId, updated_at: input.now })
      .where('id', '=', input.houseId)
      .execute()
    await insertVersion(trx, input.workspaceId, input.houseId, version, parsed.value, input.note ?? null, input.actor, input.now)
    await recheckHouse(trx, { workspaceId: input.workspaceId, houseId: input.houseId, tokenizer: deps.tokenizer, now: input.now })
    await indexHouse(deps, trx, input.workspaceId, input.houseId, name, parsed.value, input.now)
    return true
  })
  if (!found) return notFound(`no message house ${input.houseId}`)
  return ok((await getHouse(deps, { workspaceId: input.workspaceId, houseId: input.houseId }))!)
}

/** A house at its current version, or at `version`. */
export async function getHouse(deps: HubDeps, input: { workspaceId: string; houseId: string; version?: number }): Promise<HouseView | null> {
  const db = deps.database.db
  const row = await db.selectFrom('content_houses').selectAll().where('workspace_id', '=', input.workspaceId).where('id', '=', input.houseId).executeTakeFirst()
  if (!row) return null
  const version = input.version ?? row.current_version
  const versionRow = await db.selectFrom('content_house_versions').selectAll().where('house_id', '=', row.id).where('version', '=', version).executeTakeFirst()
  if (!versionRow) return null
  const report = version === row.current_version ? await readHouseReport(db, input.workspaceId, row.id) : null
  return {
    id: row.id,
    name: row.name,
    brand: row.brand,
    campaignId: row.campaign_id,
    version,
    currentVersion: row.current_version,
    house: readJson<MessageHouse>(versionRow.house, {} as MessageHouse),
    note: versionRow.note,
    versionCreatedBy: versionRow.created_by,
    versionCreatedAt: iso(versionRow.created_at)!,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    report,
  }
}

export async function listHouseVersions(deps: HubDeps, input: { workspaceId: string; houseId: string }): Promise<HouseVersionSummary[] | null> {
  const rows = await deps.database.db
    .selectFrom('content_house_versions')
    .selectAll()
    .where('workspace_id', '=', input.workspaceId)
    .where('house_id', '=', input.houseId)
    .orderBy('version', 'desc')
    .execute()
  if (rows.length === 0) return null
  return rows.map((r) => {
    const house = readJson<MessageHouse>(r.house, {} as MessageHouse)
    return { version: r.version, note: r.note, createdBy: r.created_by, createdAt: iso(r.created_at)!, coreMessage: house.coreMessage, pillars: house.pillars.map((p) => p.name) }
  })
}

export interface HouseListItem {
  id: string
  name: string
  brand: string
  campaignId: string | null
  currentVersion: number
  score: number | null
  updatedAt: string
}

/** Houses of a workspace, newest first, `limit` per page. */
export async function listHouses(deps: HubDeps, input: { workspaceId: string; limit: number; cursor?: string | null; brand?: string }): Promise<{ items: HouseListItem[]; nextCursor: string | null }> {
  let query = deps.database.db
    .selectFrom('content_houses as h')
    .leftJoin('content_house_reports as r', 'r.house_id', 'h.id')
    .select(['h.id', 'h.name', 'h.brand', 'h.campaign_id', 'h.current_version', 'h.updated_at', 'r.score'])
    .where('h.workspace_id', '=', input.workspaceId)
    .orderBy('h.id', 'desc')
    .limit(input.limit + 1)
  if (input.cursor) query = query.where('h.id', '<', input.cursor)
  if (input.brand) query = query.where('h.brand', '=', input.brand)
  const rows = await query.execute()
  const page = rows.slice(0, input.limit)
  return {
    items: page.map((r) => ({ id: r.id, name: r.name, brand: r.brand, campaignId: r.campaign_id, currentVersion: r.current_version, score: r.score ?? null, updatedAt: iso(r.updated_at)! })),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  }
}

async function insertVersion(trx: HubDeps['database']['db'], workspaceId: string, houseId: string, version: number, house: MessageHouse, note: string | null, actor: Actor, now: number) {
  await trx
    .insertInto('content_house_versions')
    .values({ workspace_id: workspaceId, house_id: houseId, version, house: writeJson(house), note, created_by: actor.id, created_at: now })
    .execute()
}

/** The house's words in the search index: core message, translations, pillars, proof, tone. */
async function indexHouse(deps: HubDeps, trx: HubDeps['database']['db'], workspaceId: string, houseId: string, name: string, house: MessageHouse, now: number) {
  const text = [
    house.coreMessage,
    ...Object.values(house.coreMessageTranslations),
    ...house.pillars.flatMap((p) => [p.name, ...p.keyPhrases, ...p.proofPoints, ...Object.values(p.benefits).flat()]),
    ...house.toneWords,
  ].join('\n')
  await deps.search.put(trx, { workspaceId, kind: 'house', refId: houseId, title: `${house.brand} · ${name}`, text, now })
}
