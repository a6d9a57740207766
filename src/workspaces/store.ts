import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { newId, newSecret, readJson, writeJson, type Schema } from '../platform/index.ts'
import type { Role } from './roles.ts'

export interface Workspace {
  id: string
  name: string
  settings: WorkspaceSettings
}

export interface WorkspaceSettings {
  /** ISO 4217 code that lifetime revenue is kept in. */
  currency: string
  /** IANA timezone for reports and people with no timezone trait. */
  timezone: string
}

export const DEFAULT_SETTINGS: WorkspaceSettings = { currency: 'CNY', timezone: 'Asia/Shanghai' }

export interface Source {
  id: string
  workspaceId: string
  name: string
  kind: string
  writeKey: string
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export async function findWorkspaceByName(db: Kysely<Schema>, name: string): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('name', '=', name).executeTakeFirst()
  return row && { id: row.id, name: row.name, settings: { ...DEFAULT_SETTINGS, ...readJson(row.settings, {}) } }
}

export async function getWorkspace(db: Kysely<Schema>, id: string): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst()
  return row && { id: row.id, name: row.name, settings: { ...DEFAULT_SETTINGS, ...readJson(row.settings, {}) } }
}

export async function createWorkspace(db: Kysely<Schema>, input: { name: string; settings?: Partial<WorkspaceSettings>; now: number }): Promise<Workspace> {
  const workspace: Workspace = { id: newId('ws', input.now), name: input.name, settings: { ...DEFAULT_SETTINGS, ...input.settings } }
  await db
    .insertInto('workspaces')
    .values({ id: workspace.id, name: workspace.name, settings: writeJson(workspace.settings), created_at: input.now })
    .execute()
  return workspace
}

export async function createSource(db: Kysely<Schema>, input: { workspaceId: string; name: string; kind?: string; now: number }): Promise<Source> {
  const source: Source = { id: newId('src', input.now), workspaceId: input.workspaceId, name: input.name, kind: input.kind ?? 'segment', writeKey: newSecret('wk') }
  await db
    .insertInto('sources')
    .values({ id: source.id, workspace_id: source.workspaceId, name: source.name, kind: source.kind, write_key: source.writeKey, created_at: input.now })
    .execute()
  return source
}

export async function listSources(db: Kysely<Schema>, workspaceId: string): Promise<Source[]> {
  const rows = await db.selectFrom('sources').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute()
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, name: r.name, kind: r.kind, writeKey: r.write_key }))
}

export async function deleteSource(db: Kysely<Schema>, workspaceId: string, sourceId: string): Promise<boolean> {
  const result = await db.deleteFrom('sources').where('workspace_id', '=', workspaceId).where('id', '=', sourceId).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export async function findSourceByWriteKey(db: Kysely<Schema>, writeKey: string): Promise<Source | undefined> {
  const r = await db.selectFrom('sources').selectAll().where('write_key', '=', writeKey).executeTakeFirst()
  return r && { id: r.id, workspaceId: r.workspace_id, name: r.name, kind: r.kind, writeKey: r.write_key }
}

/** Creates an admin token; only its hash is stored, so the returned secret is shown once. */
export async function createAdminToken(db: Kysely<Schema>, input: { workspaceId: string; name: string; role: Role; now: number }): Promise<{ id: string; token: string }> {
  const token = newSecret('ck')
  const id = newId('tok', input.now)
  await db
    .insertInto('admin_tokens')
    .values({ id, workspace_id: input.workspaceId, name: input.name, role: input.role, token_hash: hashToken(token), created_at: input.now, last_used_at: null })
    .execute()
  return { id, token }
}

export async function findAdminToken(db: Kysely<Schema>, token: string): Promise<{ id: string; workspaceId: string; role: Role } | undefined> {
  const row = await db.selectFrom('admin_tokens').select(['id', 'workspace_id', 'role']).where('token_hash', '=', hashToken(token)).executeTakeFirst()
  return row && { id: row.id, workspaceId: row.workspace_id, role: row.role as Role }
}

/**
 * The first workspace and its first source, created when absent (`chorus init`). Idempotent:
 * running it again returns the same workspace and write key.
 */
export async function ensureDefaultWorkspace(db: Kysely<Schema>, now: number): Promise<{ workspace: Workspace; source: Source; created: boolean }> {
  const existing = await findWorkspaceByName(db, 'default')
  if (existing) {
    const sources = await listSources(db, existing.id)
    const source = sources[0] ?? (await createSource(db, { workspaceId: existing.id, name: 'Default source', now }))
    return { workspace: existing, source, created: false }
  }
  const workspace = await createWorkspace(db, { name: 'default', now })
  const source = await createSource(db, { workspaceId: workspace.id, name: 'Default source', now })
  return { workspace, source, created: true }
}
