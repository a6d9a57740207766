import type { Kysely } from 'kysely'
import { chunked, insertRows, readJson, writeJson, type DialectName, type Schema } from '../platform/index.ts'

/**
 * A profile row as the writer holds it while applying a batch. Only what events cannot tell on
 * their own lives here — traits and merge state. Counts, first/last seen, revenue and channels
 * are read from the log (see `read.ts`), so most events never touch their profile's row.
 */
export interface ProfileRecord {
  id: string
  traits: Record<string, unknown>
  createdAt: number
  updatedAt: number
}

export function emptyProfile(id: string, now: number): ProfileRecord {
  return { id, traits: {}, createdAt: now, updatedAt: now }
}

export async function loadProfileRecords(trx: Kysely<Schema>, workspaceId: string, ids: Iterable<string>): Promise<Map<string, ProfileRecord>> {
  const out = new Map<string, ProfileRecord>()
  for (const part of chunked([...new Set(ids)], 5_000)) {
    const rows = await trx.selectFrom('profiles').select(['id', 'traits', 'created_at', 'updated_at']).where('workspace_id', '=', workspaceId).where('id', 'in', part).execute()
    for (const r of rows) out.set(r.id, { id: r.id, traits: readJson(r.traits, {}), createdAt: r.created_at, updatedAt: r.updated_at })
  }
  return out
}

/** Upserts profiles in one statement per chunk; they are all surviving profiles (not merged). */
export async function saveProfileRecords(trx: Kysely<Schema>, dialect: DialectName, workspaceId: string, records: Iterable<ProfileRecord>): Promise<void> {
  const rows: unknown[][] = []
  for (const p of records) rows.push([p.id, workspaceId, writeJson(p.traits), null, p.createdAt, p.updatedAt])
  await insertRows(trx, dialect, 'profiles', ['id', 'workspace_id', 'traits', 'merged_into', 'created_at', 'updated_at'], rows, { upsertOn: ['id'] })
}

/**
 * Folds a merged profile's traits into its survivor. The survivor's values win where both have
 * one: it is the older, longer-known record.
 */
export function mergeProfileRecords(survivor: ProfileRecord, merged: ProfileRecord, now: number): void {
  survivor.traits = { ...merged.traits, ...survivor.traits }
  survivor.updatedAt = now
}
