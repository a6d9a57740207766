import type { z } from 'zod'
import { JourneyDefinition, NODE_TYPES, type Condition, type JourneyNode } from './schema.ts'

/** One thing wrong with a definition: which node (null for journey-level fields), and what. */
export interface DefinitionProblem {
  node: string | null
  /** Where in the JSON, e.g. `nodes[2].onTimeout`. */
  path: string
  message: string
}

export type ValidationResult = { kind: 'Valid'; definition: JourneyDefinition } | { kind: 'Invalid'; problems: DefinitionProblem[] }

export interface ValidationContext {
  /** Event names seen in the workspace; when given, events named in the journey must be among them. */
  knownEvents?: ReadonlySet<string>
  /** Trait names seen on profiles; when given, traits named in conditions must be among them. */
  knownTraits?: ReadonlySet<string>
  /** Channels a send may name. */
  channels?: readonly string[]
}

/** Node types that let time pass: a cycle through one of them cannot spin. */
const TIME_BARRIERS = new Set(['delay', 'wait_for_event'])

/**
 * Checks a journey definition: its shape (every node type and field), then the graph — every
 * exit points to a node, every node is reachable from `start`, no cycle can run without a delay
 * or wait in it, random-split percentages sum to 100 — and, where the workspace's data allows,
 * that named events, traits and channels exist. Every problem names its node.
 *
 * @example
 * const result = validateDefinition(body.definition, { knownEvents })
 * if (result.kind === 'Invalid') reply(400, result.problems.map((p) => p.message))
 */
export function validateDefinition(input: unknown, context: ValidationContext = {}): ValidationResult {
  const problems: DefinitionProblem[] = []
  const rawNodes = rawNodeList(input)
  const unknownTypeIndexes = new Set<number>()
  rawNodes.forEach((node, index) => {
    const type = (node as { type?: unknown } | null)?.type
    if (typeof type !== 'string' || !(NODE_TYPES as readonly string[]).includes(type)) {
      unknownTypeIndexes.add(index)
      problems.push({
        node: nodeIdAt(rawNodes, index),
        path: `nodes[${index}].type`,
        message: `${label(nodeIdAt(rawNodes, index))}: unknown node type ${JSON.stringify(type ?? null)}; expected one of ${NODE_TYPES.join(', ')}`,
      })
    }
  })

  const parsed = JourneyDefinition.safeParse(input)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.path[0] === 'nodes' && typeof issue.path[1] === 'number' && unknownTypeIndexes.has(issue.path[1])) continue
      problems.push(issueProblem(issue, rawNodes))
    }
  }
  if (problems.length > 0 || !parsed.success) return { kind: 'Invalid', problems: dedupe(problems) }

  const definition = parsed.data
  graphProblems(definition, problems)
  nameProblems(definition, context, problems)
  return problems.length > 0 ? { kind: 'Invalid', problems } : { kind: 'Valid', definition }
}

/** The nodes a node can go to next, with the field each edge comes from. */
export function edgesOf(node: JourneyNode): Array<{ field: string; to: string }> {
  switch (node.type) {
    case 'delay':
    case 'send':
    case 'update_trait':
    case 'webhook':
      return [{ field: 'next', to: node.next }]
    case 'wait_for_event':
      return [
        { field: 'onEvent', to: node.onEvent },
        { field: 'onTimeout', to: node.onTimeout },
      ]
    case 'condition':
      return [...node.branches.map((b, i) => ({ field: `branches[${i}].next`, to: b.next })), { field: 'otherwise', to: node.otherwise }]
    case 'random_split':
      return node.branches.flatMap((b, i) => (b.next === undefined ? [] : [{ field: `branches[${i}].next`, to: b.next }]))
    case 'exit':
      return []
  }
}

function graphProblems(definition: JourneyDefinition, problems: DefinitionProblem[]): void {
  const byId = new Map<string, JourneyNode>()
  definition.nodes.forEach((node, index) => {
    if (byId.has(node.id)) problems.push({ node: node.id, path: `nodes[${index}].id`, message: `${label(node.id)}: the id is used by more than one node` })
    byId.set(node.id, node)
  })
  if (!byId.has(definition.start)) {
    problems.push({ node: null, path: 'start', message: `start points to ${JSON.stringify(definition.start)}, which is not a node` })
    return
  }
  definition.nodes.forEach((node, index) => {
    for (const edge of edgesOf(node)) {
      if (!byId.has(edge.to)) {
        problems.push({ node: node.id, path: `nodes[${index}].${edge.field}`, message: `${label(node.id)}: ${edge.field} points to ${JSON.stringify(edge.to)}, which is not a node (missing exit)` })
      }
    }
    if (node.type === 'random_split') splitProblems(node, index, definition, problems)
    if (node.type === 'condition') {
      const keys = node.branches.map((b) => b.key)
      const repeated = keys.find((k, i) => keys.indexOf(k) !== i)
      if (repeated) problems.push({ node: node.id, path: `nodes[${index}].branches`, message: `${label(node.id)}: branch key ${JSON.stringify(repeated)} is used twice` })
    }
  })

  // Reachability from start (breadth first).
  const seen = new Set([definition.start])
  const queue = [definition.start]
  while (queue.length > 0) {
    const node = byId.get(queue.shift()!)
    if (!node) continue
    for (const { to } of edgesOf(node)) {
      if (!seen.has(to) && byId.has(to)) {
        seen.add(to)
        queue.push(to)
      }
    }
  }
  definition.nodes.forEach((node, index) => {
    if (!seen.has(node.id)) problems.push({ node: node.id, path: `nodes[${index}]`, message: `${label(node.id)}: unreachable from start ${JSON.stringify(definition.start)}` })
  })

  const cycle = instantCycle(definition.nodes, byId)
  if (cycle) {
    problems.push({
      node: cycle[0]!,
      path: `nodes[${definition.nodes.findIndex((n) => n.id === cycle[0])}]`,
      message: `${label(cycle[0]!)}: cycle ${[...cycle, cycle[0]].join(' → ')} has no delay or wait_for_event, so a run would loop without end`,
    })
  }

  const hasHoldout = definition.nodes.some((n) => n.type === 'random_split' && n.branches.some((b) => b.holdout))
  if (hasHoldout && !definition.goal) {
    const index = definition.nodes.findIndex((n) => n.type === 'random_split' && n.branches.some((b) => b.holdout))
    const node = definition.nodes[index]!
    problems.push({ node: node.id, path: `nodes[${index}]`, message: `${label(node.id)}: a holdout is measured against the journey goal; add "goal" to the journey` })
  }
}

function splitProblems(node: Extract<JourneyNode, { type: 'random_split' }>, index: number, _definition: JourneyDefinition, problems: DefinitionProblem[]): void {
  const total = node.branches.reduce((sum, b) => sum + b.percent, 0)
  if (Math.abs(total - 100) > 1e-9) {
    problems.push({ node: node.id, path: `nodes[${index}].branches`, message: `${label(node.id)}: branch percentages sum to ${round(total)}, not 100` })
  }
  const keys = node.branches.map((b) => b.key)
  const repeated = keys.find((k, i) => keys.indexOf(k) !== i)
  if (repeated) problems.push({ node: node.id, path: `nodes[${index}].branches`, message: `${label(node.id)}: branch key ${JSON.stringify(repeated)} is used twice` })
  if (node.branches.filter((b) => b.holdout).length > 1) problems.push({ node: node.id, path: `nodes[${index}].branches`, message: `${label(node.id)}: at most one branch may be the holdout` })
  node.branches.forEach((b, i) => {
    if (b.holdout && b.next !== undefined) problems.push({ node: node.id, path: `nodes[${index}].branches[${i}].next`, message: `${label(node.id)}: holdout branch ${JSON.stringify(b.key)} sends nothing, so it takes no "next"` })
    if (!b.holdout && b.next === undefined) problems.push({ node: node.id, path: `nodes[${index}].branches[${i}].next`, message: `${label(node.id)}: branch ${JSON.stringify(b.key)} has no "next" (missing exit)` })
  })
}

/**
 * A cycle made only of nodes that take no time (Tarjan-free: a depth-first search over the graph
 * without delays and waits, where a back edge closes a cycle). Returns its nodes in order.
 */
function instantCycle(nodes: JourneyNode[], byId: Map<string, JourneyNode>): string[] | null {
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (id: string): string[] | null => {
    state.set(id, 'open')
    stack.push(id)
    const node = byId.get(id)!
    for (const { to } of edgesOf(node)) {
      const next = byId.get(to)
      if (!next || TIME_BARRIERS.has(next.type)) continue
      if (state.get(to) === 'open') return stack.slice(stack.indexOf(to))
      if (!state.has(to)) {
        const found = visit(to)
        if (found) return found
      }
    }
    stack.pop()
    state.set(id, 'done')
    return null
  }
  for (const node of nodes) {
    if (TIME_BARRIERS.has(node.type) || state.has(node.id)) continue
    const found = visit(node.id)
    if (found) return found
  }
  return null
}

function nameProblems(definition: JourneyDefinition, context: ValidationContext, problems: DefinitionProblem[]): void {
  const { knownEvents, knownTraits, channels } = context
  const event = (name: string, node: string | null, path: string) => {
    if (knownEvents && !knownEvents.has(name)) problems.push({ node, path, message: `${node ? label(node) : 'journey'}: no event named ${JSON.stringify(name)} has been recorded in this workspace` })
  }
  const trait = (name: string, node: string | null, path: string) => {
    if (knownTraits && !knownTraits.has(name.split('.')[0]!)) problems.push({ node, path, message: `${node ? label(node) : 'journey'}: no profile has a trait named ${JSON.stringify(name)}` })
  }
  if ('event' in definition.entry) event(definition.entry.event, null, 'entry.event')
  if (definition.goal) event(definition.goal.event, null, 'goal.event')
  definition.nodes.forEach((node, index) => {
    const at = `nodes[${index}]`
    if (node.type === 'wait_for_event') event(node.event, node.id, `${at}.event`)
    if (node.type === 'delay' && node.untilDate) trait(node.untilDate.trait, node.id, `${at}.untilDate.trait`)
    if (node.type === 'condition') node.branches.forEach((b, i) => conditionNames(b.when, node.id, `${at}.branches[${i}].when`, event, trait))
    if (node.type === 'send' && channels) {
      for (const [field, channel] of [['channel', node.channel] as const, ...node.fallback.map((c, i) => [`fallback[${i}]`, c] as const)]) {
        if (!channels.includes(channel)) problems.push({ node: node.id, path: `${at}.${field}`, message: `${label(node.id)}: unknown channel ${JSON.stringify(channel)}; expected one of ${channels.join(', ')}` })
      }
    }
  })
}

function conditionNames(
  condition: Condition,
  node: string,
  path: string,
  event: (name: string, node: string, path: string) => void,
  trait: (name: string, node: string, path: string) => void,
): void {
  if ('trait' in condition) trait(condition.trait, node, `${path}.trait`)
  else if ('performed' in condition) event(condition.performed, node, `${path}.performed`)
  else if ('all' in condition) condition.all.forEach((c, i) => conditionNames(c, node, `${path}.all[${i}]`, event, trait))
  else if ('any' in condition) condition.any.forEach((c, i) => conditionNames(c, node, `${path}.any[${i}]`, event, trait))
  else if ('not' in condition) conditionNames(condition.not, node, `${path}.not`, event, trait)
}

function issueProblem(issue: z.core.$ZodIssue, rawNodes: unknown[]): DefinitionProblem {
  const path = issue.path
  const node = path[0] === 'nodes' && typeof path[1] === 'number' ? nodeIdAt(rawNodes, path[1]) : null
  const where = formatPath(path)
  let message = issue.message
  if (issue.code === 'invalid_union') {
    if (path.includes('when') || path.includes('not') || path.includes('all') || path.includes('any')) {
      message = 'expected a condition: {"trait", "op", "value"}, {"audience", "member"}, {"performed", "within"?}, or {"all": […]}, {"any": […]}, {"not": …}'
    } else if (path[0] === 'entry') {
      message = 'needs either {"event", "where"?} or {"audience"}'
    }
  }
  if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
  if (issue.code === 'invalid_type' && issue.input === undefined) message = 'is required'
  const field = where.replace(/^nodes\[\d+\]\.?/, '')
  return { node, path: where, message: `${node ? label(node) : 'journey'}: ${field ? `${field} ` : ''}${message}` }
}

function rawNodeList(input: unknown): unknown[] {
  const nodes = (input as { nodes?: unknown } | null)?.nodes
  return Array.isArray(nodes) ? nodes : []
}

function nodeIdAt(rawNodes: unknown[], index: number): string {
  const id = (rawNodes[index] as { id?: unknown } | null)?.id
  return typeof id === 'string' && id.length > 0 ? id : `nodes[${index}]`
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '')
}

function label(node: string): string {
  return node.startsWith('nodes[') ? node : `node ${JSON.stringify(node)}`
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000)
}

function dedupe(problems: DefinitionProblem[]): DefinitionProblem[] {
  const seen = new Set<string>()
  return problems.filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)))
}

/** Every audience a definition names (entry and conditions), with where, for existence checks. */
export function audienceReferences(definition: JourneyDefinition): Array<{ node: string | null; path: string; audienceId: string }> {
  const out: Array<{ node: string | null; path: string; audienceId: string }> = []
  if ('audience' in definition.entry) out.push({ node: null, path: 'entry.audience', audienceId: definition.entry.audience })
  const walk = (c: Condition, node: string, path: string) => {
    if ('audience' in c) out.push({ node, path: `${path}.audience`, audienceId: c.audience })
    else if ('all' in c) c.all.forEach((x, i) => walk(x, node, `${path}.all[${i}]`))
    else if ('any' in c) c.any.forEach((x, i) => walk(x, node, `${path}.any[${i}]`))
    else if ('not' in c) walk(c.not, node, `${path}.not`)
  }
  definition.nodes.forEach((n, index) => {
    if (n.type === 'condition') n.branches.forEach((b, i) => walk(b.when, n.id, `nodes[${index}].branches[${i}].when`))
  })
  return out
}
