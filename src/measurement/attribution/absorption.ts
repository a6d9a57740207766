import type { MarkovGraph } from './markov-graph.ts'

/**
 * Exact absorption in the Markov graph: from `(start)`, the probability of ending in
 * `(conversion)` and the expected conversion value collected on the way. With transition
 * probabilities P(s→t) = w(s,t) / out(s), conversion probability b(s) = conversions(s) / out(s)
 * and value rate r(s) = value(s) / out(s), the absorption vectors solve
 *
 *     x(s) = b(s) + Σ_t P(s→t) x(t)        y(s) = r(s) + Σ_t P(s→t) y(t)
 *
 * and P(conversion) = Σ_s P(start→s) x(s), expected value = Σ_s P(start→s) y(s). A removed state
 * sends everything that enters it to `(null)`: its x and y are 0.
 *
 * y uses conversion value as the absorbing weight: r(s) = P(s→conversion) × (mean value of a
 * conversion ending in s), which is exactly what ChannelAttribution's simulation samples when it
 * draws a conversion value for the last state of a converting simulated path.
 */
export interface AbsorbingChain {
  readonly stateCount: number
  readonly rowOffsets: Uint32Array
  readonly targets: Int32Array
  readonly probabilities: Float64Array
  readonly conversionRates: Float64Array
  readonly valueRates: Float64Array
  readonly startProbabilities: Float64Array
}

/** How the linear system is solved: dense LU for small chains, Gauss–Seidel for large ones. */
export type AbsorptionSolver = 'auto' | 'direct' | 'iterative'

/** Up to this many states `auto` uses the dense direct solve. */
export const DIRECT_SOLVE_MAX_STATES = 256

/** Where absorption ends from `(start)`. */
export interface Absorption {
  conversion: number
  value: number
}

/**
 * Normalises a graph's counts into transition probabilities.
 *
 * @example
 * const chain = absorbingChain(countMarkovGraph(paths, 1))
 */
export function absorbingChain(graph: MarkovGraph): AbsorbingChain {
  const n = graph.stateCount
  const probabilities = new Float64Array(graph.weights.length)
  const conversionRates = new Float64Array(n)
  const valueRates = new Float64Array(n)
  for (let s = 0; s < n; s++) {
    let out = graph.conversions[s]! + graph.nulls[s]!
    for (let e = graph.rowOffsets[s]!; e < graph.rowOffsets[s + 1]!; e++) out += graph.weights[e]!
    if (out === 0) continue
    for (let e = graph.rowOffsets[s]!; e < graph.rowOffsets[s + 1]!; e++) probabilities[e] = graph.weights[e]! / out
    conversionRates[s] = graph.conversions[s]! / out
    valueRates[s] = graph.values[s]! / out
  }
  const startProbabilities = new Float64Array(n)
  if (graph.journeys > 0) for (let s = 0; s < n; s++) startProbabilities[s] = graph.start[s]! / graph.journeys
  return {
    stateCount: n,
    rowOffsets: graph.rowOffsets,
    targets: graph.targets,
    probabilities,
    conversionRates,
    valueRates,
    startProbabilities,
  }
}

/**
 * Solves the absorption vectors with the states flagged in `removed` sent to `(null)`.
 * `warmStart` (a solution of the chain with fewer states removed) only speeds up the iterative
 * solve: the iteration is monotone and converges to the same fixed point from above.
 *
 * @example
 * const chain = absorbingChain(graph)
 * solveAbsorption(chain).conversion // P(conversion) of the whole chain
 */
export function solveAbsorption(
  chain: AbsorbingChain,
  options: { removed?: Uint8Array; solver?: AbsorptionSolver; warmStart?: AbsorptionVectors } = {},
): Absorption & { vectors: AbsorptionVectors } {
  const removed = options.removed ?? new Uint8Array(chain.stateCount)
  const solver = options.solver ?? 'auto'
  const direct = solver === 'direct' || (solver === 'auto' && chain.stateCount <= DIRECT_SOLVE_MAX_STATES)
  const vectors = direct ? solveDirect(chain, removed) : solveIterative(chain, removed, options.warmStart)
  let conversion = 0
  let value = 0
  for (let s = 0; s < chain.stateCount; s++) {
    conversion += chain.startProbabilities[s]! * vectors.x[s]!
    value += chain.startProbabilities[s]! * vectors.y[s]!
  }
  return { conversion, value, vectors }
}

/** Per-state absorption: x = conversion probability, y = expected value. */
export interface AbsorptionVectors {
  x: Float64Array
  y: Float64Array
}

/** Stop when the estimated remaining error is below this fraction of the largest entry. */
const TOLERANCE = 1e-15
const MAX_SWEEPS = 1_000_000

/**
 * Gauss–Seidel sweeps, states in reverse discovery order (discovery follows paths from the
 * start, so later states sit nearer absorption and are best updated first). All coefficients
 * are non-negative, so from x = 0 the iterates rise monotonically to the solution and from a
 * solution with fewer removals they fall to it; the change per sweep shrinks geometrically by
 * ρ, and the remaining error is at most change × ρ / (1 − ρ). We stop when that bound, with ρ
 * estimated from successive changes, is below 1e-15 relative — far below the 1e-12 asked of it.
 */
function solveIterative(chain: AbsorbingChain, removed: Uint8Array, warmStart?: AbsorptionVectors): AbsorptionVectors {
  const n = chain.stateCount
  const x = warmStart ? warmStart.x.slice() : new Float64Array(n)
  const y = warmStart ? warmStart.y.slice() : new Float64Array(n)
  for (let s = 0; s < n; s++) {
    if (removed[s] === 1) {
      x[s] = 0
      y[s] = 0
    }
  }
  const { rowOffsets, targets, probabilities, conversionRates, valueRates } = chain
  let previousChange = Infinity
  let previousRate = 1
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let changeX = 0
    let changeY = 0
    let largestX = 0
    let largestY = 0
    for (let s = n - 1; s >= 0; s--) {
      if (removed[s] === 1) continue
      let xs = conversionRates[s]!
      let ys = valueRates[s]!
      for (let e = rowOffsets[s]!; e < rowOffsets[s + 1]!; e++) {
        const p = probabilities[e]!
        const t = targets[e]!
        xs += p * x[t]!
        ys += p * y[t]!
      }
      changeX = Math.max(changeX, Math.abs(xs - x[s]!))
      changeY = Math.max(changeY, Math.abs(ys - y[s]!))
      largestX = Math.max(largestX, xs)
      largestY = Math.max(largestY, ys)
      x[s] = xs
      y[s] = ys
    }
    const change = Math.max(largestX > 0 ? changeX / largestX : 0, largestY > 0 ? changeY / largestY : 0)
    if (change === 0) return { x, y }
    if (change < TOLERANCE) return { x, y }
    // The larger of the last two contraction estimates, so one lucky sweep cannot stop it early.
    const rate = change / previousChange
    const slowest = Math.max(rate, previousRate)
    if (slowest < 1 && (change * slowest) / (1 - slowest) < TOLERANCE) return { x, y }
    previousRate = Number.isFinite(previousChange) ? rate : 1
    previousChange = change
  }
  throw new Error(`absorption did not converge in ${MAX_SWEEPS} sweeps over ${n} states`)
}

/**
 * Dense Gaussian elimination with partial pivoting on (I − Q) [x y] = [b r], Q the transitions
 * among the states kept. Exact up to rounding; cubic in the number of states.
 */
function solveDirect(chain: AbsorbingChain, removed: Uint8Array): AbsorptionVectors {
  const n = chain.stateCount
  const kept: number[] = []
  const position = new Int32Array(n).fill(-1)
  for (let s = 0; s < n; s++) {
    if (removed[s] !== 1) {
      position[s] = kept.length
      kept.push(s)
    }
  }
  const m = kept.length
  const width = m + 2
  const a = new Float64Array(m * width)
  for (let row = 0; row < m; row++) {
    const s = kept[row]!
    a[row * width + row] = 1
    for (let e = chain.rowOffsets[s]!; e < chain.rowOffsets[s + 1]!; e++) {
      const col = position[chain.targets[e]!]!
      if (col >= 0) a[row * width + col]! -= chain.probabilities[e]!
    }
    a[row * width + m] = chain.conversionRates[s]!
    a[row * width + m + 1] = chain.valueRates[s]!
  }
  for (let col = 0; col < m; col++) {
    let pivot = col
    for (let row = col + 1; row < m; row++) {
      if (Math.abs(a[row * width + col]!) > Math.abs(a[pivot * width + col]!)) pivot = row
    }
    if (pivot !== col) {
      for (let k = col; k < width; k++) {
        const t = a[col * width + k]!
        a[col * width + k] = a[pivot * width + k]!
        a[pivot * width + k] = t
      }
    }
    const diagonal = a[col * width + col]!
    for (let row = col + 1; row < m; row++) {
      const factor = a[row * width + col]! / diagonal
      if (factor === 0) continue
      for (let k = col; k < width; k++) a[row * width + k]! -= factor * a[col * width + k]!
    }
  }
  const x = new Float64Array(n)
  const y = new Float64Array(n)
  for (let row = m - 1; row >= 0; row--) {
    let xs = a[row * width + m]!
    let ys = a[row * width + m + 1]!
    for (let k = row + 1; k < m; k++) {
      xs -= a[row * width + k]! * x[kept[k]!]!
      ys -= a[row * width + k]! * y[kept[k]!]!
    }
    const diagonal = a[row * width + row]!
    x[kept[row]!] = xs / diagonal
    y[kept[row]!] = ys / diagonal
  }
  return { x, y }
}
