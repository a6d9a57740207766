import { IntKeyTable } from './int-key-table.ts'
import type { PathSet } from './path-set.ts'

/**
 * The transition counts of an order-k Markov chain over customer paths, following the
 * conventions of the R/Python package ChannelAttribution (Altomare & Loris) so results compare:
 *
 * - consecutive repeats of a channel are collapsed (`a > a > b` is `a > b`);
 * - a state is a window of k consecutive channels; a path's first state is its first k channels
 *   (all of them when it is shorter than k) and each further channel slides the window on by one;
 * - every path adds `conversions + nulls` to each of its transitions, `(start)` → first state →
 *   … → last state, then `conversions` to last state → `(conversion)` and `nulls` to last
 *   state → `(null)`; its conversion value is recorded on the last state.
 *
 * (ChannelAttribution slides its window over the raw channels and then drops repeated windows;
 * for order 1 this is the same as collapsing repeats, for higher orders we collapse channels
 * first, so `a > a > b` at order 2 is the single state `a,b`.)
 */
export interface MarkovGraph {
  readonly order: number
  readonly channels: readonly string[]
  readonly stateCount: number
  /** Channel ids of each state's window, oldest first, `order` slots per state padded with -1. */
  readonly stateChannels: Int32Array
  /** Weight of `(start)` → state. */
  readonly start: Float64Array
  /** State → state transitions in compressed rows: row `s` is `rowOffsets[s] … rowOffsets[s+1]-1`. */
  readonly rowOffsets: Uint32Array
  readonly targets: Int32Array
  readonly weights: Float64Array
  /** Weight of state → `(conversion)`: conversions of the paths ending in the state. */
  readonly conversions: Float64Array
  /** Weight of state → `(null)`. */
  readonly nulls: Float64Array
  /** Conversion value of the paths ending in the state. */
  readonly values: Float64Array
  /** Total journeys (Σ conversions + nulls), the weight leaving `(start)`. */
  readonly journeys: number
}

/** The highest order supported: states stay few enough to enumerate and solve exactly. */
export const MAX_MARKOV_ORDER = 4

/**
 * Builds the graphs of several orders with one pass over the paths. The highest order is counted
 * from the paths; each lower order is then derived exactly from it (see {@link coarsenGraph}),
 * which costs time in the number of states rather than in the number of touches.
 *
 * @example
 * const [first, second] = buildMarkovGraphs(paths, [1, 2])
 */
export function buildMarkovGraphs(paths: PathSet, orders: readonly number[]): MarkovGraph[] {
  for (const order of orders) {
    if (!Number.isInteger(order) || order < 1 || order > MAX_MARKOV_ORDER) {
      throw new RangeError(`Markov order must be an integer from 1 to ${MAX_MARKOV_ORDER} (got ${order})`)
    }
  }
  if (orders.length === 0) return []
  const highest = countMarkovGraph(paths, Math.max(...orders))
  return orders.map((order) => (order === highest.order ? highest : coarsenGraph(highest, order)))
}

/**
 * Counts the order-k graph from the paths: one pass, each path collapsed then walked.
 *
 * @example
 * countMarkovGraph(paths, 2).stateCount // → distinct pairs of consecutive channels (and short paths)
 */
export function countMarkovGraph(paths: PathSet, order: number): MarkovGraph {
  const accumulator = new GraphAccumulator(order, paths.channels.length)
  const { offsets, touches, conversions, values, nulls } = paths
  let collapsed = new Int32Array(64)
  for (let i = 0; i < paths.size; i++) {
    const weight = conversions[i]! + nulls[i]!
    if (weight === 0) continue
    const from = offsets[i]!
    const to = offsets[i + 1]!
    if (to - from > collapsed.length) collapsed = new Int32Array(2 * (to - from))
    let n = 0
    let previous = -1
    for (let j = from; j < to; j++) {
      const id = touches[j]!
      if (id !== previous) collapsed[n++] = id
      previous = id
    }
    accumulator.addPath(collapsed, n, weight, conversions[i]!, nulls[i]!, values[i]!)
  }
  return accumulator.finish(paths.channels)
}

/**
 * Derives the order-k graph from a graph of higher order K without the paths, exactly: a state
 * of order K holds the last K channels (or the whole short path), which determines everything
 * order k needs —
 *
 * - a start window c1…cL of order K gives the order-k start window c1…c_min(k,L) and the order-k
 *   transitions inside it (… → c_{k+1}, …, → c_L), all with the start weight;
 * - a transition of order K from window w by channel c is the order-k transition from the last
 *   k channels of w by c;
 * - conversions, nulls and value ending in window w end in its last min(k, L) channels.
 *
 * @example
 * coarsenGraph(countMarkovGraph(paths, 4), 2) // same counts as countMarkovGraph(paths, 2)
 */
export function coarsenGraph(graph: MarkovGraph, order: number): MarkovGraph {
  if (order > graph.order) throw new RangeError(`cannot derive order ${order} from a graph of order ${graph.order}`)
  if (order === graph.order) return graph
  const higher = graph.order
  const accumulator = new GraphAccumulator(order, graph.channels.length)
  const windowOf = (s: number): Int32Array => {
    const all = graph.stateChannels.subarray(s * higher, (s + 1) * higher)
    const length = all.indexOf(-1)
    return length < 0 ? all : all.subarray(0, length)
  }
  for (let s = 0; s < graph.stateCount; s++) {
    const window = windowOf(s)
    const L = window.length
    const startWeight = graph.start[s]!
    if (startWeight > 0) {
      let state = accumulator.stateOfWindow(window, 0, Math.min(order, L))
      accumulator.addStart(state, startWeight)
      for (let m = order; m < L; m++) state = accumulator.step(state, window[m]!, startWeight)
    }
    const tail = accumulator.stateOfWindow(window, Math.max(0, L - order), L)
    accumulator.addEnd(tail, graph.conversions[s]!, graph.nulls[s]!, graph.values[s]!)
    for (let e = graph.rowOffsets[s]!; e < graph.rowOffsets[s + 1]!; e++) {
      // A transition's target is a full window; its newest channel is the one appended.
      const appended = graph.stateChannels[graph.targets[e]! * higher + higher - 1]!
      accumulator.step(tail, appended, graph.weights[e]!)
    }
  }
  accumulator.addJourneys(graph.journeys)
  return accumulator.finish(graph.channels)
}

/** Growable per-order counts; states and edges are interned through {@link IntKeyTable}s. */
class GraphAccumulator {
  readonly #order: number
  readonly #channelCount: number
  /** Window codes: digit d (base channelCount + 1) is the (d+1)-th oldest channel id + 1, 0 = none. */
  readonly #base: number
  readonly #topDigit: number
  readonly #stateByCode = new IntKeyTable()
  /** Edges keyed by `state * channelCount + next channel`. */
  readonly #edgeByKey = new IntKeyTable()
  #stateCount = 0
  #stateCodes: Float64Array = new Float64Array(64)
  #start: Float64Array = new Float64Array(64)
  #conversions: Float64Array = new Float64Array(64)
  #nulls: Float64Array = new Float64Array(64)
  #values: Float64Array = new Float64Array(64)
  #edgeCount = 0
  #edgeFrom: Int32Array = new Int32Array(256)
  #edgeTo: Int32Array = new Int32Array(256)
  #edgeWeight: Float64Array = new Float64Array(256)
  #journeys = 0

  constructor(order: number, channelCount: number) {
    this.#order = order
    this.#channelCount = channelCount
    this.#base = channelCount + 1
    this.#topDigit = Math.pow(this.#base, order - 1)
    if (Math.pow(this.#base, order) > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(
        `too many channels (${channelCount}) for an order-${order} Markov model; use a lower order or group channels`,
      )
    }
  }

  addPath(sequence: Int32Array, n: number, weight: number, conversions: number, nulls: number, value: number): void {
    this.#journeys += weight
    let state = this.stateOfWindow(sequence, 0, Math.min(this.#order, n))
    this.#start[state]! += weight
    for (let j = this.#order; j < n; j++) state = this.step(state, sequence[j]!, weight)
    this.addEnd(state, conversions, nulls, value)
  }

  /** The state of the window `channels[from … to-1]` (at most `order` channels), created if new. */
  stateOfWindow(channels: Int32Array, from: number, to: number): number {
    let code = 0
    let digit = 1
    for (let j = from; j < to; j++) {
      code += (channels[j]! + 1) * digit
      digit *= this.#base
    }
    return this.#stateOf(code)
  }

  /** Adds `weight` to the transition from a full-window `state` by `channel`; returns the target. */
  step(state: number, channel: number, weight: number): number {
    const key = state * this.#channelCount + channel
    let edge = this.#edgeByKey.get(key)
    if (edge < 0) {
      // Slide the window: drop the oldest channel (lowest digit), append the new one on top.
      const next = Math.floor(this.#stateCodes[state]! / this.#base) + (channel + 1) * this.#topDigit
      edge = this.#newEdge(state, this.#stateOf(next))
      this.#edgeByKey.set(key, edge)
    }
    this.#edgeWeight[edge]! += weight
    return this.#edgeTo[edge]!
  }

  addStart(state: number, weight: number): void {
    this.#start[state]! += weight
  }

  addEnd(state: number, conversions: number, nulls: number, value: number): void {
    this.#conversions[state]! += conversions
    this.#nulls[state]! += nulls
    this.#values[state]! += value
  }

  addJourneys(weight: number): void {
    this.#journeys += weight
  }

  finish(channels: readonly string[]): MarkovGraph {
    const stateCount = this.#stateCount
    const order = this.#order
    const stateChannels = new Int32Array(stateCount * order).fill(-1)
    for (let s = 0; s < stateCount; s++) {
      let code = this.#stateCodes[s]!
      for (let d = 0; d < order && code > 0; d++) {
        stateChannels[s * order + d] = (code % this.#base) - 1
        code = Math.floor(code / this.#base)
      }
    }
    // Compressed rows: count edges per source state, then place them.
    const rowOffsets = new Uint32Array(stateCount + 1)
    for (let e = 0; e < this.#edgeCount; e++) rowOffsets[this.#edgeFrom[e]! + 1]!++
    for (let s = 0; s < stateCount; s++) rowOffsets[s + 1]! += rowOffsets[s]!
    const fill = rowOffsets.slice(0, stateCount)
    const targets = new Int32Array(this.#edgeCount)
    const weights = new Float64Array(this.#edgeCount)
    for (let e = 0; e < this.#edgeCount; e++) {
      const at = fill[this.#edgeFrom[e]!]!++
      targets[at] = this.#edgeTo[e]!
      weights[at] = this.#edgeWeight[e]!
    }
    return {
      order,
      channels,
      stateCount,
      stateChannels,
      start: this.#start.slice(0, stateCount),
      rowOffsets,
      targets,
      weights,
      conversions: this.#conversions.slice(0, stateCount),
      nulls: this.#nulls.slice(0, stateCount),
      values: this.#values.slice(0, stateCount),
      journeys: this.#journeys,
    }
  }

  #stateOf(code: number): number {
    const known = this.#stateByCode.get(code)
    if (known >= 0) return known
    const state = this.#stateCount++
    if (state === this.#stateCodes.length) {
      const capacity = state * 2
      this.#stateCodes = grown(this.#stateCodes, capacity)
      this.#start = grown(this.#start, capacity)
      this.#conversions = grown(this.#conversions, capacity)
      this.#nulls = grown(this.#nulls, capacity)
      this.#values = grown(this.#values, capacity)
    }
    this.#stateCodes[state] = code
    this.#stateByCode.set(code, state)
    return state
  }

  #newEdge(from: number, to: number): number {
    const edge = this.#edgeCount++
    if (edge === this.#edgeFrom.length) {
      const capacity = edge * 2
      const edgeFrom = new Int32Array(capacity)
      edgeFrom.set(this.#edgeFrom)
      this.#edgeFrom = edgeFrom
      const edgeTo = new Int32Array(capacity)
      edgeTo.set(this.#edgeTo)
      this.#edgeTo = edgeTo
      this.#edgeWeight = grown(this.#edgeWeight, capacity)
    }
    this.#edgeFrom[edge] = from
    this.#edgeTo[edge] = to
    return edge
  }
}

function grown(from: Float64Array, capacity: number): Float64Array {
  const to = new Float64Array(capacity)
  to.set(from)
  return to
}
