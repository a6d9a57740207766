import { describe, expect, it } from 'vitest'
import { fitConstrainedRidge } from './constrained-ridge.ts'
import { createSeededRandom } from './seeded-random.ts'

function regressionData(n: number, seed: number): { x1: number[]; x2: number[]; y: number[] } {
  const random = createSeededRandom(seed)
  const x1: number[] = []
  const x2: number[] = []
  const y: number[] = []
  for (let i = 0; i < n; i++) {
    const a = random.normal()
    const b = 0.5 * a + random.normal()
    x1.push(a)
    x2.push(b)
    y.push(4 + 3 * a - 2 * b + 0.1 * random.normal())
  }
  return { x1, x2, y }
}

describe('fitConstrainedRidge', () => {
  it('equals ordinary least squares when λ = 0 and nothing is constrained', () => {
    const { x1, x2, y } = regressionData(300, 1)
    const fit = fitConstrainedRidge({ columns: [x1, x2], y, lambda: 0, nonNegative: [false, false] })
    // Normal equations for two centred regressors, solved directly.
    const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length
    const [m1, m2, my] = [mean(x1), mean(x2), mean(y)]
    let s11 = 0, s22 = 0, s12 = 0, s1y = 0, s2y = 0
    for (let i = 0; i < y.length; i++) {
      const a = (x1[i] as number) - m1
      const b = (x2[i] as number) - m2
      const c = (y[i] as number) - my
      s11 += a * a; s22 += b * b; s12 += a * b; s1y += a * c; s2y += b * c
    }
    const det = s11 * s22 - s12 * s12
    const b1 = (s22 * s1y - s12 * s2y) / det
    const b2 = (s11 * s2y - s12 * s1y) / det
    expect(fit.converged).toBe(true)
    expect(fit.coefficients[0]).toBeCloseTo(b1, 8)
    expect(fit.coefficients[1]).toBeCloseTo(b2, 8)
    expect(fit.intercept).toBeCloseTo(my - b1 * m1 - b2 * m2, 8)
  })

  it('holds a constrained coefficient at 0 when the data want it negative, and satisfies KKT', () => {
    const { x1, x2, y } = regressionData(300, 2)
    const fit = fitConstrainedRidge({ columns: [x1, x2], y, lambda: 0, nonNegative: [false, true] })
    expect(fit.coefficients[1]).toBe(0)
    // With x2 at 0 the other coefficient is the simple regression of y on x1.
    const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length
    const [m1, my] = [mean(x1), mean(y)]
    let sxy = 0, sxx = 0
    for (let i = 0; i < y.length; i++) {
      sxy += ((x1[i] as number) - m1) * ((y[i] as number) - my)
      sxx += ((x1[i] as number) - m1) ** 2
    }
    expect(fit.coefficients[0]).toBeCloseTo(sxy / sxx, 8)
    // KKT: the residual's correlation with x2 must push the coefficient below 0 (gradient ≥ 0).
    let gradient = 0
    for (let i = 0; i < y.length; i++) {
      const residual = (y[i] as number) - fit.intercept - (fit.coefficients[0] as number) * (x1[i] as number)
      gradient -= residual * (x2[i] as number)
    }
    expect(gradient).toBeGreaterThan(0)
  })

  it('shrinks coefficients toward 0 as λ grows', () => {
    const { x1, x2, y } = regressionData(200, 3)
    const sizes = [0, 0.1, 1, 10].map((lambda) => {
      const fit = fitConstrainedRidge({ columns: [x1, x2], y, lambda, nonNegative: [false, false] })
      return Math.hypot(fit.coefficients[0] as number, fit.coefficients[1] as number)
    })
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThan(sizes[i - 1] as number)
  })

  it('fits only the requested rows and gives constant columns a zero coefficient', () => {
    const fit = fitConstrainedRidge({
      columns: [[1, 2, 3, 4, 100], [7, 7, 7, 7, 0]],
      y: [3, 5, 7, 9, -50],
      rows: { from: 0, to: 4 },
      lambda: 0,
      nonNegative: [true, false],
    })
    expect(fit.coefficients[0]).toBeCloseTo(2, 9)
    expect(fit.coefficients[1]).toBe(0)
    expect(fit.intercept).toBeCloseTo(1, 9)
  })
})
