import type { z } from 'zod'
import { CONDITION_KINDS, GROUP_KINDS, LEAF_SCHEMAS, type Condition, type LeafKind } from './definition.ts'

/** A problem with a definition, at a path such as `definition.all[1].performed.count.op`. */
export interface DefinitionIssue {
  path: string
  message: string
}

export type ParsedDefinition = { ok: true; definition: Condition } | { ok: false; issues: DefinitionIssue[] }

const MAX_DEPTH = 10
const MAX_CONDITIONS = 200
const MAX_CHILDREN = 50

/**
 * Checks a definition's shape and types and returns it typed, or every problem found with its
 * path. A condition is an object with exactly one kind key (`all`, `any`, `not`, `trait`,
 * `performed`, …); the kind picks the schema its fields are checked with, so a typo in an
 * operator is reported as that, at its path, instead of "matches no alternative".
 *
 * @example
 * parseDefinition({ all: [{ trait: 'plan', op: 'eq', value: 'pro' }] })
 * // { ok: false, issues: [{ path: 'definition.all[0].op', message: 'unknown op: use equals, …' }] }
 */
export function parseDefinition(input: unknown, root = 'definition'): ParsedDefinition {
  const issues: DefinitionIssue[] = []
  const counter = { conditions: 0 }
  const definition = parseCondition(input, [root], 0, issues, counter)
  if (counter.conditions > MAX_CONDITIONS) issues.push({ path: root, message: `a definition may hold at most ${MAX_CONDITIONS} conditions; this one has ${counter.conditions}` })
  return issues.length === 0 && definition ? { ok: true, definition } : { ok: false, issues }
}

function parseCondition(node: unknown, path: Array<string | number>, depth: number, issues: DefinitionIssue[], counter: { conditions: number }): Condition | null {
  counter.conditions++
  const at = formatPath(path)
  if (depth > MAX_DEPTH) {
    issues.push({ path: at, message: `conditions may nest at most ${MAX_DEPTH} levels deep` })
    return null
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    issues.push({ path: at, message: 'expected a condition object, e.g. { "trait": "plan", "op": "equals", "value": "pro" }' })
    return null
  }
  const record = node as Record<string, unknown>
  const kinds = Object.keys(record).filter((k) => (CONDITION_KINDS as readonly string[]).includes(k))
  if (kinds.length === 0) {
    const keys = Object.keys(record)
    issues.push({
      path: at,
      message: `unknown condition${keys.length ? ` (keys: ${keys.join(', ')})` : ' (empty object)'}: a condition has one of ${CONDITION_KINDS.join(', ')}`,
    })
    return null
  }
  if (kinds.length > 1) {
    issues.push({ path: at, message: `a condition has exactly one kind, but this one has ${kinds.join(' and ')}: put them in { "all": [...] } or { "any": [...] }` })
    return null
  }
  const kind = kinds[0]!
  if ((GROUP_KINDS as readonly string[]).includes(kind)) return parseGroup(kind as 'all' | 'any' | 'not', record, path, depth, issues, counter)

  const result = (LEAF_SCHEMAS[kind as LeafKind] as z.ZodType).safeParse(node)
  if (!result.success) {
    for (const issue of result.error.issues) issues.push({ path: formatPath([...path, ...(issue.path as Array<string | number>)]), message: issue.message })
    return null
  }
  return result.data as Condition
}

function parseGroup(
  kind: 'all' | 'any' | 'not',
  record: Record<string, unknown>,
  path: Array<string | number>,
  depth: number,
  issues: DefinitionIssue[],
  counter: { conditions: number },
): Condition | null {
  const extra = Object.keys(record).filter((k) => k !== kind)
  if (extra.length > 0) {
    issues.push({ path: formatPath(path), message: `"${kind}" stands alone; unexpected ${extra.map((k) => `"${k}"`).join(', ')}` })
    return null
  }
  const value = record[kind]
  if (kind === 'not') {
    const inner = parseCondition(value, [...path, 'not'], depth + 1, issues, counter)
    return inner && { not: inner }
  }
  if (!Array.isArray(value) || value.length === 0) {
    issues.push({ path: formatPath([...path, kind]), message: `"${kind}" takes a non-empty list of conditions` })
    return null
  }
  if (value.length > MAX_CHILDREN) {
    issues.push({ path: formatPath([...path, kind]), message: `"${kind}" takes at most ${MAX_CHILDREN} conditions` })
    return null
  }
  const children = value.map((child, i) => parseCondition(child, [...path, kind, i], depth + 1, issues, counter))
  if (children.some((c) => c === null)) return null
  return kind === 'all' ? { all: children as Condition[] } : { any: children as Condition[] }
}

/** `['definition', 'all', 1, 'op']` → `definition.all[1].op`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = ''
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`
  return out
}
