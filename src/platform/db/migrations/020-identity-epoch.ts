import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * One row saying who changed identities last: the ingest writer keeps the identity graph it has
 * read in memory, and trusts it only while nobody else has written identities since its own last
 * transaction (see src/identity/cache.ts).
 */
export function identityEpoch(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('identity_epoch')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('writer', 'text', (c) => c.notNull())
        .addColumn('version', t.bigint, (c) => c.notNull())
        .execute()
      await db.insertInto('identity_epoch').values({ id: 1, writer: 'none', version: 0 }).execute()
    },
  }
}
