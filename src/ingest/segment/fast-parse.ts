import type { SegmentCall } from './schema.ts'

const TYPES = new Set(['identify', 'track', 'page', 'screen', 'group', 'alias'])
const OBJECT_FIELDS = ['context', 'integrations', 'properties', 'traits'] as const
const DATE_FIELDS = ['timestamp', 'originalTimestamp', 'sentAt'] as const

/**
 * The common case of `SegmentCall.safeParse`, written out: a well-formed call is checked field by
 * field and copied as the schema would output it (ids as strings). Anything it is not sure of —
 * any field that would fail, or need a message — answers `undefined`, and the caller runs the
 * zod schema, which stays the one definition of what is valid and says why something is not.
 * At tens of thousands of calls a second, the generic schema walk is the largest cost of
 * normalising a call.
 */
export function parseWellFormedCall(raw: Record<string, unknown>): SegmentCall | undefined {
  const type = raw.type
  if (typeof type !== 'string' || !TYPES.has(type)) return undefined
  const messageId = raw.messageId
  if (messageId !== undefined && (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > 200)) return undefined
  for (const field of OBJECT_FIELDS) {
    const value = raw[field]
    if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) return undefined
  }
  for (const field of DATE_FIELDS) {
    const value = raw[field]
    if (value === undefined || value === null) continue
    if ((typeof value !== 'string' && typeof value !== 'number') || Number.isNaN(new Date(value).getTime())) return undefined
  }
  const call: Record<string, unknown> = { ...raw }
  for (const field of ['userId', 'anonymousId'] as const) {
    const value = raw[field]
    if (value === undefined || value === null || typeof value === 'string') continue
    if (typeof value !== 'number') return undefined
    call[field] = String(value)
  }
  switch (type) {
    case 'track':
      if (typeof raw.event !== 'string' || raw.event.length === 0 || raw.event.length > 500) return undefined
      break
    case 'page':
    case 'screen':
      for (const field of ['name', 'category'] as const) {
        const value = raw[field]
        if (value !== undefined && value !== null && typeof value !== 'string') return undefined
      }
      break
    case 'group':
    case 'alias': {
      const field = type === 'group' ? 'groupId' : 'previousId'
      const value = raw[field]
      if (typeof value === 'number') call[field] = String(value)
      else if (typeof value !== 'string' || value.length === 0) return undefined
      break
    }
  }
  return call as SegmentCall
}
