import { sql, type Kysely } from 'kysely'
import type { DialectName } from './database.ts'

// Every transaction that appends to the log or rewrites a person's identity takes this lock on
// PostgreSQL: event `seq` order is then commit order (processors read the log by `seq` and must
// never see a gap fill in later), and two processes never resolve one new identifier into two
// profiles. SQLite has a single writer already.
const INGEST_LOCK = 0x43686f72

export async function lockIngest(trx: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${INGEST_LOCK})`.execute(trx)
}
