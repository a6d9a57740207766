import type { Kysely, Migration } from 'kysely'

/**
 * Which process an import belongs to (`host`, `pid` and a per-start instance id), so that after a
 * crash or restart a process on the same host can tell that the owner is gone and resume the
 * import from the uploaded file it kept, instead of waiting for the heartbeat to go stale. Null
 * while nobody runs it: queued for whichever process holds the file.
 */
export function importOwner(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('imports').addColumn('owner', 'text').execute()
    },
  }
}
