/**
 * Ridge regression with an unpenalised intercept and optional non-negativity per coefficient,
 * solved by projected coordinate descent.
 *
 * Columns and outcome are standardised on the rows being fitted (population standard deviation),
 * then we minimise
 *
 *   (1 / 2n) ‖ỹ − X̃b‖² + (λ / 2) ‖b‖²   subject to b_j ≥ 0 for constrained j
 *
 * which is strictly convex for λ > 0, so cyclic coordinate descent with each update clipped at 0
 * converges to the unique optimum (Friedman, Hastie & Tibshirani 2010, "Regularization Paths for
 * Generalized Linear Models via Coordinate Descent", §2; glmnet's `lower.limits`, which Robyn
 * uses to keep media effects positive). Dividing by the standard deviation keeps each column's
 * sign, so the constraint holds on the original scale too. Updates work on the Gram matrix, so
 * a sweep costs O(p²) whatever the number of rows.
 */

export interface RidgeProblem {
  /** Column-major design: `columns[j][i]` is row i of column j; no intercept column. */
  columns: ReadonlyArray<ArrayLike<number>>
  y: ArrayLike<number>
  /** Rows to fit on, as a half-open range [from, to). Defaults to all rows. */
  rows?: { from: number; to: number }
  /** Penalty on the standardised scale; 0 gives (constrained) least squares. */
  lambda: number
  /** `nonNegative[j]` keeps coefficient j ≥ 0. */
  nonNegative: ReadonlyArray<boolean>
  maxSweeps?: number
  tolerance?: number
}

export interface RidgeFit {
  intercept: number
  /** On the original scale of each column; 0 for columns constant over the fitted rows. */
  coefficients: Float64Array
  sweeps: number
  converged: boolean
}

/**
 * @example
 * const fit = fitConstrainedRidge({
 *   columns: [[1, 2, 3, 4]], y: [3, 5, 7, 9], lambda: 0, nonNegative: [true],
 * })
 * // fit.intercept ≈ 1, fit.coefficients[0] ≈ 2
 */
export function fitConstrainedRidge(problem: RidgeProblem): RidgeFit {
  const { columns, y, lambda } = problem
  const from = problem.rows?.from ?? 0
  const to = problem.rows?.to ?? y.length
  const n = to - from
  const p = columns.length
  if (n < 1) throw new Error(`ridge needs at least one row, got the range [${from}, ${to})`)
  if (!(lambda >= 0)) throw new Error(`ridge penalty must be ≥ 0, got ${lambda}`)
  if (problem.nonNegative.length !== p) {
    throw new Error(`nonNegative has ${problem.nonNegative.length} entries for ${p} columns`)
  }

  const yMean = meanOf(y, from, to)
  const ySd = sdOf(y, from, to, yMean) || 1
  const means = new Float64Array(p)
  const sds = new Float64Array(p)
  const standardised: Float64Array[] = []
  for (let j = 0; j < p; j++) {
    const col = columns[j] as ArrayLike<number>
    const m = meanOf(col, from, to)
    const s = sdOf(col, from, to, m)
    means[j] = m
    sds[j] = s
    const z = new Float64Array(n)
    if (s > 0) for (let i = 0; i < n; i++) z[i] = ((col[from + i] as number) - m) / s
    standardised.push(z)
  }
  const ys = new Float64Array(n)
  for (let i = 0; i < n; i++) ys[i] = ((y[from + i] as number) - yMean) / ySd

  const gram = new Float64Array(p * p)
  const xty = new Float64Array(p)
  for (let j = 0; j < p; j++) {
    const zj = standardised[j] as Float64Array
    let c = 0
    for (let i = 0; i < n; i++) c += (zj[i] as number) * (ys[i] as number)
    xty[j] = c / n
    for (let k = j; k < p; k++) {
      const zk = standardised[k] as Float64Array
      let g = 0
      for (let i = 0; i < n; i++) g += (zj[i] as number) * (zk[i] as number)
      gram[j * p + k] = g / n
      gram[k * p + j] = g / n
    }
  }

  const b = new Float64Array(p)
  const maxSweeps = problem.maxSweeps ?? 5000
  const tolerance = problem.tolerance ?? 1e-10
  let sweeps = 0
  let converged = p === 0
  while (!converged && sweeps < maxSweeps) {
    sweeps++
    let maxChange = 0
    for (let j = 0; j < p; j++) {
      const gjj = gram[j * p + j] as number
      if (gjj === 0) continue
      let residual = xty[j] as number
      for (let k = 0; k < p; k++) if (k !== j) residual -= (gram[j * p + k] as number) * (b[k] as number)
      let value = residual / (gjj + lambda)
      if (problem.nonNegative[j] && value < 0) value = 0
      const change = Math.abs(value - (b[j] as number))
      if (change > maxChange) maxChange = change
      b[j] = value
    }
    if (maxChange < tolerance) converged = true
  }

  const coefficients = new Float64Array(p)
  let intercept = yMean
  for (let j = 0; j < p; j++) {
    const s = sds[j] as number
    if (s === 0) continue
    const beta = ((b[j] as number) * ySd) / s
    coefficients[j] = beta
    intercept -= beta * (means[j] as number)
  }
  return { intercept, coefficients, sweeps, converged }
}

function meanOf(values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0
  for (let i = from; i < to; i++) sum += values[i] as number
  return sum / (to - from)
}

function sdOf(values: ArrayLike<number>, from: number, to: number, mean: number): number {
  let sum = 0
  for (let i = from; i < to; i++) {
    const d = (values[i] as number) - mean
    sum += d * d
  }
  const sd = Math.sqrt(sum / (to - from))
  // Treat numerically constant columns (e.g. a dummy that never fires in these rows) as constant.
  return sd > 1e-12 * (Math.abs(mean) + 1) ? sd : 0
}
