import { randomUUID } from 'node:crypto'
import type { Identifier, IngestMessage } from '../message.ts'
import { orderFromEvent } from '../order.ts'
import { rememberPayloadJson } from '../payload-json.ts'
import { SegmentCall, LIMITS } from './schema.ts'
import { parseWellFormedCall } from './fast-parse.ts'

export interface RequestContext {
  receivedAt: number
  ip: string | undefined
  /** Batch-level fields that apply to every item unless the item has its own. */
  batchContext?: Record<string, unknown> | null
  batchIntegrations?: Record<string, unknown> | null
  batchSentAt?: string | number | null
}

export type NormaliseResult = { kind: 'ok'; message: IngestMessage } | { kind: 'Invalid'; reason: string }

/**
 * Validates one Segment call and turns it into the stored shape, following the Segment Spec:
 * a messageId is filled when absent; receivedAt is the server's time; when the client sent
 * `sentAt`, its clock skew is removed: timestamp = receivedAt − (sentAt − originalTimestamp).
 */
export function normaliseSegmentCall(raw: unknown, ctx: RequestContext): NormaliseResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { kind: 'Invalid', reason: 'each call must be a JSON object' }
  let call = parseWellFormedCall(raw as Record<string, unknown>)
  if (!call) {
    const parsed = SegmentCall.safeParse(raw)
    if (!parsed.success) return { kind: 'Invalid', reason: describeIssues(parsed.error.issues, raw) }
    call = parsed.data
  }
  const userId = nonEmpty(call.userId)
  const anonymousId = nonEmpty(call.anonymousId)
  if (!userId && !anonymousId) return { kind: 'Invalid', reason: 'userId or anonymousId is required' }

  const context: Record<string, unknown> = { ...(ctx.batchContext ?? {}), ...(call.context ?? {}) }
  if (context.ip === undefined && ctx.ip) context.ip = ctx.ip
  const integrations = call.integrations ?? ctx.batchIntegrations ?? undefined
  const original = call.timestamp ?? call.originalTimestamp
  const sentAt = call.sentAt ?? ctx.batchSentAt
  let timestamp = ctx.receivedAt
  if (original !== undefined && original !== null) {
    const originalMs = new Date(original).getTime()
    timestamp = sentAt !== undefined && sentAt !== null ? ctx.receivedAt - (epochOf(sentAt) - originalMs) : originalMs
  }
  const messageId = call.messageId ?? randomUUID()
  const traits = call.traits ?? undefined
  const properties = call.properties ?? undefined
  const event = call.type === 'track' ? call.event : call.type === 'page' || call.type === 'screen' ? (call.name ?? null) : null

  const payload: Record<string, unknown> = {
    ...call,
    messageId,
    type: call.type,
    context,
    timestamp: new Date(timestamp).toISOString(),
    receivedAt: isoOf(ctx.receivedAt),
  }
  // Assigned only when present: deleting a key would turn the object into a slow dictionary,
  // which makes the JSON.stringify below cost a third more.
  if (userId) payload.userId = userId
  else if ('userId' in call) delete payload.userId
  if (anonymousId) payload.anonymousId = anonymousId
  else if ('anonymousId' in call) delete payload.anonymousId
  if (original !== undefined && original !== null) payload.originalTimestamp = new Date(original).toISOString()
  if (sentAt !== undefined && sentAt !== null) payload.sentAt = isoOf(epochOf(sentAt))
  if (integrations) payload.integrations = integrations

  const json = JSON.stringify(payload)
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only count bytes when the length could be over.
  const size = json.length * 3 > LIMITS.eventBytes ? Buffer.byteLength(json) : json.length
  if (size > LIMITS.eventBytes) return { kind: 'Invalid', reason: `event is ${size} bytes; the limit is 32 KB per event` }
  const message: IngestMessage = {
      messageId,
      type: call.type,
      event,
      userId,
      anonymousId,
      timestamp,
      receivedAt: ctx.receivedAt,
      payload,
      identifiers: identifiersOf(call, userId, anonymousId, context),
      traitOps: call.type === 'identify' && traits && Object.keys(traits).length > 0 ? [{ op: 'set', traits }] : [],
      unlink: [],
      channel: channelOf(context, properties),
      order: call.type === 'track' ? orderFromEvent(call.event, properties ?? {}) : null,
  }
  rememberPayloadJson(message, json)
  return { kind: 'ok', message }
}

const TRAIT_IDENTIFIERS: Array<[string, string]> = [
  ['email', 'email'],
  ['phone', 'phone'],
  ['wechat_openid', 'wechat_openid'],
  ['wechat_unionid', 'wechat_unionid'],
]

const EXTERNAL_ID_TYPES: Record<string, string> = {
  email: 'email',
  phone: 'phone',
  mobile: 'phone',
  user_id: 'user_id',
  userid: 'user_id',
  anonymous_id: 'anonymous_id',
  device_id: 'device_id',
  openid: 'wechat_openid',
  wechat_openid: 'wechat_openid',
  unionid: 'wechat_unionid',
  wechat_unionid: 'wechat_unionid',
}

/** Every identifier a Segment call carries: ids, trait emails and phones, device, externalIds. */
function identifiersOf(call: SegmentCall, userId: string | null, anonymousId: string | null, context: Record<string, unknown>): Identifier[] {
  const out: Identifier[] = []
  if (userId) out.push({ type: 'user_id', value: userId })
  if (anonymousId) out.push({ type: 'anonymous_id', value: anonymousId })
  if (call.type === 'alias') out.push({ type: 'anonymous_id', value: call.previousId })
  const traitSources = [call.type === 'identify' ? call.traits : undefined, asObject(context.traits)]
  for (const traits of traitSources) {
    if (!traits) continue
    for (const [field, type] of TRAIT_IDENTIFIERS) {
      const value = traits[field]
      if (typeof value === 'string' || typeof value === 'number') out.push({ type, value: String(value) })
    }
  }
  const device = asObject(context.device)
  if (device && (typeof device.id === 'string' || typeof device.id === 'number')) out.push({ type: 'device_id', value: String(device.id) })
  if (Array.isArray(context.externalIds)) {
    for (const ext of context.externalIds) {
      const e = asObject(ext)
      if (!e || (typeof e.id !== 'string' && typeof e.id !== 'number') || typeof e.type !== 'string') continue
      const type = e.type.trim().toLowerCase()
      out.push({ type: EXTERNAL_ID_TYPES[type] ?? type, value: String(e.id) })
    }
  }
  return out
}

/** The channel the call itself names: its UTM source, else an explicit `channel` property (POS). */
export function channelOf(context: Record<string, unknown>, properties: Record<string, unknown> | undefined): string | null {
  const campaign = asObject(context.campaign)
  const candidates = [campaign?.source, properties?.utm_source, properties?.channel]
  for (const c of candidates) if (typeof c === 'string' && c.trim() !== '') return c.trim().toLowerCase()
  return null
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

// Every call of a request shares its receivedAt and usually its batch's sentAt: remembering the
// last conversion saves a date parse and an ISO formatting per call.
let lastIso: [number, string] = [Number.NaN, '']
function isoOf(ms: number): string {
  if (lastIso[0] !== ms) lastIso = [ms, new Date(ms).toISOString()]
  return lastIso[1]
}

let lastEpoch: [string | number, number] = ['', Number.NaN]
function epochOf(value: string | number): number {
  if (lastEpoch[0] !== value) lastEpoch = [value, new Date(value).getTime()]
  return lastEpoch[1]
}

function nonEmpty(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  const trimmed = value.trim()
  return trimmed === '' ? null : trimmed
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code: string }>, raw: object): string {
  const type = (raw as { type?: unknown }).type
  if (issues.some((i) => i.path.length === 1 && i.path[0] === 'type'))
    return `unknown call type ${JSON.stringify(type)}; expected one of identify, track, page, screen, group, alias`
  return issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ')
}
