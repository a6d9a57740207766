/**
 * What changed between two versions of a plan section, as the audit keeps it: one entry per
 * changed value with its path (`budget.lines[douyin].amountMinor`), before and after. Arrays of
 * objects with an `id` or `channel` are matched by it, so reordering is not a change.
 */
export interface Change {
  path: string
  before: unknown
  after: unknown
}

const KEYS = ['id', 'channel', 'goalId', 'audienceId', 'name'] as const

export function diffValues(before: unknown, after: unknown, path = ''): Change[] {
  if (Object.is(before, after)) return []
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = KEYS.find((k) => [...before, ...after].every((item) => isObject(item) && typeof item[k] === 'string'))
    if (key) {
      const left = new Map(before.map((item) => [(item as Record<string, string>)[key]!, item]))
      const right = new Map(after.map((item) => [(item as Record<string, string>)[key]!, item]))
      const out: Change[] = []
      for (const [k, value] of left) out.push(...(right.has(k) ? diffValues(value, right.get(k), `${path}[${k}]`) : [{ path: `${path}[${k}]`, before: value, after: undefined }]))
      for (const [k, value] of right) if (!left.has(k)) out.push({ path: `${path}[${k}]`, before: undefined, after: value })
      return out
    }
    if (JSON.stringify(before) === JSON.stringify(after)) return []
    return [{ path: path || '(root)', before, after }]
  }
  if (isObject(before) && isObject(after)) {
    const out: Change[] = []
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) out.push(...diffValues(before[k], after[k], path ? `${path}.${k}` : k))
    return out
  }
  if (before === undefined && after === undefined) return []
  return [{ path: path || '(root)', before, after }]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
