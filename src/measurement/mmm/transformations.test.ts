import { describe, expect, it } from 'vitest'
import { adstockWeights, applyAdstock, carryoverMultiplier } from './adstock.ts'
import { hill, hillDerivative, hillInflexionPoint, robynHalfSaturation, saturateSeries } from './saturation.ts'

// Expected Weibull values were computed independently with SciPy's weibull_min, using R's
// type-7 quantile and half-to-even rounding for the scale index as Robyn's adstock_weibull does.
const close = (actual: ArrayLike<number>, expected: number[], digits = 7): void => {
  expect(actual.length).toBe(expected.length)
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits))
}

describe('geometric adstock', () => {
  it('reproduces Robyn’s documented example adstock_geometric(rep(100, 5), 0.5)', () => {
    close(applyAdstock([100, 100, 100, 100, 100], { type: 'geometric', theta: 0.5 }), [100, 150, 175, 187.5, 193.75])
  })

  it('carries an impulse forward at rate θ and leaves θ = 0 unchanged', () => {
    close(applyAdstock([0, 80, 0, 0], { type: 'geometric', theta: 0.25 }), [0, 80, 20, 5])
    close(applyAdstock([3, 1, 4], { type: 'geometric', theta: 0 }), [3, 1, 4])
  })

  it('cuts lags at the window when the window is shorter than the series', () => {
    close(applyAdstock([100, 0, 0, 0], { type: 'geometric', theta: 0.5 }, 2), [100, 50, 0, 0])
  })

  it('has a steady-state multiplier of Σθ^k ≈ 1 / (1 − θ)', () => {
    expect(carryoverMultiplier({ type: 'geometric', theta: 0.6 }, 200)).toBeCloseTo(2.5, 9)
  })
})

describe('Weibull adstock', () => {
  it('CDF weights decay from 1 at the immediate period (shape 0.5, scale 0.5, window 5)', () => {
    const spec = { type: 'weibull_cdf', shape: 0.5, scale: 0.5 } as const
    close(adstockWeights(spec, 5), [1, 0.5613839138, 0.2481189898, 0.0912778753, 0.0287663957])
    close(applyAdstock([100, 100, 100, 100, 100], spec), [100, 156.13839138, 180.95029036, 190.0780779, 192.95471747], 6)
  })

  it('PDF weights are the min–max normalised density (shape 0.5, scale 0.5, window 5)', () => {
    const spec = { type: 'weibull_pdf', shape: 0.5, scale: 0.5 } as const
    close(adstockWeights(spec, 5), [1, 0.4323496873, 0.2039519277, 0.0789082113, 0])
    close(applyAdstock([100, 100, 100, 100, 100], spec), [100, 143.23496873, 163.6301615, 171.52098264, 171.52098264], 6)
  })

  it('PDF with shape > 2 peaks after the spend: a lagged effect', () => {
    const spec = { type: 'weibull_pdf', shape: 2.5, scale: 0.3 } as const
    const series = [0, 0, 100, 0, 0, 0, 50, 0, 0, 0]
    close(applyAdstock(series, spec), [0, 0, 30.32520429, 74.22933856, 100, 92.18428641, 76.18840139, 66.34274894, 60.04857126, 48.51890895], 6)
  })

  it('turns off with shape 0 or scale 0, as Robyn does', () => {
    close(applyAdstock([5, 6, 7], { type: 'weibull_cdf', shape: 0, scale: 0.1 }), [5, 6, 7])
    close(applyAdstock([5, 6, 7], { type: 'weibull_pdf', shape: 2, scale: 0 }), [5, 6, 7])
  })

  it('rejects a window that is not a positive integer', () => {
    expect(() => adstockWeights({ type: 'geometric', theta: 0.5 }, 0)).toThrow(/positive integer/)
  })
})

describe('Hill saturation', () => {
  it('matches Robyn’s example saturation_hill(c(100,150,170,190,200), alpha = 3, gamma = 0.5)', () => {
    const x = [100, 150, 170, 190, 200]
    const k = robynHalfSaturation(x, 0.5)
    expect(k).toBe(150)
    close(saturateSeries(x, 3, k), [0.2285714286, 0.5, 0.592784749, 0.670216924, 0.7032967033])
  })

  it('is 0 at no media and ½ at the half-saturation point', () => {
    expect(hill(0, 0.7, 10)).toBe(0)
    expect(hill(10, 0.7, 10)).toBeCloseTo(0.5, 12)
  })

  it('has a derivative that matches finite differences', () => {
    for (const [x, alpha, k] of [[3, 0.6, 10], [12, 2.5, 10], [40, 1, 7]] as const) {
      const h = 1e-5 * x
      const numeric = (hill(x + h, alpha, k) - hill(x - h, alpha, k)) / (2 * h)
      expect(hillDerivative(x, alpha, k)).toBeCloseTo(numeric, 8)
    }
    expect(hillDerivative(0, 0.5, 1)).toBe(Infinity)
    expect(hillDerivative(0, 2, 1)).toBe(0)
  })

  it('places the S-curve inflexion where marginal returns peak', () => {
    const alpha = 3
    const k = 100
    const x = hillInflexionPoint(alpha, k)
    expect(hillDerivative(x, alpha, k)).toBeGreaterThan(hillDerivative(x * 0.95, alpha, k))
    expect(hillDerivative(x, alpha, k)).toBeGreaterThan(hillDerivative(x * 1.05, alpha, k))
    expect(hillInflexionPoint(0.9, k)).toBe(0)
  })
})
