import type { Identifier, IngestMessage, MessageType, Rejection, TraitOp } from '../message.ts'
import { identifiersFromIdentities, resolveRecordIdentity } from './identities.ts'
import { sensorsChannel, sensorsContext } from './message-context.ts'
import { sensorsMessageId } from './message-id.ts'
import { orderFromEvent } from '../order.ts'
import { parseSensorsRecord, type SensorsRecord } from './record-schema.ts'
import { profileTraitOp } from './trait-ops.ts'

/** A change to a Sensors item (`item_set` / `item_delete`): catalogue data, not a person's event. */
export interface ItemChange {
  op: 'set' | 'delete'
  itemType: string
  itemId: string
  /** The item's properties for `set`; empty for `delete`. */
  properties: Record<string, unknown>
  /** When the change happened (epoch ms, skew-corrected like messages). */
  timestamp: number
  project: string | null
}

export interface SensorsConversionContext {
  /** When the request arrived (epoch ms). */
  receivedAt: number
  /** The client address the request came from. */
  ip?: string
  /** The project named by the request (`?project=`); a record's own `project` wins. */
  project?: string
}

export type SensorsConversion =
  | { kind: 'ok'; messages: IngestMessage[]; items: ItemChange[] }
  | { kind: 'Rejected'; reason: string }

/** Sensors automatic page-view events and the Segment call each becomes. */
const VIEW_EVENTS: Readonly<Record<string, 'page' | 'screen'>> = {
  $pageview: 'page',
  $AppViewScreen: 'screen',
  $MPViewScreen: 'screen',
}

/**
 * One decoded Sensors record to Chorus's normalised messages.
 *
 * - `track` → `track`; `$pageview` → `page`, `$AppViewScreen` / `$MPViewScreen` → `screen`,
 *   named by `$title`, else the URL path (`$url_path`, the path of `$url`, `$screen_name`).
 * - `track_signup` → a `track` of the signup event whose identifiers hold both the login id
 *   (`distinct_id`) and the anonymous id it replaces (`original_id`), which links the two.
 * - `profile_*` → `identify` with the matching trait operation.
 * - `track_id_bind` → `identify` whose identifiers are the identities to link;
 *   `track_id_unbind` → `identify` whose `unlink` holds the identities to detach.
 * - `item_set` / `item_delete` → an {@link ItemChange} and no message.
 *
 * Time: `time` is when it happened on the client's clock. With `_flush_time` (when the SDK sent
 * the batch, same clock) the client's clock error is removed the way Segment does with `sentAt`:
 * `timestamp = receivedAt − (_flush_time − time)`. Without `time`, `receivedAt`.
 *
 * @example
 * sensorsRecordToMessages(
 *   { type: 'track', event: 'ViewProduct', distinct_id: 'c1', time: 1700000000000,
 *     lib: { $lib: 'js' }, properties: { product_id: 12 } },
 *   { receivedAt: 1700000000500 },
 * )
 * // { kind: 'ok', items: [], messages: [{ type: 'track', event: 'ViewProduct',
 * //   anonymousId: 'c1', channel: 'web', … }] }
 */
export function sensorsRecordToMessages(input: unknown, ctx: SensorsConversionContext): SensorsConversion {
  const checked = parseSensorsRecord(input)
  if (checked.kind !== 'ok') return checked
  const record = checked.record
  const project = record.project ?? ctx.project ?? null
  const properties = record.properties ?? {}
  const timestamp = correctedTimestamp(record, ctx.receivedAt)

  if (record.type === 'item_set' || record.type === 'item_delete') {
    if (!record.item_type || record.item_id === undefined) {
      return { kind: 'Rejected', reason: `${record.type} needs item_type and item_id` }
    }
    const item: ItemChange = {
      op: record.type === 'item_set' ? 'set' : 'delete',
      itemType: record.item_type,
      itemId: record.item_id,
      properties: record.type === 'item_set' ? properties : {},
      timestamp,
      project,
    }
    return { kind: 'ok', messages: [], items: [item] }
  }

  const identity = resolveRecordIdentity(record)
  if (identity.identifiers.length === 0) {
    return {
      kind: 'Rejected',
      reason: `${record.type} record names nobody: it needs distinct_id, or identities (ID-Mapping 3.0)`,
    }
  }

  let type: MessageType
  let event: string | null = null
  let traitOps: TraitOp[] = []
  let identifiers: Identifier[] = identity.identifiers
  let unlink: Identifier[] = []

  switch (record.type) {
    case 'track':
    case 'track_signup': {
      if (!record.event) return { kind: 'Rejected', reason: `${record.type} needs an event name` }
      if (record.type === 'track_signup' && record.original_id === undefined && !record.identities) {
        return {
          kind: 'Rejected',
          reason: 'track_signup needs original_id (the anonymous id before login) to link to distinct_id',
        }
      }
      const view = record.type === 'track' ? VIEW_EVENTS[record.event] : undefined
      type = view ?? 'track'
      event = view === undefined ? record.event : viewName(properties)
      break
    }
    case 'track_id_bind':
    case 'track_id_unbind': {
      const listed = identifiersFromIdentities(record.identities)
      if (listed.length === 0) {
        return { kind: 'Rejected', reason: `${record.type} needs identities naming the ids to ${record.type === 'track_id_bind' ? 'link' : 'unlink'}` }
      }
      type = 'identify'
      if (record.type === 'track_id_unbind') {
        // The listed identities are what to detach; linking them again here would undo it.
        identifiers = []
        unlink = listed
      }
      break
    }
    default: {
      const op = profileTraitOp(record.type, properties)
      if (op.kind !== 'ok') return op
      type = 'identify'
      traitOps = [op.traitOp]
    }
  }

  const messageId = sensorsMessageId(record, project)
  const context = sensorsContext({ record, ip: ctx.ip, project })
  const isProfile = record.type.startsWith('profile_')
  const payload = withoutUndefined({
    type,
    messageId,
    event: type === 'track' ? event : undefined,
    name: type === 'page' || type === 'screen' ? (event ?? undefined) : undefined,
    userId: identity.userId ?? undefined,
    anonymousId: identity.anonymousId ?? undefined,
    timestamp: iso(timestamp),
    originalTimestamp: isNumber(record.time) ? iso(record.time) : undefined,
    sentAt: isNumber(record._flush_time) ? iso(record._flush_time) : undefined,
    receivedAt: iso(ctx.receivedAt),
    properties: type === 'identify' ? undefined : properties,
    traits: isProfile && record.type !== 'profile_delete' ? traitsOf(properties) : undefined,
    context,
  })

  const message: IngestMessage = {
    messageId,
    type,
    event,
    userId: identity.userId,
    anonymousId: identity.anonymousId,
    timestamp,
    receivedAt: ctx.receivedAt,
    payload,
    identifiers,
    traitOps,
    unlink,
    channel: sensorsChannel(properties, record.lib ?? {}),
    order: type === 'track' ? orderFromEvent(event, properties) : null,
  }
  return { kind: 'ok', messages: [message], items: [] }
}

export interface SensorsBatchConversion {
  messages: IngestMessage[]
  items: ItemChange[]
  /** Records that could not be accepted, by their position in the request. */
  rejections: Rejection[]
}

/**
 * Every record of a request; a bad record is reported with its index and never stops the rest.
 *
 * @example
 * const { messages, items, rejections } = sensorsRecordsToMessages(decoded.records, { receivedAt: Date.now() })
 */
export function sensorsRecordsToMessages(records: unknown[], ctx: SensorsConversionContext): SensorsBatchConversion {
  const result: SensorsBatchConversion = { messages: [], items: [], rejections: [] }
  records.forEach((record, index) => {
    const converted = sensorsRecordToMessages(record, ctx)
    if (converted.kind === 'ok') {
      result.messages.push(...converted.messages)
      result.items.push(...converted.items)
    } else {
      result.rejections.push({ index, reason: converted.reason })
    }
  })
  return result
}

function correctedTimestamp(record: SensorsRecord, receivedAt: number): number {
  if (!isNumber(record.time)) return receivedAt
  if (!isNumber(record._flush_time)) return record.time
  const corrected = receivedAt - (record._flush_time - record.time)
  // A nonsensical _flush_time must not push the event outside what a Date can hold.
  return Math.abs(corrected) <= 8.64e15 ? corrected : record.time
}

/** Page / screen name: the title people see, else the path of the page. */
function viewName(properties: Record<string, unknown>): string | null {
  for (const key of ['$title', '$url_path'] as const) {
    const value = properties[key]
    if (typeof value === 'string' && value !== '') return value
  }
  const url = properties.$url
  if (typeof url === 'string' && url !== '') {
    try {
      return new URL(url).pathname
    } catch {
      // Not an absolute URL (mini programs send page paths such as "pages/index/index").
      return url
    }
  }
  const screen = properties.$screen_name
  return typeof screen === 'string' && screen !== '' ? screen : null
}

/**
 * Profile traits as the person stated them. `$is_login_id` is a protocol flag about the
 * distinct_id (Sensors "数据格式" §$is_login_id), not a trait, so it is left out.
 */
function traitsOf(properties: Record<string, unknown>): Record<string, unknown> {
  const { $is_login_id: _flag, ...traits } = properties
  return traits
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined))
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number'
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
