/**
 * Nelder–Mead downhill simplex minimisation (Nelder & Mead 1965, "A simplex method for function
 * minimization", Computer Journal 7(4)), with the standard coefficients — reflection 1,
 * expansion 2, contraction ½, shrink ½ — as analysed by Lagarias, Reeds, Wright & Wright (1998).
 * The search restarts from its best point until a restart no longer improves it, which guards
 * against the simplex collapsing early (Numerical Recipes 3rd ed. §10.5 recommends the same).
 */
export interface NelderMeadOptions {
  /** Initial simplex step per coordinate (default 0.5 — the models search in log space). */
  step?: number
  /** Stop when the simplex's function values differ by less than this (default 1e-10). */
  fTolerance?: number
  /** …and its vertices by less than this in every coordinate (default 1e-8). */
  xTolerance?: number
  maxEvaluations?: number
}

export interface NelderMeadResult {
  x: number[]
  value: number
  evaluations: number
  converged: boolean
}

/**
 * @example
 * const rosenbrock = ([x, y]: number[]) => (1 - x!) ** 2 + 100 * (y! - x! ** 2) ** 2
 * nelderMead(rosenbrock, [-1.2, 1]).x // ≈ [1, 1]
 */
export function nelderMead(f: (x: number[]) => number, start: readonly number[], options: NelderMeadOptions = {}): NelderMeadResult {
  const maxEvaluations = options.maxEvaluations ?? 20_000
  let evaluations = 0
  const evaluate = (x: number[]) => {
    evaluations++
    const v = f(x)
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY
  }
  let best = { x: [...start], value: evaluate([...start]) }
  let converged = false
  for (let restart = 0; restart < 10 && evaluations < maxEvaluations; restart++) {
    const run = simplexRun(evaluate, best.x, options, () => evaluations, maxEvaluations)
    const improved = best.value - run.value
    if (run.value <= best.value) best = { x: run.x, value: run.value }
    converged = run.converged
    if (!run.converged || improved < (options.fTolerance ?? 1e-10)) break
  }
  return { x: best.x, value: best.value, evaluations, converged }
}

function simplexRun(
  evaluate: (x: number[]) => number,
  start: number[],
  options: NelderMeadOptions,
  used: () => number,
  maxEvaluations: number,
): { x: number[]; value: number; converged: boolean } {
  const n = start.length
  const step = options.step ?? 0.5
  const fTol = options.fTolerance ?? 1e-10
  const xTol = options.xTolerance ?? 1e-8
  const points: number[][] = [[...start]]
  for (let i = 0; i < n; i++) {
    const p = [...start]
    p[i] = p[i]! + step
    points.push(p)
  }
  const values = points.map(evaluate)
  const order = points.map((_, i) => i)
  while (used() < maxEvaluations) {
    order.sort((i, j) => values[i]! - values[j]!)
    const bestI = order[0]!
    const worstI = order[n]!
    const secondWorstI = order[n - 1]!
    if (hasConverged(points, values, bestI, fTol, xTol)) return { x: points[bestI]!, value: values[bestI]!, converged: true }

    const centroid = new Array<number>(n).fill(0)
    for (const i of order.slice(0, n)) for (let k = 0; k < n; k++) centroid[k]! += points[i]![k]! / n
    const along = (t: number) => centroid.map((c, k) => c + t * (points[worstI]![k]! - c))

    const reflected = along(-1)
    const fr = evaluate(reflected)
    if (fr < values[bestI]!) {
      const expanded = along(-2)
      const fe = evaluate(expanded)
      if (fe < fr) replace(worstI, expanded, fe)
      else replace(worstI, reflected, fr)
      continue
    }
    if (fr < values[secondWorstI]!) {
      replace(worstI, reflected, fr)
      continue
    }
    // Contract outside when the reflection beat the worst point, inside otherwise.
    const outside = fr < values[worstI]!
    const contracted = along(outside ? -0.5 : 0.5)
    const fc = evaluate(contracted)
    if (fc < (outside ? fr : values[worstI]!)) {
      replace(worstI, contracted, fc)
      continue
    }
    for (const i of order.slice(1)) {
      points[i] = points[i]!.map((v, k) => points[bestI]![k]! + 0.5 * (v - points[bestI]![k]!))
      values[i] = evaluate(points[i]!)
    }
  }
  order.sort((i, j) => values[i]! - values[j]!)
  return { x: points[order[0]!]!, value: values[order[0]!]!, converged: false }

  function replace(i: number, x: number[], v: number) {
    points[i] = x
    values[i] = v
  }
}

function hasConverged(points: number[][], values: number[], bestI: number, fTol: number, xTol: number): boolean {
  const fBest = values[bestI]!
  for (let i = 0; i < points.length; i++) {
    if (Math.abs(values[i]! - fBest) > fTol * (1 + Math.abs(fBest))) return false
    for (let k = 0; k < points[i]!.length; k++) if (Math.abs(points[i]![k]! - points[bestI]![k]!) > xTol * (1 + Math.abs(points[bestI]![k]!))) return false
  }
  return true
}
