import { createHash, randomUUID } from 'node:crypto'
import type { SensorsRecord } from './record-schema.ts'

/**
 * The message id of a record. The SDKs keep unsent records in local storage and resend them
 * unchanged after a failed or unanswered upload, `_track_id` included (a random number drawn
 * once per record). Hashing `_track_id` with the fields that place it — distinct_id, time,
 * type, event, project — gives every resend the same id, so the writer's dedupe drops the
 * copy. Without `_track_id` (server SDKs, hand-built records) a resend cannot be told from a
 * new record, and a fresh UUID is used.
 *
 * The id is a UUID of version 8 (RFC 9562 §5.8, "custom"), so it fits any UUID column.
 *
 * @example
 * sensorsMessageId({ type: 'track', event: 'Buy', distinct_id: 'a', time: 1, _track_id: 42 }, 'shop')
 * // 'e1c5…-…-8…-…' (the same every time for this record)
 */
export function sensorsMessageId(record: SensorsRecord, project: string | null): string {
  if (record._track_id === null || record._track_id === undefined) return randomUUID()
  const digest = createHash('sha256')
    .update(
      [
        'sensors',
        project ?? '',
        String(record._track_id),
        record.distinct_id ?? '',
        record.time === null || record.time === undefined ? '' : String(record.time),
        record.type,
        record.event ?? '',
      ].join('\u0000'),
    )
    .digest()
  const bytes = Buffer.from(digest.subarray(0, 16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80 // version 8
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80 // RFC 9562 variant (10xx)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
