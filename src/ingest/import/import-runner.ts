import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { Logger } from 'pino'
import type { Clock, Database } from '../../platform/index.ts'
import type { IngestWriter } from '../writer.ts'
import { createSource, listSources } from '../../workspaces/index.ts'
import { importFile, type ImportReport } from './import-file.ts'
import { parseMapping } from './column-mapping.ts'
import {
  ABANDONED_MS,
  claimImport,
  finishImport,
  HEARTBEAT_STALE_MS,
  interruptImport,
  KEPT_REJECTIONS,
  markImportRunning,
  recordImportProgress,
  releaseImport,
  unfinishedImports,
  type ImportSettings,
} from './import-store.ts'
import { newOwner, ownerClosed, ownerStatus } from './import-owner.ts'

export interface QueuedImport {
  id: string
  workspaceId: string
  name: string
  format: 'csv' | 'ndjson'
  settings: ImportSettings
  /** The uploaded copy; removed once the import ends, whatever the outcome. */
  tempPath: string
  /** An import carried on after a stop: the rows it had read and the counts it had reached. */
  resume?: ImportReport
}

/** How often a running import writes its progress, which is also its heartbeat. */
const PROGRESS_EVERY_MS = 1_000

/**
 * Runs uploaded files one after another in the process that received them, through the same
 * group-commit writer as live traffic, so an import never takes more than one batch of memory or
 * starves tracking calls. Progress is written at most once a second.
 *
 * An uploaded file is kept until its import ends, so a stop loses nothing: closing the runner (a
 * restart, a deploy) stops after the batch in flight and hands the import back with its progress;
 * a crashed process leaves it marked as its own. {@link adoptUnfinished} — at start, then every
 * few seconds — resumes, from the first row not yet written, every import whose file is on this
 * host and whose owner is gone (its process ended, or its heartbeat went stale); rows written after
 * the last progress record are read again and count as duplicates, never stored twice.
 */
export class ImportRunner {
  readonly #database: Database
  readonly #writer: IngestWriter
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #queue: QueuedImport[] = []
  readonly #abort = new AbortController()
  /** This runner, as recorded on the imports it runs. */
  readonly owner = newOwner()
  #running: Promise<void> | null = null

  constructor(deps: { database: Database; writer: IngestWriter; clock: Clock; logger: Logger }) {
    this.#database = deps.database
    this.#writer = deps.writer
    this.#clock = deps.clock
    this.#logger = deps.logger
  }

  enqueue(job: QueuedImport): void {
    this.#queue.push(job)
    this.#running ??= this.#drain().finally(() => (this.#running = null))
  }

  /** Stops after the batch in flight; every import not finished is handed back, file kept, to be resumed. */
  async close(): Promise<void> {
    this.#abort.abort()
    await this.#running
    ownerClosed(this.owner)
  }

  /**
   * Resumes the unfinished imports this runner can: file on this host, owner gone. Gives up those
   * whose file is lost (owner gone on this host, or silent for {@link ABANDONED_MS} elsewhere).
   * Returns how many it resumed.
   */
  async adoptUnfinished(): Promise<number> {
    if (this.#abort.signal.aborted) return 0
    const db = this.#database.db
    const now = this.#clock.now()
    let adopted = 0
    for (const found of await unfinishedImports(db)) {
      const status = ownerStatus(found.owner, this.owner)
      if (status === 'this runner' || status === 'alive') continue
      const silent = now - found.heartbeatAt
      if (status === 'elsewhere' && silent < HEARTBEAT_STALE_MS) continue
      if (found.tempPath !== null && existsSync(found.tempPath)) {
        if (!(await claimImport(db, found, this.owner, now))) continue
        this.#logger.info({ importId: found.id, rowsRead: found.report.rowsRead }, 'resuming an import its process left unfinished')
        this.enqueue({ id: found.id, workspaceId: found.workspaceId, name: found.name, format: found.format, settings: found.settings, tempPath: found.tempPath, resume: found.report })
        adopted++
      } else if (status === 'gone' || found.owner === null || silent >= ABANDONED_MS) {
        await interruptImport(db, found, now)
      }
    }
    return adopted
  }

  async #drain(): Promise<void> {
    for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
      let ended = true
      try {
        ended = await this.#run(job)
      } catch (error) {
        this.#logger.error({ err: error, importId: job.id }, 'import bookkeeping failed')
      } finally {
        if (ended) await rm(job.tempPath, { force: true })
      }
    }
  }

  /** Runs one import; false when it was handed back unfinished, its file kept. */
  async #run(job: QueuedImport): Promise<boolean> {
    const db = this.#database.db
    if (this.#abort.signal.aborted) {
      await releaseImport(db, job.id, null, this.#clock.now())
      return false
    }
    await markImportRunning(db, job.id, this.owner, this.#clock.now())
    const seen: { latest: { bytesRead: number; report: Readonly<ImportReport> } | null } = { latest: null }
    let writing: Promise<void> = Promise.resolve()
    const beat = setInterval(() => {
      const progress = seen.latest ?? { bytesRead: 0, report: job.resume ?? emptyReport(job.name) }
      writing = writing.then(() => recordImportProgress(db, job.id, progress, this.#clock.now())).catch((error) => this.#logger.warn({ err: error, importId: job.id }, 'could not record import progress'))
    }, PROGRESS_EVERY_MS)
    try {
      const report = await importFile({
        file: job.tempPath,
        name: job.name,
        format: job.format,
        workspaceId: job.workspaceId,
        sourceId: await this.#importSource(job.workspaceId),
        writer: this.#writer,
        now: () => this.#clock.now(),
        mapping: job.settings.map ? parseMapping(job.settings.map) : undefined,
        type: job.settings.type,
        event: job.settings.event,
        timeZone: job.settings.timezone,
        signal: this.#abort.signal,
        resume: job.resume,
        // A copy taken as a batch commits: the report object keeps counting rows read since, and a
        // resumed import skips exactly the rows the recorded progress says were written.
        onProgress: (bytesRead, _rows, snapshot) => (seen.latest = { bytesRead, report: { ...snapshot, rejections: snapshot.rejections.slice(0, KEPT_REJECTIONS) } }),
      })
      clearInterval(beat)
      await writing
      const bytesRead = seen.latest?.bytesRead ?? 0
      if (this.#abort.signal.aborted) {
        await releaseImport(db, job.id, { bytesRead, report }, this.#clock.now())
        return false
      }
      await finishImport(db, job.id, { state: 'done', bytesRead, report, error: null }, this.#clock.now())
    } catch (error) {
      clearInterval(beat)
      await writing
      const current = seen.latest
      await finishImport(db, job.id, { state: 'failed', bytesRead: current?.bytesRead ?? 0, report: current?.report ?? null, error: (error as Error).message }, this.#clock.now())
    }
    return true
  }

  /** Imported rows are attributed to the workspace's `import` source, made on first use. */
  async #importSource(workspaceId: string): Promise<string> {
    const db = this.#database.db
    const existing = (await listSources(db, workspaceId)).find((s) => s.kind === 'import')
    if (existing) return existing.id
    return (await createSource(db, { workspaceId, name: 'Imports', kind: 'import', now: this.#clock.now() })).id
  }
}

function emptyReport(file: string): ImportReport {
  return { file, rowsRead: 0, stored: 0, duplicates: 0, suppressed: 0, rejected: 0, rejections: [], seconds: 0 }
}
