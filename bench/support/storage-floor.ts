import { randomUUID } from 'node:crypto'
import { connectSqlite, migrateToLatest, newId, openDatabase } from '../../src/platform/index.ts'
import { TrafficGenerator } from './traffic.ts'

export interface StorageFloor {
  /** CPU µs per row, median over the measured transactions. */
  eventRow: number
  dedupeKey: number
  identity: number
}

/**
 * What SQLite itself costs for the rows the writer must add, with no Chorus code on the way: the
 * log row (with the two indexes every profile and event read uses), the dedupe key (a random
 * messageId), and a new person's identifier (a random anonymous id). Raw better-sqlite3 statements on a migrated file with
 * Chorus's settings, `rowsPerTransaction` rows per transaction as the group commit writes them;
 * the write-ahead log is checkpointed between transactions, outside the measurement.
 */
export async function measureStorageFloor(file: string, options: { rounds: number; warmUp: number; rowsPerTransaction: number; population: number }): Promise<StorageFloor> {
  const database = openDatabase(`sqlite:${file}`)
  const workspaceId = newId('wks')
  try {
    await migrateToLatest(database)
  } finally {
    await database.close()
  }
  const raw = connectSqlite({ filename: file, checkpoints: 'elsewhere' }, false)
  try {
    const traffic = new TrafficGenerator({ population: options.population, seed: 11 })
    const profiles = Array.from({ length: options.population }, () => newId('prf'))
    const ROWS = 256 // the writer's largest multi-row insert on SQLite
    const statement = (sql: string, columns: number) => raw.prepare(`${sql} values ${Array.from({ length: ROWS }, () => `(${Array(columns).fill('?').join(', ')})`).join(', ')}`)
    const insertEvents = statement('insert into events (workspace_id, message_id, type, event, profile_id, part, user_id, anonymous_id, channel, timestamp, received_at, source_id, order_minor, order_currency, payload)', 15)
    const insertSeen = statement('insert into seen_messages (workspace_id, message_id, seen_at)', 3)
    const insertIdentities = statement('insert into identities (workspace_id, type, value, profile_id, created_at)', 5)
    const perRow = { eventRow: [] as number[], dedupeKey: [] as number[], identity: [] as number[] }
    const chunks = Math.max(1, Math.round(options.rowsPerTransaction / ROWS))
    for (let round = 0; round < options.rounds; round++) {
      const now = Date.now()
      const eventParams: unknown[][] = []
      const seenParams: unknown[][] = []
      const identityParams: unknown[][] = []
      for (let c = 0; c < chunks; c++) {
        const events: unknown[] = []
        const seen: unknown[] = []
        const identities: unknown[] = []
        for (let i = 0; i < ROWS; i++) {
          const who = Math.floor(Math.random() * options.population)
          const messageId = randomUUID()
          events.push(workspaceId, messageId, 'track', 'Product Viewed', profiles[who], who % 64, `u${who}`, `a${who}`, 'douyin', now - (i % 5000), now, 'src', null, null, traffic.call(now))
          seen.push(workspaceId, messageId, now)
          identities.push(workspaceId, 'anonymous_id', randomUUID(), newId('prf', now), now)
        }
        eventParams.push(events)
        seenParams.push(seen)
        identityParams.push(identities)
      }
      const timed = (params: unknown[][], insert: { run: (p: unknown[]) => unknown }) => {
        const before = process.cpuUsage()
        raw.exec('begin immediate')
        for (const p of params) insert.run(p)
        raw.exec('commit')
        const used = process.cpuUsage(before)
        raw.pragma('wal_checkpoint(TRUNCATE)')
        return (used.user + used.system) / (chunks * ROWS)
      }
      const e = timed(eventParams, insertEvents)
      const s = timed(seenParams, insertSeen)
      const i = timed(identityParams, insertIdentities)
      if (round >= options.warmUp) {
        perRow.eventRow.push(e)
        perRow.dedupeKey.push(s)
        perRow.identity.push(i)
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    return { eventRow: median(perRow.eventRow), dedupeKey: median(perRow.dedupeKey), identity: median(perRow.identity) }
  } finally {
    raw.close()
  }
}
