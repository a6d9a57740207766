import { rm } from 'node:fs/promises'
import type { Logger } from 'pino'
import type { Clock, Database } from '../../platform/index.ts'
import type { IngestWriter } from '../writer.ts'
import { createSource, listSources } from '../../workspaces/index.ts'
import { importFile, type ImportReport } from './import-file.ts'
import { parseMapping } from './column-mapping.ts'
import { finishImport, INTERRUPTED_MESSAGE, markImportRunning, recordImportProgress, type ImportSettings } from './import-store.ts'

export interface QueuedImport {
  id: string
  workspaceId: string
  name: string
  format: 'csv' | 'ndjson'
  settings: ImportSettings
  /** The uploaded copy; removed once the import ends, whatever the outcome. */
  tempPath: string
}

/** How often a running import writes its progress, which is also its heartbeat. */
const PROGRESS_EVERY_MS = 1_000

/**
 * Runs uploaded files one after another in the process that received them, through the same
 * group-commit writer as live traffic, so an import never takes more than one batch of memory or
 * starves tracking calls. Progress is written at most once a second. Closing stops the import in
 * flight after its current batch and marks it interrupted.
 */
export class ImportRunner {
  readonly #database: Database
  readonly #writer: IngestWriter
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #queue: QueuedImport[] = []
  readonly #abort = new AbortController()
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

  /** Stops after the batch in flight; what was not started is marked interrupted too. */
  async close(): Promise<void> {
    this.#abort.abort()
    await this.#running
  }

  async #drain(): Promise<void> {
    for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
      try {
        await this.#run(job)
      } catch (error) {
        this.#logger.error({ err: error, importId: job.id }, 'import bookkeeping failed')
      } finally {
        await rm(job.tempPath, { force: true })
      }
    }
  }

  async #run(job: QueuedImport): Promise<void> {
    const db = this.#database.db
    if (this.#abort.signal.aborted) {
      await finishImport(db, job.id, { state: 'interrupted', bytesRead: 0, report: null, error: INTERRUPTED_MESSAGE }, this.#clock.now())
      return
    }
    await markImportRunning(db, job.id, this.#clock.now())
    const seen: { latest: { bytesRead: number; report: Readonly<ImportReport> } | null } = { latest: null }
    let writing: Promise<void> = Promise.resolve()
    const beat = setInterval(() => {
      const progress = seen.latest ?? { bytesRead: 0, report: emptyReport(job.name) }
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
        onProgress: (bytesRead, _rows, snapshot) => (seen.latest = { bytesRead, report: snapshot }),
      })
      clearInterval(beat)
      await writing
      const aborted = this.#abort.signal.aborted
      await finishImport(db, job.id, { state: aborted ? 'interrupted' : 'done', bytesRead: seen.latest?.bytesRead ?? 0, report, error: aborted ? INTERRUPTED_MESSAGE : null }, this.#clock.now())
    } catch (error) {
      clearInterval(beat)
      await writing
      const current = seen.latest
      await finishImport(db, job.id, { state: 'failed', bytesRead: current?.bytesRead ?? 0, report: current?.report ?? null, error: (error as Error).message }, this.#clock.now())
    }
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
