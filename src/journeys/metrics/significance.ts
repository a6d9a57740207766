/**
 * The two-proportion z-test for a holdout: did the people who got the journey convert more than
 * the people held out? Pooled standard error for the test statistic, unpooled (Wald) for the
 * confidence interval of the difference — the textbook pairing (Agresti & Franklin, "Statistics:
 * The Art and Science of Learning from Data", §10.1).
 */
export interface ProportionTest {
  treatment: { people: number; conversions: number; rate: number }
  control: { people: number; conversions: number; rate: number }
  /** Treatment rate minus control rate. */
  absoluteLift: number
  /** Absolute lift over the control rate; null when the control rate is 0. */
  relativeLift: number | null
  /** Confidence interval of the absolute lift at `confidence`. */
  interval: { low: number; high: number; confidence: number }
  z: number | null
  /** Two-sided; null when there is no variance to test (no conversions, or everyone converted). */
  pValue: number | null
  significant: boolean
}

/**
 * @example twoProportionZTest({ conversions: 120, people: 1000 }, { conversions: 80, people: 1000 }) // z ≈ 2.98, p ≈ 0.003
 */
export function twoProportionZTest(
  treatment: { conversions: number; people: number },
  control: { conversions: number; people: number },
  confidence = 0.95,
): ProportionTest {
  const p1 = treatment.people > 0 ? treatment.conversions / treatment.people : 0
  const p2 = control.people > 0 ? control.conversions / control.people : 0
  const diff = p1 - p2
  const zCritical = normalQuantile(1 - (1 - confidence) / 2)
  let z: number | null = null
  let pValue: number | null = null
  if (treatment.people > 0 && control.people > 0) {
    const pooled = (treatment.conversions + control.conversions) / (treatment.people + control.people)
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / treatment.people + 1 / control.people))
    if (se > 0) {
      z = diff / se
      pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))))
    }
  }
  const seDiff = treatment.people > 0 && control.people > 0 ? Math.sqrt((p1 * (1 - p1)) / treatment.people + (p2 * (1 - p2)) / control.people) : 0
  return {
    treatment: { people: treatment.people, conversions: treatment.conversions, rate: p1 },
    control: { people: control.people, conversions: control.conversions, rate: p2 },
    absoluteLift: diff,
    relativeLift: p2 > 0 ? diff / p2 : null,
    interval: { low: diff - zCritical * seDiff, high: diff + zCritical * seDiff, confidence },
    z,
    pValue,
    significant: pValue !== null && pValue < 1 - confidence,
  }
}

/**
 * Standard normal CDF via erf, Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7) —
 * ample for p-values reported to three places.
 */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2))
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-(x * x) / 2)
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}

/**
 * Standard normal quantile, Acklam's rational approximation (relative error below 1.15e-9),
 * for the interval's critical value (1.96 at 95 %).
 */
export function normalQuantile(p: number): number {
  if (p <= 0 || p >= 1) throw new Error(`normalQuantile needs 0 < p < 1, got ${p}`)
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]
  const low = 0.02425
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  }
  if (p > 1 - low) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
}
