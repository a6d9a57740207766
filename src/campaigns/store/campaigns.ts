import { sql, type Kysely } from 'kysely'
import { newId, readJson, writeJson, type DialectName, type Schema } from '../../platform/index.ts'
import { diffValues, type Change } from '../plan/diff.ts'
import { CampaignPlan, type PlanSection } from '../plan/schema.ts'

/**
 * Campaign rows: the plan is one JSON document, versioned by `plan_version`; every change to it
 * (and to the campaign's name, dates or status) is kept in `campaign_plan_edits` with who made it,
 * when, why, and each changed value before and after — the review reads it back.
 */

export const CampaignStatus = ['planning', 'running', 'finished'] as const
export type CampaignStatus = (typeof CampaignStatus)[number]

export interface CampaignRecord {
  id: string
  workspaceId: string
  name: string
  brand: string
  status: CampaignStatus
  startsAt: number
  endsAt: number
  timezone: string
  currency: string
  houseId: string | null
  plan: CampaignPlan
  planVersion: number
  createdBy: string
  createdAt: number
  updatedAt: number
}

export interface PlanEdit {
  id: string
  planVersion: number
  section: string
  changes: Change[]
  reason: string | null
  actor: string
  at: string
}

type Db = Kysely<Schema>
type Row = Schema['campaigns']

function toRecord(row: { [K in keyof Row]: Row[K] }): CampaignRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    brand: row.brand,
    status: row.status as CampaignStatus,
    startsAt: Number(row.starts_at),
    endsAt: Number(row.ends_at),
    timezone: row.timezone,
    currency: row.currency,
    houseId: row.house_id,
    plan: CampaignPlan.parse(readJson(row.plan, {})),
    planVersion: row.plan_version,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}

export async function insertCampaign(
  db: Db,
  input: { workspaceId: string; name: string; brand: string; startsAt: number; endsAt: number; timezone: string; currency: string; actor: string; now: number },
): Promise<CampaignRecord> {
  const id = newId('cmp', input.now)
  const plan = CampaignPlan.parse({})
  await db
    .insertInto('campaigns')
    .values({
      id,
      workspace_id: input.workspaceId,
      name: input.name,
      brand: input.brand,
      status: 'planning',
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      timezone: input.timezone,
      currency: input.currency,
      house_id: null,
      plan: writeJson(plan),
      plan_version: 1,
      created_by: input.actor,
      created_at: input.now,
      updated_at: input.now,
    })
    .execute()
  return (await readCampaign(db, input.workspaceId, id))!
}

export async function readCampaign(db: Db, workspaceId: string, id: string): Promise<CampaignRecord | null> {
  const row = await db.selectFrom('campaigns').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return row ? toRecord(row) : null
}

/** Campaigns newest first; `cursor` is the last id of the previous page. */
export async function listCampaignRows(db: Db, input: { workspaceId: string; status?: string; limit: number; cursor?: string | null }) {
  let query = db.selectFrom('campaigns').selectAll().where('workspace_id', '=', input.workspaceId).orderBy('id', 'desc').limit(input.limit + 1)
  if (input.status) query = query.where('status', '=', input.status)
  if (input.cursor) query = query.where('id', '<', input.cursor)
  const rows = await query.execute()
  const page = rows.slice(0, input.limit).map(toRecord)
  return { items: page, nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null }
}

/** Every campaign with a status, across workspaces (the monitoring job walks them). */
export async function campaignsWithStatus(db: Db, status: CampaignStatus): Promise<Array<{ id: string; workspaceId: string }>> {
  const rows = await db.selectFrom('campaigns').select(['id', 'workspace_id']).where('status', '=', status).execute()
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id }))
}

/**
 * Replaces one section of the plan and records the edit, in one transaction; on PostgreSQL the
 * row is locked so concurrent edits apply one after the other. Returns null for an unknown
 * campaign; an edit that changes nothing is not recorded.
 */
export async function writePlanSection<S extends PlanSection>(
  db: Db,
  dialect: DialectName,
  input: { workspaceId: string; campaignId: string; section: S; value: CampaignPlan[S]; actor: string; now: number; reason?: string | null },
): Promise<CampaignRecord | null> {
  return db.transaction().execute((trx) => applyPlanSection(trx, dialect, input))
}

/** writePlanSection inside a transaction the caller holds (a confirmed alert applies its action with its decision). */
export async function applyPlanSection<S extends PlanSection>(
  trx: Db,
  dialect: DialectName,
  input: { workspaceId: string; campaignId: string; section: S; value: CampaignPlan[S]; actor: string; now: number; reason?: string | null },
): Promise<CampaignRecord | null> {
  const current = await lockCampaign(trx, dialect, input.workspaceId, input.campaignId)
  if (!current) return null
  const changes = diffValues(current.plan[input.section], input.value, input.section)
  if (changes.length === 0) return current
  const plan = { ...current.plan, [input.section]: input.value }
  const version = current.planVersion + 1
  const houseId = input.section === 'strategy' ? ((input.value as CampaignPlan['strategy']).houseId ?? null) : current.houseId
  await trx
    .updateTable('campaigns')
    .set({ plan: writeJson(plan), plan_version: version, house_id: houseId, updated_at: input.now })
    .where('id', '=', input.campaignId)
    .execute()
  await recordEdit(trx, { workspaceId: input.workspaceId, campaignId: input.campaignId, version, section: input.section, changes, reason: input.reason ?? null, actor: input.actor, now: input.now })
  return (await readCampaign(trx, input.workspaceId, input.campaignId))!
}

/** Changes the campaign's own fields (name, brand, dates, status), recorded as a `campaign` edit. */
export async function writeCampaignFields(
  db: Db,
  dialect: DialectName,
  input: { workspaceId: string; campaignId: string; fields: Partial<Pick<CampaignRecord, 'name' | 'brand' | 'startsAt' | 'endsAt' | 'status'>>; actor: string; now: number; reason?: string | null },
): Promise<CampaignRecord | null> {
  return db.transaction().execute(async (trx) => {
    const current = await lockCampaign(trx, dialect, input.workspaceId, input.campaignId)
    if (!current) return null
    const before = { name: current.name, brand: current.brand, startsAt: current.startsAt, endsAt: current.endsAt, status: current.status }
    const after = { ...before, ...Object.fromEntries(Object.entries(input.fields).filter(([, v]) => v !== undefined)) }
    const changes = diffValues(before, after, 'campaign')
    if (changes.length === 0) return current
    await trx
      .updateTable('campaigns')
      .set({ name: after.name, brand: after.brand, starts_at: after.startsAt, ends_at: after.endsAt, status: after.status, updated_at: input.now })
      .where('id', '=', input.campaignId)
      .execute()
    await recordEdit(trx, { workspaceId: input.workspaceId, campaignId: input.campaignId, version: current.planVersion, section: 'campaign', changes, reason: input.reason ?? null, actor: input.actor, now: input.now })
    return (await readCampaign(trx, input.workspaceId, input.campaignId))!
  })
}

/** Reads a campaign inside a transaction, locking its row on PostgreSQL until the transaction ends. */
export async function lockCampaign(trx: Db, dialect: DialectName, workspaceId: string, id: string): Promise<CampaignRecord | null> {
  if (dialect === 'postgres') await sql`select id from campaigns where workspace_id = ${workspaceId} and id = ${id} for update`.execute(trx)
  return readCampaign(trx, workspaceId, id)
}

async function recordEdit(trx: Db, e: { workspaceId: string; campaignId: string; version: number; section: string; changes: Change[]; reason: string | null; actor: string; now: number }) {
  await trx
    .insertInto('campaign_plan_edits')
    .values({ id: newId('ced', e.now), workspace_id: e.workspaceId, campaign_id: e.campaignId, plan_version: e.version, section: e.section, changes: writeJson(e.changes), reason: e.reason, actor: e.actor, at: e.now })
    .execute()
}

/** The audit of a campaign's plan, oldest first. */
export async function planEdits(db: Db, workspaceId: string, campaignId: string): Promise<PlanEdit[]> {
  const rows = await db
    .selectFrom('campaign_plan_edits')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .orderBy('at')
    .orderBy('plan_version')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ id: r.id, planVersion: r.plan_version, section: r.section, changes: readJson<Change[]>(r.changes, []), reason: r.reason, actor: r.actor, at: new Date(Number(r.at)).toISOString() }))
}
