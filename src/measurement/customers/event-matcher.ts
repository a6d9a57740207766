import { z } from 'zod'

/**
 * Which events count as a step, a returning event, a conversion or a lifecycle signal: an event
 * name and/or call type, plus property filters. `$order` stands for any event that carries an
 * order amount (see ingest's order rule), whatever its name.
 */
export const PropertyFilter = z.object({
  property: z.string().min(1).describe('Property path in the event properties, dots for nesting (e.g. "product.category")'),
  op: z.enum(['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists', 'not_exists']).default('eq'),
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))]).optional(),
})
export type PropertyFilter = z.infer<typeof PropertyFilter>

export const ORDER_EVENT = '$order'

export const EventMatcher = z
  .object({
    event: z.string().min(1).optional().describe('Event name (track) or page/screen name; "$order" matches any event carrying an order amount'),
    type: z.enum(['track', 'page', 'screen', 'identify', 'group', 'alias']).optional().describe('Call type; with no event name, any event of this type'),
    where: z.array(PropertyFilter).default([]).describe('All filters must hold'),
  })
  .refine((m) => m.event !== undefined || m.type !== undefined, { message: 'An event matcher needs an event name, a type, or both' })
export type EventMatcher = z.infer<typeof EventMatcher>

/** The columns a matcher looks at; `properties` only when some matcher filters on them. */
export interface MatchableEvent {
  type: string
  event: string | null
  orderMinor: number | null
  properties?: Record<string, unknown>
}

export type EventPredicate = (e: MatchableEvent) => boolean

/**
 * @example
 * const isBigOrder = compileMatcher({ event: '$order', where: [{ property: 'total', op: 'gte', value: 100 }] })
 */
export function compileMatcher(matcher: EventMatcher): EventPredicate {
  const filters = matcher.where.map(compileFilter)
  return (e) => {
    if (matcher.event !== undefined) {
      if (matcher.event === ORDER_EVENT) {
        if (e.orderMinor === null) return false
      } else if (e.event !== matcher.event) return false
    }
    if (matcher.type !== undefined && e.type !== matcher.type) return false
    if (filters.length === 0) return true
    const properties = e.properties ?? {}
    return filters.every((f) => f(properties))
  }
}

/** What to ask the database for so every matcher can be decided (see `person-log.ts`). */
export interface MatcherScope {
  /** Event names to load; null when some matcher needs events of any name. */
  names: string[] | null
  types: string[]
  orders: boolean
  /** Whether properties must be parsed, and for which names (null: any name). */
  propertiesFor: Set<string> | null
  needsProperties: boolean
}

export function matcherScope(matchers: readonly EventMatcher[]): MatcherScope {
  const names = new Set<string>()
  const types = new Set<string>()
  let anyName = false
  let orders = false
  let needsProperties = false
  const propertiesFor = new Set<string>()
  let propertiesForAny = false
  for (const m of matchers) {
    if (m.event === ORDER_EVENT) orders = true
    else if (m.event !== undefined) names.add(m.event)
    else if (m.type !== undefined) types.add(m.type)
    else anyName = true
    if (m.where.length > 0) {
      needsProperties = true
      if (m.event !== undefined && m.event !== ORDER_EVENT) propertiesFor.add(m.event)
      else propertiesForAny = true
    }
  }
  return {
    names: anyName ? null : [...names],
    types: [...types],
    orders,
    propertiesFor: propertiesForAny ? null : propertiesFor,
    needsProperties,
  }
}

function compileFilter(filter: PropertyFilter): (properties: Record<string, unknown>) => boolean {
  const path = filter.property.split('.')
  const read = (properties: Record<string, unknown>): unknown => {
    let value: unknown = properties
    for (const key of path) {
      if (value === null || typeof value !== 'object') return undefined
      value = (value as Record<string, unknown>)[key]
    }
    return value
  }
  const expected = filter.value
  const needsValue = filter.op !== 'exists' && filter.op !== 'not_exists'
  if (needsValue && expected === undefined) throw new Error(`The filter on "${filter.property}" with op "${filter.op}" needs a value`)
  const list = Array.isArray(expected) ? expected : [expected]
  switch (filter.op) {
    case 'exists':
      return (p) => read(p) !== undefined && read(p) !== null
    case 'not_exists':
      return (p) => read(p) === undefined || read(p) === null
    case 'eq':
      return (p) => looselyEqual(read(p), expected)
    case 'neq':
      return (p) => !looselyEqual(read(p), expected)
    case 'in':
      return (p) => list.some((v) => looselyEqual(read(p), v))
    case 'not_in':
      return (p) => !list.some((v) => looselyEqual(read(p), v))
    case 'contains':
      return (p) => {
        const v = read(p)
        if (Array.isArray(v)) return v.some((item) => looselyEqual(item, expected))
        return typeof v === 'string' && v.includes(String(expected))
      }
    default: {
      const bound = Number(expected)
      if (!Number.isFinite(bound)) throw new Error(`The filter on "${filter.property}" with op "${filter.op}" needs a number, got ${JSON.stringify(expected)}`)
      const compare = { gt: (a: number) => a > bound, gte: (a: number) => a >= bound, lt: (a: number) => a < bound, lte: (a: number) => a <= bound }[filter.op]
      return (p) => {
        const v = read(p)
        const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
        return typeof n === 'number' && Number.isFinite(n) && compare(n)
      }
    }
  }
}

/** Equality that lets "42" match 42: SDKs send numbers as strings often enough. */
function looselyEqual(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true
  if (actual === undefined || actual === null || expected === undefined || expected === null) return false
  if (typeof expected === 'number' || typeof actual === 'number') return Number(actual) === Number(expected)
  return String(actual) === String(expected)
}
