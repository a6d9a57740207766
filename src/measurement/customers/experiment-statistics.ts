import { normalQuantile, normalTwoSidedP, studentTQuantile, studentTTwoSidedP } from './distributions.ts'

/**
 * The two tests an experiment read-out uses, treatment against control:
 *
 * - conversion: the two-proportion z-test with the pooled standard error under H₀ (p₁ = p₂), and a
 *   Wald interval for the difference with the unpooled standard error; the relative lift's interval
 *   is the Katz log risk-ratio interval (Katz, Baptista, Azen & Pike 1978), exp(ln RR ± z·SE) − 1.
 * - revenue per person (zeros included): Welch's unequal-variance t-test (Welch 1947) with
 *   Welch–Satterthwaite degrees of freedom, and the matching t interval.
 */
export interface ProportionTest {
  control: { n: number; conversions: number; rate: number }
  treatment: { n: number; conversions: number; rate: number }
  /** treatment rate − control rate. */
  difference: number
  differenceInterval: [number, number]
  /** difference / control rate; null when the control rate is 0. */
  relativeLift: number | null
  relativeLiftInterval: [number, number] | null
  z: number
  pValue: number
}

/**
 * @example twoProportionZTest({ n: 1000, conversions: 200 }, { n: 1000, conversions: 250 }) // z ≈ 2.677, p ≈ 0.0074
 */
export function twoProportionZTest(
  control: { n: number; conversions: number },
  treatment: { n: number; conversions: number },
  confidence = 0.95,
): ProportionTest {
  for (const g of [control, treatment]) {
    if (!(g.n > 0) || g.conversions < 0 || g.conversions > g.n) throw new Error(`A group needs n > 0 and 0 ≤ conversions ≤ n (got n=${g.n}, conversions=${g.conversions})`)
  }
  const p1 = control.conversions / control.n
  const p2 = treatment.conversions / treatment.n
  const pooled = (control.conversions + treatment.conversions) / (control.n + treatment.n)
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n))
  const difference = p2 - p1
  const z = sePooled === 0 ? 0 : difference / sePooled
  const zCrit = normalQuantile(1 - (1 - confidence) / 2)
  const seDiff = Math.sqrt((p1 * (1 - p1)) / control.n + (p2 * (1 - p2)) / treatment.n)
  let relativeLiftInterval: [number, number] | null = null
  if (control.conversions > 0 && treatment.conversions > 0) {
    const seLog = Math.sqrt((1 - p2) / treatment.conversions + (1 - p1) / control.conversions)
    const lnRr = Math.log(p2 / p1)
    relativeLiftInterval = [Math.exp(lnRr - zCrit * seLog) - 1, Math.exp(lnRr + zCrit * seLog) - 1]
  }
  return {
    control: { ...control, rate: p1 },
    treatment: { ...treatment, rate: p2 },
    difference,
    differenceInterval: [difference - zCrit * seDiff, difference + zCrit * seDiff],
    relativeLift: p1 > 0 ? difference / p1 : null,
    relativeLiftInterval,
    z,
    pValue: sePooled === 0 ? 1 : normalTwoSidedP(z),
  }
}

export interface SampleMoments {
  n: number
  mean: number
  /** Sample variance (n − 1 denominator). */
  variance: number
}

export interface WelchTest {
  control: SampleMoments
  treatment: SampleMoments
  difference: number
  differenceInterval: [number, number]
  relativeLift: number | null
  t: number
  degreesOfFreedom: number
  pValue: number
}

/**
 * Mean and sample variance in one pass (Welford 1962), for numeric stability on large sums.
 *
 * @example sampleMoments([1, 2, 3, 4, 5]) // { n: 5, mean: 3, variance: 2.5 }
 */
export function sampleMoments(values: Iterable<number>): SampleMoments {
  let n = 0
  let mean = 0
  let m2 = 0
  for (const v of values) {
    n++
    const delta = v - mean
    mean += delta / n
    m2 += delta * (v - mean)
  }
  return { n, mean, variance: n > 1 ? m2 / (n - 1) : 0 }
}

/**
 * @example welchTTest({ n: 50, mean: 10, variance: 4 }, { n: 40, mean: 11, variance: 9 })
 */
export function welchTTest(control: SampleMoments, treatment: SampleMoments, confidence = 0.95): WelchTest {
  if (control.n < 2 || treatment.n < 2) throw new Error(`Welch's t-test needs at least two people per group (got ${control.n} and ${treatment.n})`)
  const v1 = control.variance / control.n
  const v2 = treatment.variance / treatment.n
  const se = Math.sqrt(v1 + v2)
  const difference = treatment.mean - control.mean
  const relativeLift = control.mean !== 0 ? difference / control.mean : null
  if (se === 0) {
    return { control, treatment, difference, differenceInterval: [difference, difference], relativeLift, t: 0, degreesOfFreedom: control.n + treatment.n - 2, pValue: difference === 0 ? 1 : 0 }
  }
  const df = (v1 + v2) ** 2 / (v1 ** 2 / (control.n - 1) + v2 ** 2 / (treatment.n - 1))
  const t = difference / se
  const tCrit = studentTQuantile(1 - (1 - confidence) / 2, df)
  return { control, treatment, difference, differenceInterval: [difference - tCrit * se, difference + tCrit * se], relativeLift, t, degreesOfFreedom: df, pValue: studentTTwoSidedP(t, df) }
}
