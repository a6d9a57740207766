import { sql, type Kysely, type Selectable } from 'kysely'
import { newId, readJson, writeJson, type ImportsTable, type Schema } from '../../platform/index.ts'
import type { ImportReport } from './import-file.ts'

export type ImportState = 'queued' | 'running' | 'done' | 'failed' | 'interrupted'

export interface ImportSettings {
  /** CSV column mapping as given, e.g. `userId=buyer_id,properties.total=amount`. */
  map?: string
  type?: string
  event?: string
  timezone?: string
}

/** What the API answers for an import: its options, progress and (once finished) report. */
export interface ImportRecord {
  id: string
  name: string
  format: 'csv' | 'ndjson'
  settings: ImportSettings
  state: ImportState
  bytesTotal: number
  bytesRead: number
  rowsRead: number
  stored: number
  duplicates: number
  suppressed: number
  rejected: number
  /** Rows read per second since the import started. */
  rowsPerSecond: number
  rejections: Array<{ line: number; reason: string }>
  error: string | null
  createdBy: string
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

/** The rejections kept with an import; the count covers them all. */
export const KEPT_REJECTIONS = 100

/**
 * A running import beats its heartbeat every few seconds; one silent for longer than this was
 * running in a process that stopped.
 */
export const HEARTBEAT_STALE_MS = 30_000

/**
 * An import whose owner runs on another host, silent for longer than this, is given up by the
 * other processes: they cannot resume it without its file.
 */
export const ABANDONED_MS = 10 * 60_000

export const INTERRUPTED_MESSAGE = 'The server that received this file stopped and its copy of the file is gone; send the file again (rows already stored are not stored twice).'

export async function createImport(
  db: Kysely<Schema>,
  input: { workspaceId: string; name: string; format: 'csv' | 'ndjson'; settings: ImportSettings; bytesTotal: number; tempPath: string; createdBy: string; now: number; owner?: string },
): Promise<string> {
  const id = newId('imp', input.now)
  await db
    .insertInto('imports')
    .values({
      id,
      workspace_id: input.workspaceId,
      name: input.name,
      format: input.format,
      options: writeJson(input.settings),
      state: 'queued',
      bytes_total: input.bytesTotal,
      bytes_read: 0,
      rows_read: 0,
      stored: 0,
      duplicates: 0,
      suppressed: 0,
      rejected: 0,
      rejections: writeJson([]),
      error: null,
      temp_path: input.tempPath,
      owner: input.owner ?? null,
      created_by: input.createdBy,
      created_at: input.now,
      started_at: null,
      finished_at: null,
      heartbeat_at: input.now,
    })
    .execute()
  return id
}

export async function markImportRunning(db: Kysely<Schema>, id: string, owner: string | null, now: number): Promise<void> {
  await db.updateTable('imports').set({ state: 'running', owner, started_at: sql<number>`coalesce(started_at, ${now})`, heartbeat_at: now }).where('id', '=', id).execute()
}

/** Progress so far; also the heartbeat that shows the import's process is alive. */
export async function recordImportProgress(db: Kysely<Schema>, id: string, progress: { bytesRead: number; report: Readonly<ImportReport> }, now: number): Promise<void> {
  await db
    .updateTable('imports')
    .set({ ...countsOf(progress.report), bytes_read: progress.bytesRead, heartbeat_at: now })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute()
}

export async function finishImport(
  db: Kysely<Schema>,
  id: string,
  outcome: { state: 'done' | 'failed' | 'interrupted'; bytesRead: number; report: Readonly<ImportReport> | null; error: string | null },
  now: number,
): Promise<void> {
  await db
    .updateTable('imports')
    .set({ ...(outcome.report ? countsOf(outcome.report) : {}), state: outcome.state, bytes_read: outcome.bytesRead, error: outcome.error, finished_at: now, heartbeat_at: now, temp_path: null })
    .where('id', '=', id)
    .execute()
}

/** An import not yet ended, with what a process needs to resume it. */
export interface UnfinishedImport {
  id: string
  workspaceId: string
  name: string
  format: 'csv' | 'ndjson'
  settings: ImportSettings
  tempPath: string | null
  owner: string | null
  heartbeatAt: number
  bytesRead: number
  /** The counts recorded with the last progress: every row before `report.rowsRead` was written. */
  report: ImportReport
}

export async function unfinishedImports(db: Kysely<Schema>): Promise<UnfinishedImport[]> {
  const rows = await db.selectFrom('imports').selectAll().where('state', 'in', ['queued', 'running']).orderBy('id').execute()
  return rows.map((row) => ({
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    format: row.format as 'csv' | 'ndjson',
    settings: readJson<ImportSettings>(row.options, {}),
    tempPath: row.temp_path,
    owner: row.owner,
    heartbeatAt: Number(row.heartbeat_at),
    bytesRead: Number(row.bytes_read),
    report: { file: row.name, ...countsFrom(row), seconds: 0 },
  }))
}

/**
 * Takes an unfinished import over for `owner`, if nobody else did since it was read (the owner and
 * heartbeat still match): two processes reviewing together never both resume it.
 */
export async function claimImport(db: Kysely<Schema>, found: UnfinishedImport, owner: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set({ owner, heartbeat_at: now })
    .where('id', '=', found.id)
    .where('state', 'in', ['queued', 'running'])
    .where('heartbeat_at', '=', found.heartbeatAt)
    .where((eb) => (found.owner === null ? eb('owner', 'is', null) : eb('owner', '=', found.owner)))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * Hands an import back when its process stops on purpose (a restart, a deploy): queued again with
 * its progress so far and its file, for the next process on this host to resume where it stopped.
 */
export async function releaseImport(db: Kysely<Schema>, id: string, progress: { bytesRead: number; report: Readonly<ImportReport> } | null, now: number): Promise<void> {
  await db
    .updateTable('imports')
    .set({ ...(progress ? { ...countsOf(progress.report), bytes_read: progress.bytesRead } : {}), state: 'queued', heartbeat_at: now })
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'running'])
    .execute()
}

/** Gives up an unfinished import whose file is gone, unless another process claimed it since it was read. */
export async function interruptImport(db: Kysely<Schema>, found: UnfinishedImport, now: number): Promise<void> {
  await db
    .updateTable('imports')
    .set({ state: 'interrupted', error: INTERRUPTED_MESSAGE, finished_at: now, temp_path: null })
    .where('id', '=', found.id)
    .where('state', 'in', ['queued', 'running'])
    .where('heartbeat_at', '=', found.heartbeatAt)
    .execute()
}

export async function getImport(db: Kysely<Schema>, workspaceId: string, id: string, now: number): Promise<ImportRecord | null> {
  const row = await db.selectFrom('imports').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return row ? toRecord(row, now) : null
}

/** Newest first; `after` is the last id of the previous page. */
export async function listImports(db: Kysely<Schema>, workspaceId: string, page: { limit: number; after: string | null }, now: number): Promise<{ items: ImportRecord[]; nextCursor: string | null }> {
  let query = db.selectFrom('imports').selectAll().where('workspace_id', '=', workspaceId)
  if (page.after) query = query.where('id', '<', page.after)
  const rows = await query.orderBy('id', 'desc').limit(page.limit + 1).execute()
  const items = rows.slice(0, page.limit).map((r) => toRecord(r, now))
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1]!.id : null }
}

function countsOf(report: Readonly<ImportReport>) {
  return {
    rows_read: report.rowsRead,
    stored: report.stored,
    duplicates: report.duplicates,
    suppressed: report.suppressed,
    rejected: report.rejected,
    rejections: writeJson(report.rejections.slice(0, KEPT_REJECTIONS)),
  }
}

/** The counts a row holds, as a report has them (the inverse of {@link countsOf}). */
function countsFrom(row: Selectable<ImportsTable>): Omit<ImportReport, 'file' | 'seconds'> {
  return {
    rowsRead: Number(row.rows_read),
    stored: Number(row.stored),
    duplicates: Number(row.duplicates),
    suppressed: Number(row.suppressed),
    rejected: Number(row.rejected),
    rejections: readJson(row.rejections, []),
  }
}

function toRecord(row: Selectable<ImportsTable>, now: number): ImportRecord {
  const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString())
  const started = row.started_at === null ? null : Number(row.started_at)
  const end = row.finished_at === null ? (row.state === 'running' ? Math.max(Number(row.heartbeat_at), now) : null) : Number(row.finished_at)
  const seconds = started !== null && end !== null ? (end - started) / 1000 : 0
  return {
    id: row.id,
    name: row.name,
    format: row.format as 'csv' | 'ndjson',
    settings: readJson<ImportSettings>(row.options, {}),
    state: row.state as ImportState,
    bytesTotal: Number(row.bytes_total),
    bytesRead: Number(row.bytes_read),
    ...countsFrom(row),
    rowsPerSecond: seconds > 0 ? Math.round(Number(row.rows_read) / seconds) : 0,
    error: row.error,
    createdBy: row.created_by,
    createdAt: iso(Number(row.created_at))!,
    startedAt: iso(started),
    finishedAt: iso(row.finished_at === null ? null : Number(row.finished_at)),
  }
}
