/**
 * Hill saturation: diminishing (and, for α > 1, first increasing) returns to more media.
 *
 *   hill(x) = x^α / (x^α + K^α)
 *
 * K is the half-saturation point (hill(K) = ½). Robyn (`saturation_hill` in
 * `R/R/transformation.R`) does not search K directly but γ ∈ [0, 1], the "inflexion" as a
 * position within the observed range of the adstocked series:
 *
 *   K = min(a) + γ · (max(a) − min(a))
 *
 * Chorus searches γ like Robyn (so bounds carry over) and stores the resulting K, which is in the
 * units of the adstocked media and is what response curves use. α < 1 gives a C-shaped
 * (concave) curve, α > 1 an S-shaped one whose returns grow until {@link hillInflexionPoint}.
 */

/**
 * @example
 * hill(150, 3, 150) // 0.5
 */
export function hill(x: number, alpha: number, k: number): number {
  if (x <= 0) return 0
  // x^α/(x^α+K^α) written as 1/(1+(K/x)^α) stays finite for large x and α.
  return 1 / (1 + Math.pow(k / x, alpha))
}

/**
 * d hill / dx. Infinite at x = 0 when α < 1 (a vertical start), 0 there when α > 1.
 *
 * @example
 * hillDerivative(1, 1, 1) // 0.25
 */
export function hillDerivative(x: number, alpha: number, k: number): number {
  if (x <= 0) {
    if (alpha < 1) return Infinity
    if (alpha === 1) return 1 / k
    return 0
  }
  const r = Math.pow(k / x, alpha)
  // α K^α x^(α−1) / (x^α + K^α)^2 = α r / (x (1 + r)^2) with r = (K/x)^α.
  return (alpha * r) / (x * (1 + r) * (1 + r))
}

/**
 * K from Robyn's γ and the range of the adstocked series it is fitted on.
 *
 * @example
 * robynHalfSaturation([100, 150, 170, 190, 200], 0.5) // 150
 */
export function robynHalfSaturation(adstocked: ArrayLike<number>, gamma: number): number {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < adstocked.length; i++) {
    const v = adstocked[i] as number
    if (v < min) min = v
    if (v > max) max = v
  }
  if (adstocked.length === 0) throw new Error('cannot derive a half-saturation point from an empty series')
  return min * (1 - gamma) + max * gamma
}

/**
 * Where marginal returns peak: 0 for α ≤ 1 (concave everywhere), else K·((α−1)/(α+1))^(1/α),
 * the root of the second derivative. Beyond this point the curve is concave.
 *
 * @example
 * hillInflexionPoint(0.8, 100) // 0
 */
export function hillInflexionPoint(alpha: number, k: number): number {
  if (alpha <= 1) return 0
  return k * Math.pow((alpha - 1) / (alpha + 1), 1 / alpha)
}

/**
 * Applies hill to every element.
 *
 * @example
 * saturateSeries([0, 150], 3, 150) // Float64Array [0, 0.5]
 */
export function saturateSeries(series: ArrayLike<number>, alpha: number, k: number): Float64Array {
  const out = new Float64Array(series.length)
  for (let i = 0; i < series.length; i++) out[i] = hill(series[i] as number, alpha, k)
  return out
}
