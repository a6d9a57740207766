import type { Logger } from 'pino'
import type { Clock, Database, JobQueue } from '../platform/index.ts'
import type { IngestWriter } from '../ingest/writer.ts'
import type { WriteKeyCache } from '../workspaces/index.ts'
import type { PersonalDataEraser } from '../profiles/index.ts'

/** What route modules get: passed explicitly, never imported as singletons. */
export interface AppContext {
  database: Database
  clock: Clock
  logger: Logger
  writer: IngestWriter
  writeKeys: WriteKeyCache
  jobs: JobQueue
  /** Run inside a data-subject deletion, one per module that keeps personal data of its own. */
  privacyErasers: PersonalDataEraser[]
}
