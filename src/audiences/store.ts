import type { Kysely } from 'kysely'
import { readJson, writeJson, type Schema } from '../platform/index.ts'
import type { Condition } from './definition.ts'
import { parseDefinition } from './parse-definition.ts'
import { analyseDefinition, type AudienceDependencies } from './analyse.ts'

export type AudienceKind = 'dynamic' | 'static'
export type AudienceStatus = 'active' | 'paused'

/** An audience as the module works with it; `deps` is read from the definition (null when static). */
export interface Audience {
  id: string
  workspaceId: string
  name: string
  description: string | null
  kind: AudienceKind
  definition: Condition | null
  status: AudienceStatus
  version: number
  nextCheckAt: number | null
  sweptAt: number | null
  createdAt: number
  updatedAt: number
  deps: AudienceDependencies | null
}

type Row = Schema['audiences']

function fromRow(row: Row): Audience {
  let definition: Condition | null = null
  if (row.kind === 'dynamic') {
    // Stored definitions were validated when saved; parsing again gives them their types.
    const parsed = parseDefinition(readJson(row.definition, null))
    if (!parsed.ok) throw new Error(`Stored definition of audience ${row.id} no longer parses: ${parsed.issues[0]?.path} ${parsed.issues[0]?.message}`)
    definition = parsed.definition
  }
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    description: row.description,
    kind: row.kind as AudienceKind,
    definition,
    status: row.status as AudienceStatus,
    version: Number(row.version),
    nextCheckAt: row.next_check_at === null ? null : Number(row.next_check_at),
    sweptAt: row.swept_at === null ? null : Number(row.swept_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    deps: definition ? analyseDefinition(definition) : null,
  }
}

export async function getAudience(db: Kysely<Schema>, workspaceId: string, id: string): Promise<Audience | null> {
  const row = await db.selectFrom('audiences').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return row ? fromRow(row) : null
}

export async function findAudienceByName(db: Kysely<Schema>, workspaceId: string, name: string): Promise<Audience | null> {
  const row = await db.selectFrom('audiences').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst()
  return row ? fromRow(row) : null
}

/** Every audience of a workspace (membership conditions may name any of them). */
export async function workspaceAudiences(db: Kysely<Schema>, workspaceId: string): Promise<Audience[]> {
  const rows = await db.selectFrom('audiences').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute()
  return rows.map(fromRow)
}

/** A page of audiences, oldest first; the cursor is the last id of the previous page. */
export async function listAudiences(db: Kysely<Schema>, workspaceId: string, page: { limit: number; after: string | null }): Promise<Audience[]> {
  let query = db.selectFrom('audiences').selectAll().where('workspace_id', '=', workspaceId)
  if (page.after) query = query.where('id', '>', page.after)
  return (await query.orderBy('id').limit(page.limit).execute()).map(fromRow)
}

export async function insertAudience(db: Kysely<Schema>, a: Omit<Audience, 'deps'>): Promise<void> {
  await db
    .insertInto('audiences')
    .values({
      id: a.id,
      workspace_id: a.workspaceId,
      name: a.name,
      description: a.description,
      kind: a.kind,
      definition: a.definition === null ? null : writeJson(a.definition),
      status: a.status,
      version: a.version,
      next_check_at: a.nextCheckAt,
      swept_at: a.sweptAt,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
    })
    .execute()
}

export async function saveAudience(db: Kysely<Schema>, a: Omit<Audience, 'deps'>): Promise<void> {
  await db
    .updateTable('audiences')
    .set({
      name: a.name,
      description: a.description,
      definition: a.definition === null ? null : writeJson(a.definition),
      status: a.status,
      version: a.version,
      next_check_at: a.nextCheckAt,
      swept_at: a.sweptAt,
      updated_at: a.updatedAt,
    })
    .where('workspace_id', '=', a.workspaceId)
    .where('id', '=', a.id)
    .execute()
}

/** Member counts for some audiences (people whose profile still exists). */
export async function audienceSizes(db: Kysely<Schema>, workspaceId: string, ids: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>(ids.map((id) => [id, 0]))
  if (ids.length === 0) return sizes
  const rows = await db
    .selectFrom('audience_members as m')
    .innerJoin('profiles as p', 'p.id', 'm.profile_id')
    .select((eb) => ['m.audience_id', eb.fn.countAll<number>().as('n')])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.audience_id', 'in', [...ids])
    .groupBy('m.audience_id')
    .execute()
  for (const r of rows) sizes.set(r.audience_id, Number(r.n))
  return sizes
}
