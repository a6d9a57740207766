import { describe, expect, it } from 'vitest'
import { lnGamma, regularizedBeta, regularizedGammaP } from './gamma-function.ts'
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions.ts'
import { hyp2f1 } from './hypergeometric.ts'
import { nelderMead } from './nelder-mead.ts'
import { rocAuc } from './auc.ts'
import { sampleMoments, twoProportionZTest, welchTTest } from './experiment-statistics.ts'

describe('special functions', () => {
  it('matches closed forms of the gamma and incomplete gamma/beta functions', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13)
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13)
    expect(lnGamma(0.1)).toBeCloseTo(2.252712651734206, 12)
    expect(regularizedGammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 14)
    // I_x(1, b) = 1 − (1 − x)^b and I_x(a, 1) = x^a.
    expect(regularizedBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 14)
    expect(regularizedBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 14)
  })

  it('gives textbook normal and t quantiles', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12)
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 14)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10)
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 10)
    // Student t tables: t_{0.975, 10} = 2.228139, t_{0.995, 3} = 5.840909; t with 1 df is Cauchy.
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 8)
    expect(studentTQuantile(0.995, 3)).toBeCloseTo(5.840909309733, 7)
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12)
  })

  it('sums the hypergeometric series to its closed forms', () => {
    // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z and ₂F₁(a, b; b; z) = (1 − z)^−a.
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 13)
    expect(hyp2f1(2.5, 3, 3, 0.9)).toBeCloseTo(0.1 ** -2.5, 8)
  })

  it('finds the Rosenbrock minimum with Nelder–Mead', () => {
    const rosenbrock = ([x, y]: number[]) => (1 - x!) ** 2 + 100 * (y! - x! ** 2) ** 2
    const result = nelderMead(rosenbrock, [-1.2, 1])
    expect(result.converged).toBe(true)
    expect(result.x[0]).toBeCloseTo(1, 4)
    expect(result.x[1]).toBeCloseTo(1, 4)
  })
})

describe('ROC AUC', () => {
  it('counts positive-above-negative pairs, ties as one half', () => {
    // Pairs (positive, negative): (0.9, 0.8) ✓, (0.9, 0.2) ✓, (0.3, 0.8) ✗, (0.3, 0.2) ✓ → 3/4.
    expect(rocAuc([0.9, 0.8, 0.3, 0.2], [1, 0, 1, 0])).toBe(0.75)
    // Positives {0.5, 0.7}, negatives {0.5, 0.1, 0.7}: pairs 0.5>0.5 ½, 0.5>0.1 1, 0.5>0.7 0,
    // 0.7>0.5 1, 0.7>0.1 1, 0.7>0.7 ½ → 4/6.
    expect(rocAuc([0.5, 0.7, 0.5, 0.1, 0.7], [1, 1, 0, 0, 0])).toBeCloseTo(4 / 6, 15)
    expect(rocAuc([1, 2, 3], [0, 0, 0])).toBeNaN()
  })
})

describe('experiment tests', () => {
  it('computes the two-proportion z-test by the textbook formulas', () => {
    // Control 200/1000, treatment 250/1000. Pooled p = 450/2000 = 0.225;
    // SE = √(0.225·0.775·(2/1000)) = 0.01867485; z = 0.05 / 0.01867485 = 2.677398; p = 2(1 − Φ(z)) = 0.0074196.
    const test = twoProportionZTest({ n: 1000, conversions: 200 }, { n: 1000, conversions: 250 })
    expect(test.difference).toBeCloseTo(0.05, 15)
    expect(test.z).toBeCloseTo(2.677398, 5)
    expect(test.pValue).toBeCloseTo(0.0074196, 6)
    // Unpooled SE = √(0.2·0.8/1000 + 0.25·0.75/1000) = 0.0186414; 95% CI = 0.05 ± 1.959964·SE.
    expect(test.differenceInterval[0]).toBeCloseTo(0.05 - 1.959964 * 0.0186414, 5)
    expect(test.differenceInterval[1]).toBeCloseTo(0.05 + 1.959964 * 0.0186414, 5)
    expect(test.relativeLift).toBeCloseTo(0.25, 12)
    // Katz: SE(ln RR) = √(0.75/250 + 0.8/200) = 0.0836660; ln RR = ln 1.25.
    expect(test.relativeLiftInterval![0]).toBeCloseTo(Math.exp(Math.log(1.25) - 1.959964 * 0.083666) - 1, 5)
  })

  it("computes Welch's t-test with Welch–Satterthwaite degrees of freedom", () => {
    const control = sampleMoments([1, 2, 3, 4, 5])
    const treatment = sampleMoments([2, 4, 6, 8, 10, 12])
    expect(control).toEqual({ n: 5, mean: 3, variance: 2.5 })
    expect(treatment.variance).toBeCloseTo(14, 12)
    // SE² = 2.5/5 + 14/6 = 2.833333; t = 4/√2.833333 = 2.376354;
    // df = 2.833333² / (0.5²/4 + 2.333333²/5) = 8.027778/1.151389 = 6.972256.
    const test = welchTTest(control, treatment)
    expect(test.t).toBeCloseTo(2.376354, 5)
    expect(test.degreesOfFreedom).toBeCloseTo(6.972256, 5)
    // Two-sided p from t(6.97): between t_{0.95}(7) = 1.895 and t_{0.975}(7) = 2.365 → p slightly under 0.05.
    expect(test.pValue).toBeGreaterThan(0.045)
    expect(test.pValue).toBeLessThan(0.05)
    expect(studentTCdf(test.t, test.degreesOfFreedom)).toBeCloseTo(1 - test.pValue / 2, 12)
  })

  it('refuses groups that cannot be tested', () => {
    expect(() => twoProportionZTest({ n: 0, conversions: 0 }, { n: 10, conversions: 1 })).toThrow(/n > 0/)
    expect(() => welchTTest(sampleMoments([1]), sampleMoments([1, 2]))).toThrow(/at least two/)
  })
})
