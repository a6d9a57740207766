/**
 * A seeded, bounded evolutionary search over the unit cube [0, 1]^d: differential evolution,
 * "DE/current-to-best/1/bin" (Storn & Price 1997, "Differential Evolution – A Simple and
 * Efficient Heuristic for Global Optimization over Continuous Spaces"; the current-to-best
 * variant as in Zhang & Sanderson 2009, JADE) started from a Latin hypercube sample.
 *
 * Chosen over plain random search because MMM objectives are smooth but multi-modal in the
 * adstock and saturation parameters: a population keeps several basins alive while the
 * difference vectors shrink the step as the population converges. Everything random comes from
 * one seeded generator and candidates are evaluated in a fixed order, so a seed always returns
 * the same answer. The budget is the number of objective evaluations, never wall-clock time.
 */
import { createSeededRandom, type SeededRandom } from './seeded-random.ts'

export interface SearchProblem {
  dimensions: number
  /** Objective evaluations allowed, including the initial population. */
  iterations: number
  seed: number
  /** Lower is better; non-finite scores count as the worst possible. */
  objective: (point: Float64Array) => number
  populationSize?: number
  /** Binomial crossover rate. */
  crossover?: number
}

export interface SearchResult {
  best: Float64Array
  bestScore: number
  evaluations: number
  generations: number
}

/**
 * @example
 * const result = searchUnitCube({
 *   dimensions: 2, iterations: 400, seed: 7,
 *   objective: (p) => (p[0]! - 0.3) ** 2 + (p[1]! - 0.8) ** 2,
 * })
 * // result.best ≈ [0.3, 0.8]
 */
export function searchUnitCube(problem: SearchProblem): SearchResult {
  const steps = searchSteps(problem)
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
  }
}

/**
 * The same search, one generation at a time: yields the evaluations spent so far after the
 * initial population and after each generation, and returns the result. A caller that awaits
 * between steps keeps its event loop (and a progress bar) alive during a long search.
 *
 * @example
 * const steps = searchSteps(problem)
 * for (let s = steps.next(); !s.done; s = steps.next()) report(s.value / problem.iterations)
 */
export function* searchSteps(problem: SearchProblem): Generator<number, SearchResult> {
  const { dimensions: d, iterations } = problem
  if (!Number.isInteger(d) || d < 1) throw new Error(`search needs at least one dimension, got ${d}`)
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new Error(`search needs at least one iteration, got ${iterations}`)
  }
  const random = createSeededRandom(problem.seed)
  const size = Math.max(1, Math.min(iterations, problem.populationSize ?? Math.max(10, Math.min(40, 2 * d))))
  const crossover = problem.crossover ?? 0.9
  const score = (point: Float64Array): number => {
    const s = problem.objective(point)
    return Number.isFinite(s) ? s : Infinity
  }

  const population = latinHypercube(size, d, random)
  const scores = population.map(score)
  let evaluations = size
  let bestIndex = argMin(scores)
  let generations = 0
  yield evaluations

  while (evaluations < iterations && size >= 3) {
    if (generations > 0) yield evaluations
    generations++
    for (let i = 0; i < size && evaluations < iterations; i++) {
      const parent = population[i] as Float64Array
      const best = population[bestIndex] as Float64Array
      const [r1, r2] = pickDistinct(size, i, random)
      const a = population[r1] as Float64Array
      const b = population[r2] as Float64Array
      // Dithered scale factor (one draw per trial) avoids stagnating on a fixed step length.
      const f = 0.5 + 0.5 * random.next()
      const forced = random.integer(d)
      const trial = new Float64Array(d)
      for (let j = 0; j < d; j++) {
        const x = parent[j] as number
        if (j === forced || random.next() < crossover) {
          let v = x + f * ((best[j] as number) - x) + f * ((a[j] as number) - (b[j] as number))
          // Out of the cube: go half-way from the parent to the violated face.
          if (v < 0) v = x / 2
          else if (v > 1) v = (x + 1) / 2
          trial[j] = v
        } else {
          trial[j] = x
        }
      }
      const s = score(trial)
      evaluations++
      if (s <= (scores[i] as number)) {
        population[i] = trial
        scores[i] = s
        if (s < (scores[bestIndex] as number)) bestIndex = i
      }
    }
  }
  return {
    best: population[bestIndex] as Float64Array,
    bestScore: scores[bestIndex] as number,
    evaluations,
    generations,
  }
}

function latinHypercube(size: number, d: number, random: SeededRandom): Float64Array[] {
  const points = Array.from({ length: size }, () => new Float64Array(d))
  for (let j = 0; j < d; j++) {
    const strata = Array.from({ length: size }, (_, i) => i)
    for (let i = size - 1; i > 0; i--) {
      const k = random.integer(i + 1)
      const tmp = strata[i] as number
      strata[i] = strata[k] as number
      strata[k] = tmp
    }
    for (let i = 0; i < size; i++) (points[i] as Float64Array)[j] = ((strata[i] as number) + random.next()) / size
  }
  return points
}

function pickDistinct(size: number, exclude: number, random: SeededRandom): [number, number] {
  let r1 = random.integer(size)
  while (r1 === exclude) r1 = random.integer(size)
  let r2 = random.integer(size)
  while (r2 === exclude || r2 === r1) r2 = random.integer(size)
  return [r1, r2]
}

function argMin(values: number[]): number {
  let index = 0
  for (let i = 1; i < values.length; i++) if ((values[i] as number) < (values[index] as number)) index = i
  return index
}
