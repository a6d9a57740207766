import type { Kysely } from 'kysely'
import type { Schema } from '../platform/index.ts'

/**
 * Stamps the identity epoch for a change made outside the ingest writer (a deletion request):
 * every ingest writer's in-memory identity cache is dropped before its next transaction. Call it
 * inside the transaction that changes identities or suppressions, after the ingest lock.
 */
export async function markIdentitiesChanged(trx: Kysely<Schema>, by: string): Promise<void> {
  const row = await trx.selectFrom('identity_epoch').select('version').where('id', '=', 1).executeTakeFirstOrThrow()
  await trx.updateTable('identity_epoch').set({ writer: by, version: Number(row.version) + 1 }).where('id', '=', 1).execute()
}
