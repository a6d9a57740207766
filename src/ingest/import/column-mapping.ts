import { createHash } from 'node:crypto'

/**
 * How a CSV export becomes Segment calls: `target=column` pairs. Targets are `userId`,
 * `anonymousId`, `messageId`, `event`, `type`, `timestamp`, `email`, `phone` (identifiers, put in
 * `context.traits`), `traits.<name>` and `properties.<name>`.
 *
 * @example parseMapping('userId=buyer_id,phone=mobile,timestamp=paid_at,properties.total=amount')
 */
export type ColumnMapping = Array<{ target: string; column: string }>

const TOP_LEVEL = new Set(['userId', 'anonymousId', 'messageId', 'event', 'type', 'timestamp', 'email', 'phone'])

export function parseMapping(spec: string): ColumnMapping {
  const mapping: ColumnMapping = []
  for (const pair of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=')
    if (eq <= 0 || eq === pair.length - 1) throw new Error(`mapping "${pair}" must look like target=column`)
    const target = pair.slice(0, eq).trim()
    const column = pair.slice(eq + 1).trim()
    if (!TOP_LEVEL.has(target) && !/^(traits|properties)\.[^.\s]+$/.test(target)) {
      throw new Error(`unknown mapping target "${target}": use userId, anonymousId, messageId, event, type, timestamp, email, phone, traits.<name> or properties.<name>`)
    }
    mapping.push({ target, column })
  }
  return mapping
}

/** Without a mapping, columns named like targets map to themselves; others become properties. */
export function defaultMapping(header: string[]): ColumnMapping {
  return header.map((column) => ({ target: TOP_LEVEL.has(column) ? column : `properties.${column}`, column }))
}

export interface RowDefaults {
  type: string
  event?: string
  /** Identifies the file, so re-importing it dedupes while two files never collide. */
  fileKey: string
}

/**
 * Builds one Segment call from a CSV row. Numeric-looking property values become numbers (order
 * totals, quantities); the messageId is derived from the file and row unless mapped, so importing
 * the same file twice stores each row once.
 */
export function rowToCall(header: string[], fields: string[], mapping: ColumnMapping, defaults: RowDefaults, line: number): Record<string, unknown> {
  const index = new Map(header.map((h, i) => [h, i]))
  const call: Record<string, unknown> = { type: defaults.type }
  if (defaults.event) call.event = defaults.event
  const traits: Record<string, unknown> = {}
  const properties: Record<string, unknown> = {}
  const contextTraits: Record<string, unknown> = {}
  for (const { target, column } of mapping) {
    const i = index.get(column)
    if (i === undefined) throw new Error(`column "${column}" is not in the header (${header.join(', ')})`)
    const raw = fields[i] ?? ''
    if (raw === '') continue
    if (target === 'email' || target === 'phone') contextTraits[target] = raw
    else if (target.startsWith('traits.')) traits[target.slice(7)] = typed(raw)
    else if (target.startsWith('properties.')) properties[target.slice(11)] = typed(raw)
    else call[target] = raw
  }
  if (Object.keys(properties).length) call.properties = properties
  if (call.type === 'identify') Object.assign(traits, contextTraits)
  if (Object.keys(traits).length) call.traits = traits
  if (Object.keys(contextTraits).length) call.context = { traits: contextTraits }
  if (!call.messageId) call.messageId = rowMessageId(defaults.fileKey, line, fields.join('\u0001'))
  return call
}

/** The id of a row imported without one: the same file, line and content always give the same id. */
export function rowMessageId(fileKey: string, line: number, content: string): string {
  return createHash('sha256').update(`${fileKey}\u0000${line}\u0000${content}`).digest('hex').slice(0, 32)
}

function typed(raw: string): unknown {
  return /^-?\d+(\.\d+)?$/.test(raw) && raw.length < 16 ? Number(raw) : raw
}
