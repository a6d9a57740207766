import type { JourneyDefinition, JourneyNode } from './types.ts'

export interface Edge {
  from: string
  to: string
  label: string | null
}

export interface PlacedNode {
  node: JourneyNode
  x: number
  y: number
}

export const NODE_WIDTH = 180
export const NODE_HEIGHT = 64
const COLUMN = 230
const ROW = 96
/** The entry trigger is drawn as a node of its own, left of the start. */
export const ENTRY_ID = '__entry'

/** Every edge leaving a node, labelled with the branch or outcome it stands for. */
export function edgesOf(node: JourneyNode): Edge[] {
  const edges: Edge[] = []
  if (typeof node.next === 'string') edges.push({ from: node.id, to: node.next, label: null })
  if (typeof node.onEvent === 'string') edges.push({ from: node.id, to: node.onEvent, label: 'event' })
  if (typeof node.onTimeout === 'string') edges.push({ from: node.id, to: node.onTimeout, label: 'timeout' })
  for (const b of node.branches ?? []) if (typeof b.next === 'string') edges.push({ from: node.id, to: b.next, label: b.key })
  if (typeof node.otherwise === 'string') edges.push({ from: node.id, to: node.otherwise, label: 'otherwise' })
  return edges
}

/**
 * Places the graph left to right: each node one column after the first node that leads to it
 * (breadth-first from the start), rows in the order they are reached. Loops back to an earlier
 * node keep the earlier column, so the drawing stays readable.
 */
export function layoutJourney(definition: JourneyDefinition): { nodes: PlacedNode[]; edges: Edge[]; width: number; height: number } {
  const byId = new Map(definition.nodes.map((n) => [n.id, n]))
  const column = new Map<string, number>([[definition.start, 1]])
  const order: string[] = [definition.start]
  for (let i = 0; i < order.length; i++) {
    const node = byId.get(order[i]!)
    if (!node) continue
    for (const edge of edgesOf(node)) {
      if (column.has(edge.to) || !byId.has(edge.to)) continue
      column.set(edge.to, column.get(node.id)! + 1)
      order.push(edge.to)
    }
  }
  // Nodes no path reaches still appear, in a last column, so they can be found and fixed.
  const lastColumn = Math.max(1, ...column.values()) + 1
  for (const node of definition.nodes) if (!column.has(node.id)) {
    column.set(node.id, lastColumn)
    order.push(node.id)
  }
  const rows = new Map<number, number>()
  const placed: PlacedNode[] = []
  for (const id of order) {
    const node = byId.get(id)
    if (!node) continue
    const col = column.get(id)!
    const row = rows.get(col) ?? 0
    rows.set(col, row + 1)
    placed.push({ node, x: 20 + col * COLUMN, y: 20 + row * ROW })
  }
  placed.unshift({ node: { id: ENTRY_ID, type: 'exit' }, x: 20, y: 20 })
  const edges = [{ from: ENTRY_ID, to: definition.start, label: null }, ...definition.nodes.flatMap(edgesOf)]
  const width = Math.max(...placed.map((p) => p.x)) + NODE_WIDTH + 40
  const height = Math.max(...placed.map((p) => p.y)) + NODE_HEIGHT + 40
  return { nodes: placed, edges, width, height }
}
