import type { Kysely, Selectable } from 'kysely'
import { readJson } from '../db/json.ts'
import type { Schema } from '../db/schema.ts'

/** One event as processors see it. */
export interface LogEvent {
  seq: number
  workspaceId: string
  messageId: string
  type: string
  event: string | null
  profileId: string | null
  userId: string | null
  anonymousId: string | null
  channel: string | null
  timestamp: number
  receivedAt: number
  orderMinor: number | null
  orderCurrency: string | null
  payload: Record<string, unknown>
}

/**
 * Reads the log in `seq` order after a position, optionally only the events of one partition
 * group (`part % groups == group`). The log is the one source every processor derives state from.
 */
export async function readLog(
  db: Kysely<Schema>,
  options: { after: number; limit: number; group?: { index: number; of: number }; workspaceId?: string },
): Promise<LogEvent[]> {
  let query = db.selectFrom('events').selectAll().where('seq', '>', options.after)
  if (options.workspaceId) query = query.where('workspace_id', '=', options.workspaceId)
  if (options.group && options.group.of > 1) {
    const parts: number[] = []
    for (let p = options.group.index; p < 64; p += options.group.of) parts.push(p)
    query = query.where('part', 'in', parts)
  }
  const rows = await query.orderBy('seq').limit(options.limit).execute()
  return rows.map(toLogEvent)
}

/**
 * A log row as processors see it. The payload is parsed on first use — several processors read
 * every event and most decide from the columns alone — through an own, enumerable property, so
 * spreading or serialising the event still carries it.
 */
function toLogEvent(r: Selectable<Schema['events']>): LogEvent {
  let parsed: Record<string, unknown> | null = null
  const event = {
    seq: Number(r.seq),
    workspaceId: r.workspace_id,
    messageId: r.message_id,
    type: r.type,
    event: r.event,
    profileId: r.profile_id,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    channel: r.channel,
    timestamp: r.timestamp,
    receivedAt: r.received_at,
    orderMinor: r.order_minor,
    orderCurrency: r.order_currency,
  } as LogEvent
  Object.defineProperty(event, 'payload', {
    enumerable: true,
    configurable: true,
    get: () => (parsed ??= readJson(r.payload, {})),
    set: (value: Record<string, unknown>) => {
      parsed = value
    },
  })
  return event
}
