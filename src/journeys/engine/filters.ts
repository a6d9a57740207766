import type { FilterOp, PropertyFilter } from '../definition/schema.ts'

/**
 * Tests one value against an operator. Numbers compare as numbers (a numeric string counts, as
 * SDKs often send prices as strings); `eq`/`in` compare strings case-sensitively; `contains`
 * works on strings (substring) and lists (element).
 *
 * @example testValue(129, 'gte', 100) // true
 */
export function testValue(actual: unknown, op: FilterOp, expected: unknown): boolean {
  switch (op) {
    case 'exists':
      return actual !== undefined && actual !== null
    case 'not_exists':
      return actual === undefined || actual === null
    case 'eq':
      return equal(actual, expected)
    case 'neq':
      return !equal(actual, expected)
    case 'in':
      return Array.isArray(expected) && expected.some((e) => equal(actual, e))
    case 'not_in':
      return !(Array.isArray(expected) && expected.some((e) => equal(actual, e)))
    case 'contains':
      if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected)
      if (Array.isArray(actual)) return actual.some((a) => equal(a, expected))
      return false
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const a = asNumber(actual)
      const b = asNumber(expected)
      if (a === null || b === null) {
        // ISO dates compare as instants.
        const da = asDate(actual)
        const db = asDate(expected)
        if (da === null || db === null) return false
        return compareNumbers(da, op, db)
      }
      return compareNumbers(a, op, b)
    }
  }
}

/** Every filter holds on the event's properties (dotted paths reach nested objects). */
export function matchesFilters(properties: Record<string, unknown>, filters: readonly PropertyFilter[]): boolean {
  for (const f of filters) if (!testValue(readPath(properties, f.property), f.op, f.value)) return false
  return true
}

export function readPath(object: Record<string, unknown>, path: string): unknown {
  let current: unknown = object
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

function compareNumbers(a: number, op: 'gt' | 'gte' | 'lt' | 'lte', b: number): boolean {
  return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  const na = asNumber(a)
  const nb = asNumber(b)
  if (na !== null && nb !== null && (typeof a === 'number' || typeof b === 'number')) return na === nb
  return false
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value)
  return null
}

function asDate(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}
