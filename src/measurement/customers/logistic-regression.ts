/**
 * L2-regularised logistic regression fitted by iteratively reweighted least squares (Newton's
 * method on the penalised log-likelihood; Hastie, Tibshirani & Friedman, The Elements of
 * Statistical Learning, 2nd ed., §4.4.1 and §4.4.4). Features are standardised with the training
 * means and standard deviations, and the intercept is not penalised, so the penalty `lambda` means
 * the same thing whatever the features' units.
 *
 * Minimises −Σ [yᵢ log μᵢ + (1 − yᵢ) log(1 − μᵢ)] + (λ/2)‖w‖², μᵢ = σ(b + wᵀxᵢ).
 */
export interface LogisticModel {
  intercept: number
  /** Weights on the standardised features, in feature order. */
  weights: number[]
  means: number[]
  scales: number[]
  lambda: number
  iterations: number
  converged: boolean
}

export interface LogisticOptions {
  /** L2 penalty on the standardised weights (default 1). */
  lambda?: number
  maxIterations?: number
}

/**
 * @example
 * const model = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1], { lambda: 0.1 })
 * predictLogistic(model, [3]) // > 0.5
 */
export function fitLogistic(rows: readonly number[][], labels: readonly number[], options: LogisticOptions = {}): LogisticModel {
  const n = rows.length
  if (n === 0 || labels.length !== n) throw new Error(`Logistic regression needs as many labels as rows (got ${n} rows, ${labels.length} labels)`)
  const d = rows[0]!.length
  const lambda = options.lambda ?? 1
  const { means, scales } = standardisation(rows)
  const X = rows.map((r) => [1, ...r.map((v, j) => (v - means[j]!) / scales[j]!)])
  const beta = new Array<number>(d + 1).fill(0)
  const positives = labels.reduce((s, y) => s + y, 0)
  // Start the intercept at the base rate's log-odds: fewer Newton steps, same optimum.
  const base = Math.min(Math.max(positives / n, 1e-6), 1 - 1e-6)
  beta[0] = Math.log(base / (1 - base))
  const maxIterations = options.maxIterations ?? 50
  let converged = false
  let iterations = 0
  for (; iterations < maxIterations && !converged; iterations++) {
    const gradient = new Array<number>(d + 1).fill(0)
    const hessian = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0))
    for (let i = 0; i < n; i++) {
      const xi = X[i]!
      const mu = sigmoid(dot(beta, xi))
      const w = Math.max(mu * (1 - mu), 1e-12)
      const residual = mu - labels[i]!
      for (let j = 0; j <= d; j++) {
        gradient[j]! += residual * xi[j]!
        const wx = w * xi[j]!
        const row = hessian[j]!
        for (let k = 0; k <= j; k++) row[k]! += wx * xi[k]!
      }
    }
    for (let j = 1; j <= d; j++) {
      gradient[j]! += lambda * beta[j]!
      hessian[j]![j]! += lambda
    }
    for (let j = 0; j <= d; j++) for (let k = j + 1; k <= d; k++) hessian[j]![k] = hessian[k]![j]!
    const step = solveSymmetric(hessian, gradient)
    let largest = 0
    for (let j = 0; j <= d; j++) {
      beta[j]! -= step[j]!
      largest = Math.max(largest, Math.abs(step[j]!))
    }
    converged = largest < 1e-8
  }
  return { intercept: beta[0]!, weights: beta.slice(1), means, scales, lambda, iterations, converged }
}

/**
 * The fitted probability for one row of raw (unstandardised) features.
 *
 * @example predictLogistic(model, [12, 3, 1]) // 0.27
 */
export function predictLogistic(model: LogisticModel, row: readonly number[]): number {
  let eta = model.intercept
  for (let j = 0; j < model.weights.length; j++) eta += model.weights[j]! * ((row[j]! - model.means[j]!) / model.scales[j]!)
  return sigmoid(eta)
}

function standardisation(rows: readonly number[][]): { means: number[]; scales: number[] } {
  const d = rows[0]!.length
  const means = new Array<number>(d).fill(0)
  const scales = new Array<number>(d).fill(0)
  for (const r of rows) for (let j = 0; j < d; j++) means[j]! += r[j]!
  for (let j = 0; j < d; j++) means[j]! /= rows.length
  for (const r of rows) for (let j = 0; j < d; j++) scales[j]! += (r[j]! - means[j]!) ** 2
  // A constant feature gets scale 1: its standardised value is 0 everywhere, so its weight is 0.
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(scales[j]! / rows.length)
    scales[j] = sd > 1e-12 * Math.max(1, Math.abs(means[j]!)) ? sd : 1
  }
  return { means, scales }
}

function sigmoid(eta: number): number {
  return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta))
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** Solves A x = b for symmetric positive definite A by Cholesky decomposition. */
function solveSymmetric(A: number[][], b: number[]): number[] {
  const n = b.length
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i]![j]!
      for (let k = 0; k < j; k++) sum -= L[i]![k]! * L[j]![k]!
      if (i === j) L[i]![i] = Math.sqrt(Math.max(sum, 1e-12))
      else L[i]![j] = sum / L[j]![j]!
    }
  }
  const y = new Array<number>(n).fill(0)
  for (let i = 0; i < n; i++) {
    let sum = b[i]!
    for (let k = 0; k < i; k++) sum -= L[i]![k]! * y[k]!
    y[i] = sum / L[i]![i]!
  }
  const x = new Array<number>(n).fill(0)
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!
    for (let k = i + 1; k < n; k++) sum -= L[k]![i]! * x[k]!
    x[i] = sum / L[i]![i]!
  }
  return x
}
