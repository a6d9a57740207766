import { sql } from 'kysely'
import type { LogEvent, LogProcessor } from '../platform/index.ts'
import { eventRowOf, touchFactsOf } from '../measurement/index.ts'
import { factsKey } from './facts-key.ts'

/** Counts are kept per quarter hour so any time zone's days (UTC+5:45 included) add up exactly. */
export const BUCKET_MS = 15 * 60_000

/** Rows per upsert statement: SQLite allows at most 32,766 bound values. */
const ROWS_PER_STATEMENT = 500

/**
 * Keeps `event_counts`: how many events each workspace logged per quarter hour and touch facts.
 * It stores the facts the channel rules read rather than the channel, so a rule edited today
 * re-labels past counts when they are next read, without recounting the log. Increments are
 * additive, so partition groups worked by different workers never overwrite each other.
 *
 * @example new ProcessorRunner({ database, clock, logger, processors: [eventCountProcessor()] })
 */
export function eventCountProcessor(): LogProcessor {
  return {
    name: 'event-counts',
    batchSize: 2_000,
    async handle(events, trx) {
      const counts = countBatch(events)
      const rows = [...counts.values()]
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await trx
          .insertInto('event_counts')
          .values(rows.slice(i, i + ROWS_PER_STATEMENT))
          .onConflict((oc) => oc.columns(['workspace_id', 'bucket', 'facts']).doUpdateSet({ events: sql`event_counts.events + excluded.events` }))
          .execute()
      }
    },
  }
}

function countBatch(events: readonly LogEvent[]): Map<string, { workspace_id: string; bucket: number; facts: string; events: number }> {
  const counts = new Map<string, { workspace_id: string; bucket: number; facts: string; events: number }>()
  for (const e of events) {
    const row = eventRowOf(e.payload, { seq: e.seq, timestamp: e.timestamp, type: e.type, event: e.event })
    const facts = factsKey(touchFactsOf(row))
    const bucket = Math.floor(e.timestamp / BUCKET_MS) * BUCKET_MS
    const key = `${e.workspaceId}\u0001${bucket}\u0001${facts}`
    const known = counts.get(key)
    if (known) known.events++
    else counts.set(key, { workspace_id: e.workspaceId, bucket, facts, events: 1 })
  }
  return counts
}
