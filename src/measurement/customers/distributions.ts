import { regularizedBeta, regularizedGammaQ } from './gamma-function.ts'

/**
 * The normal and Student t distributions the experiment tests need: CDFs from the incomplete
 * gamma and beta functions (erf(x) = P(½, x²); the t CDF is an incomplete beta), quantiles by
 * Acklam's rational approximation refined with Newton steps (normal) and by bisection (t).
 */

/**
 * Standard normal CDF Φ(z).
 *
 * @example normalCdf(1.959963984540054) // 0.975
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN
  const x = (z * z) / 2
  // Φ(z) = ½(1 + erf(z/√2)) and erf(u) = P(½, u²); the upper form keeps tail precision.
  return z >= 0 ? 1 - 0.5 * regularizedGammaQ(0.5, x) : 0.5 * regularizedGammaQ(0.5, x)
}

/** Two-sided p-value of a standard normal statistic: 2·(1 − Φ(|z|)). */
export function normalTwoSidedP(z: number): number {
  return regularizedGammaQ(0.5, (z * z) / 2)
}

const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]

/**
 * Standard normal quantile Φ⁻¹(p), 0 < p < 1.
 *
 * @example normalQuantile(0.975) // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`)
  const [a0, a1, a2, a3, a4, a5] = ACKLAM_A as [number, number, number, number, number, number]
  const [b0, b1, b2, b3, b4] = ACKLAM_B as [number, number, number, number, number]
  const [c0, c1, c2, c3, c4, c5] = ACKLAM_C as [number, number, number, number, number, number]
  const [d0, d1, d2, d3] = ACKLAM_D as [number, number, number, number]
  const low = 0.02425
  let x: number
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    x = (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
  } else if (p <= 1 - low) {
    const q = p - 0.5
    const r = q * q
    x = ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    x = -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
  }
  // Two Newton steps on Φ(x) − p take Acklam's 1e-9 relative error to machine precision.
  for (let i = 0; i < 2; i++) {
    const density = Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI)
    x -= (normalCdf(x) - p) / density
  }
  return x
}

/**
 * Student t CDF with `df` degrees of freedom (df may be fractional, as Welch's is).
 *
 * @example studentTCdf(2.228138851986274, 10) // 0.975
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf needs df > 0, got ${df}`)
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5)
  return t >= 0 ? 1 - tail : tail
}

/** Two-sided p-value of a t statistic: I_{df/(df+t²)}(df/2, ½). */
export function studentTTwoSidedP(t: number, df: number): number {
  return regularizedBeta(df / (df + t * t), df / 2, 0.5)
}

/**
 * Student t quantile by bisection on the CDF (monotone, so 200 halvings reach double precision).
 *
 * @example studentTQuantile(0.975, 10) // 2.228138851986274
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile needs 0 < p < 1, got ${p}`)
  if (p === 0.5) return 0
  let lo = -1
  let hi = 1
  while (studentTCdf(lo, df) > p) lo *= 2
  while (studentTCdf(hi, df) < p) hi *= 2
  for (let i = 0; i < 200 && hi - lo > 1e-14 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2
    if (studentTCdf(mid, df) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

