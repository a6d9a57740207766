import { Migrator, type Migration, type MigrationResultSet } from 'kysely'
import type { Database, DialectName } from './database.ts'
import { foundation } from './migrations/001-foundation.ts'
import { measurement } from './migrations/002-measurement.ts'
import { audiences } from './migrations/003-audiences.ts'
import { journeys } from './migrations/004-journeys.ts'
import { contentHub } from './migrations/006-content-hub.ts'
import { campaigns } from './migrations/007-campaigns.ts'
import { channels } from './migrations/005-channels.ts'
import { users } from './migrations/008-users.ts'
import { customerMetrics } from './migrations/009-customer-metrics.ts'
import { mediaMix } from './migrations/011-media-mix.ts'
import { eventCounts } from './migrations/010-event-counts.ts'
import { identityEpoch } from './migrations/020-identity-epoch.ts'
import { imports } from './migrations/021-imports.ts'
import { importOwner } from './migrations/022-import-owner.ts'
import { mergeSequence } from './migrations/023-merge-sequence.ts'
import { orderPeople } from './migrations/024-order-people.ts'

/**
 * The one migration set, in order. A module that needs tables adds a file under `migrations/`
 * and a line here; names sort, so prefix them with the next number.
 */
function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '001-foundation': foundation(dialect),
    '002-measurement': measurement(dialect),
    '003-audiences': audiences(dialect),
    '005-channels': channels(dialect),
    '008-users': users(dialect),
    '009-customer-metrics': customerMetrics(dialect),
    '006-content-hub': contentHub(dialect),
    '007-campaigns': campaigns(dialect),
    '004-journeys': journeys(dialect),
    '011-media-mix': mediaMix(dialect),
    '010-event-counts': eventCounts(dialect),
    '020-identity-epoch': identityEpoch(dialect),
    '021-imports': imports(dialect),
    '022-import-owner': importOwner(),
    '023-merge-sequence': mergeSequence(dialect),
    '024-order-people': orderPeople(),
    // Each module adds its migration here, numbered in order.
  }
}

/** Brings the schema up to date; safe to call from many processes at once (Kysely locks). */
export async function migrateToLatest(database: Database): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations(database.dialect) },
    // Modules were numbered as they were planned, not as they landed: a development database may
    // have applied a later number first. Each migration only creates its own tables.
    allowUnorderedMigrations: true,
  })
  const result = await migrator.migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String((result.error as Error).message ?? result.error)}`)
  }
  return result
}
