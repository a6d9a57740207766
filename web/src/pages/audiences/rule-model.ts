/**
 * The rule builder's model of an audience definition, and the conversion to and from the
 * definition language the audiences API takes (see docs/audiences.md): one condition nested
 * with `all` / `any` / `not`. Leaves the builder cannot edit (RFM, consent, random splits…) are
 * kept as they are, so opening and saving a definition written elsewhere never loses anything.
 */

export type Condition = Record<string, unknown>

export const TRAIT_OPS = ['equals', 'not_equals', 'contains', 'not_contains', 'starts_with', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'not_exists', 'within_last', 'before', 'after'] as const
export type TraitOp = (typeof TRAIT_OPS)[number]
export const COUNT_OPS = ['>=', '>', '=', '!=', '<', '<='] as const
export type CountOp = (typeof COUNT_OPS)[number]
export const COMPUTED = ['order_count', 'lifetime_revenue', 'days_since_last_order'] as const
export type Computed = (typeof COMPUTED)[number]
export const WINDOW_UNITS = ['d', 'w', 'h', 'm'] as const
export type WindowUnit = (typeof WINDOW_UNITS)[number]

/** How a typed value is sent: the API compares JSON types strictly ("30" is not 30). */
export type ValueType = 'text' | 'number' | 'boolean'

/** A relative window such as 30 days; empty amount means "ever". */
export interface Window {
  amount: string
  unit: WindowUnit
}

export interface PropertyRule {
  property: string
  op: TraitOp
  value: string
  valueType: ValueType
}

interface Base {
  id: string
  /** Wraps the condition in `not`. */
  negate: boolean
}

export type RuleNode =
  | (Base & { kind: 'group'; op: 'all' | 'any'; children: RuleNode[] })
  | (Base & { kind: 'trait'; trait: string; op: TraitOp; value: string; valueType: ValueType })
  | (Base & { kind: 'performed'; event: string; countOp: CountOp; count: string; window: Window; where: PropertyRule[] })
  | (Base & { kind: 'notPerformed'; event: string; window: Window })
  | (Base & { kind: 'computed'; computed: Computed; op: CountOp; value: string; window: Window })
  | (Base & { kind: 'channel'; channels: string; window: Window })
  | (Base & { kind: 'raw'; condition: Condition })

export type RuleKind = Exclude<RuleNode['kind'], 'raw'>

let counter = 0
const nextId = () => `r${++counter}`

const NO_WINDOW: Window = { amount: '', unit: 'd' }

/** A fresh node of a kind, with sensible defaults (events: at least once in the last 30 days). */
export function newRule(kind: RuleKind): RuleNode {
  const base = { id: nextId(), negate: false }
  switch (kind) {
    case 'group':
      return { ...base, kind, op: 'all', children: [] }
    case 'trait':
      return { ...base, kind, trait: '', op: 'equals', value: '', valueType: 'text' }
    case 'performed':
      return { ...base, kind, event: '', countOp: '>=', count: '1', window: { amount: '30', unit: 'd' }, where: [] }
    case 'notPerformed':
      return { ...base, kind, event: '', window: { amount: '30', unit: 'd' } }
    case 'computed':
      return { ...base, kind, computed: 'order_count', op: '>=', value: '1', window: { ...NO_WINDOW } }
    case 'channel':
      return { ...base, kind, channels: '', window: { amount: '30', unit: 'd' } }
  }
}

export function emptyDefinition(): RuleNode {
  return newRule('group')
}

const NO_VALUE_OPS = new Set<TraitOp>(['exists', 'not_exists'])
const NUMBER_OPS = new Set<TraitOp>(['gt', 'gte', 'lt', 'lte'])
const LIST_OPS = new Set<TraitOp>(['in', 'not_in'])

export function opTakesValue(op: TraitOp): boolean {
  return !NO_VALUE_OPS.has(op)
}

function windowText(window: Window): string | undefined {
  const amount = window.amount.trim()
  return amount === '' ? undefined : `${amount}${window.unit}`
}

function parseWindow(text: unknown): Window {
  if (typeof text !== 'string') return { ...NO_WINDOW }
  const match = /^(\d+)([mhdw])$/.exec(text)
  return match ? { amount: match[1]!, unit: match[2] as WindowUnit } : { ...NO_WINDOW }
}

function typed(value: string, type: ValueType): string | number | boolean {
  const text = value.trim()
  if (type === 'number') return text === '' ? Number.NaN : Number(text)
  if (type === 'boolean') return text === 'true'
  return value
}

/** The `value` a comparison sends, by operator and value type. */
function comparisonValue(op: TraitOp, value: string, valueType: ValueType): unknown {
  if (NUMBER_OPS.has(op)) return typed(value, 'number')
  if (LIST_OPS.has(op)) return value.split(/[,，\n]/).map((v) => v.trim()).filter(Boolean).map((v) => typed(v, valueType === 'boolean' ? 'text' : valueType))
  if (op === 'between') {
    const [low = '', high = ''] = value.split(/\s*[,，~]\s*/)
    const numeric = valueType === 'number' || (/^-?\d+(\.\d+)?$/.test(low.trim()) && /^-?\d+(\.\d+)?$/.test(high.trim()))
    return numeric ? [Number(low), Number(high)] : [low.trim(), high.trim()]
  }
  if (op === 'within_last') return value.trim()
  if (op === 'before' || op === 'after') return value.trim()
  if (op === 'contains' || op === 'not_contains' || op === 'starts_with') return valueType === 'number' ? typed(value, 'number') : value
  return typed(value, valueType)
}

function comparison(field: 'trait' | 'property', name: string, op: TraitOp, value: string, valueType: ValueType): Condition {
  const out: Condition = { [field]: name.trim(), op }
  if (opTakesValue(op)) out.value = comparisonValue(op, value, valueType)
  return out
}

/**
 * The definition the API takes, from the builder's tree.
 *
 * @example toCondition(group) // { all: [{ trait: 'city', op: 'equals', value: '上海' }] }
 */
export function toCondition(node: RuleNode): Condition {
  const condition = leaf(node)
  return node.negate ? { not: condition } : condition
}

function leaf(node: RuleNode): Condition {
  switch (node.kind) {
    case 'group':
      return { [node.op]: node.children.map(toCondition) }
    case 'trait':
      return comparison('trait', node.trait, node.op, node.value, node.valueType)
    case 'performed': {
      const performed: Condition = { event: node.event.trim() }
      if (node.where.length > 0) performed.where = node.where.map((w) => comparison('property', w.property, w.op, w.value, w.valueType))
      const isDefaultCount = node.countOp === '>=' && node.count.trim() === '1'
      if (!isDefaultCount) performed.count = { op: node.countOp, value: Number(node.count.trim() || Number.NaN) }
      const within = windowText(node.window)
      if (within) performed.within = within
      return { performed }
    }
    case 'notPerformed': {
      const notPerformed: Condition = { event: node.event.trim() }
      const within = windowText(node.window)
      if (within) notPerformed.within = within
      return { notPerformed }
    }
    case 'computed': {
      const out: Condition = { computed: node.computed, op: node.op, value: Number(node.value.trim() || Number.NaN) }
      const within = node.computed === 'days_since_last_order' ? undefined : windowText(node.window)
      if (within) out.within = within
      return out
    }
    case 'channel': {
      const channel: Condition = { in: node.channels.split(/[,，\s]+/).map((c) => c.trim()).filter(Boolean) }
      const within = windowText(node.window)
      if (within) channel.within = within
      return { channel }
    }
    case 'raw':
      return node.condition
  }
}

function valueText(value: unknown): { value: string; valueType: ValueType } {
  if (Array.isArray(value)) {
    const numeric = value.length > 0 && value.every((v) => typeof v === 'number')
    return { value: value.join(', '), valueType: numeric ? 'number' : 'text' }
  }
  if (typeof value === 'number') return { value: String(value), valueType: 'number' }
  if (typeof value === 'boolean') return { value: String(value), valueType: 'boolean' }
  return { value: value === undefined || value === null ? '' : String(value), valueType: 'text' }
}

function isComparison(c: Condition, field: 'trait' | 'property'): boolean {
  return typeof c[field] === 'string' && (TRAIT_OPS as readonly string[]).includes(c.op as string)
}

/** The builder's tree for a definition; a root that is not a group is wrapped in one. */
export function fromCondition(condition: unknown): RuleNode {
  const node = readNode(condition)
  return node.kind === 'group' && !node.negate ? node : { id: nextId(), negate: false, kind: 'group', op: 'all', children: [node] }
}

function readNode(input: unknown): RuleNode {
  const base = { id: nextId(), negate: false }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ...base, kind: 'raw', condition: input as Condition }
  const c = input as Condition
  if (c.not && typeof c.not === 'object' && Object.keys(c).length === 1) {
    const inner = readNode(c.not)
    return inner.negate ? { ...base, kind: 'raw', condition: c } : { ...inner, negate: true }
  }
  if (Array.isArray(c.all) || Array.isArray(c.any)) {
    const op = Array.isArray(c.all) ? 'all' : 'any'
    return { ...base, kind: 'group', op, children: (c[op] as unknown[]).map(readNode) }
  }
  if (isComparison(c, 'trait')) return { ...base, kind: 'trait', trait: c.trait as string, op: c.op as TraitOp, ...valueText(c.value) }
  const performed = c.performed as Condition | undefined
  if (performed && typeof performed.event === 'string' && !performed.between && (performed.where === undefined || (Array.isArray(performed.where) && performed.where.every((w) => isComparison(w as Condition, 'property'))))) {
    const count = performed.count as { op: CountOp; value: number } | undefined
    return {
      ...base,
      kind: 'performed',
      event: performed.event,
      countOp: count?.op ?? '>=',
      count: String(count?.value ?? 1),
      window: parseWindow(performed.within),
      where: ((performed.where as Condition[] | undefined) ?? []).map((w) => ({ property: w.property as string, op: w.op as TraitOp, ...valueText(w.value) })),
    }
  }
  const notPerformed = c.notPerformed as Condition | undefined
  if (notPerformed && typeof notPerformed.event === 'string' && !notPerformed.where && !notPerformed.between) {
    return { ...base, kind: 'notPerformed', event: notPerformed.event, window: parseWindow(notPerformed.within) }
  }
  if ((COMPUTED as readonly string[]).includes(c.computed as string) && !c.currency) {
    return { ...base, kind: 'computed', computed: c.computed as Computed, op: c.op as CountOp, value: String(c.value), window: parseWindow(c.within) }
  }
  const channel = c.channel as Condition | undefined
  if (channel && Array.isArray(channel.in) && !channel.first) {
    return { ...base, kind: 'channel', channels: (channel.in as string[]).join(', '), window: parseWindow(channel.within) }
  }
  return { ...base, kind: 'raw', condition: c }
}

/** Replaces the node with `id` anywhere in the tree (immutably). */
export function updateNode(root: RuleNode, id: string, change: (node: RuleNode) => RuleNode | null): RuleNode {
  if (root.id === id) return change(root) ?? root
  if (root.kind !== 'group') return root
  const children: RuleNode[] = []
  for (const child of root.children) {
    if (child.id === id) {
      const next = change(child)
      if (next) children.push(next)
    } else children.push(updateNode(child, id, change))
  }
  return { ...root, children }
}

/** How many leaf conditions the tree holds (the API allows 200). */
export function countRules(node: RuleNode): number {
  return node.kind === 'group' ? node.children.reduce((n, c) => n + countRules(c), 0) : 1
}

/**
 * What is still missing before the rules can be counted (an empty event name, a value for a
 * comparison that needs one), as dotted positions like `2.1` with the missing part, so the page
 * can say what to finish instead of asking the server about a half-written rule.
 */
export function missingParts(node: RuleNode, at = ''): Array<{ at: string; part: 'trait' | 'event' | 'value' | 'channels' | 'property' }> {
  if (node.kind === 'group') return node.children.flatMap((child, i) => missingParts(child, at ? `${at}.${i + 1}` : String(i + 1)))
  const missing: Array<{ at: string; part: 'trait' | 'event' | 'value' | 'channels' | 'property' }> = []
  const needsValue = (op: TraitOp, value: string) => opTakesValue(op) && value.trim() === ''
  switch (node.kind) {
    case 'trait':
      if (!node.trait.trim()) missing.push({ at, part: 'trait' })
      if (needsValue(node.op, node.value)) missing.push({ at, part: 'value' })
      break
    case 'performed':
      if (!node.event.trim()) missing.push({ at, part: 'event' })
      if (!node.count.trim()) missing.push({ at, part: 'value' })
      for (const w of node.where) {
        if (!w.property.trim()) missing.push({ at, part: 'property' })
        if (needsValue(w.op, w.value)) missing.push({ at, part: 'value' })
      }
      break
    case 'notPerformed':
      if (!node.event.trim()) missing.push({ at, part: 'event' })
      break
    case 'computed':
      if (!node.value.trim() || Number.isNaN(Number(node.value))) missing.push({ at, part: 'value' })
      break
    case 'channel':
      if (!node.channels.trim()) missing.push({ at, part: 'channels' })
      break
  }
  return missing
}
