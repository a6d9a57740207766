import { describe, expect, it } from 'vitest'
import { normalCdf, normalQuantile, twoProportionZTest } from './significance.ts'

describe('two-proportion z-test', () => {
  it('matches the textbook computation', () => {
    // 12% of 1,000 treated vs 8% of 1,000 held out: pooled p = 0.1, SE = 0.013416, z = 2.981.
    const t = twoProportionZTest({ conversions: 120, people: 1000 }, { conversions: 80, people: 1000 })
    expect(t.z).toBeCloseTo(2.9814, 3)
    expect(t.pValue).toBeCloseTo(0.00287, 4)
    expect(t.significant).toBe(true)
    expect(t.absoluteLift).toBeCloseTo(0.04, 10)
    expect(t.relativeLift).toBeCloseTo(0.5, 10)
    // Wald interval: 0.04 ± 1.96 * sqrt(.12*.88/1000 + .08*.92/1000) = 0.04 ± 0.02624.
    expect(t.interval.low).toBeCloseTo(0.01376, 4)
    expect(t.interval.high).toBeCloseTo(0.06624, 4)
  })

  it('does not call a small difference significant', () => {
    const t = twoProportionZTest({ conversions: 11, people: 100 }, { conversions: 9, people: 100 })
    expect(t.pValue!).toBeGreaterThan(0.5)
    expect(t.significant).toBe(false)
    expect(t.interval.low).toBeLessThan(0)
  })

  it('has nothing to test without variance or people', () => {
    expect(twoProportionZTest({ conversions: 0, people: 50 }, { conversions: 0, people: 50 })).toMatchObject({ z: null, pValue: null, significant: false })
    expect(twoProportionZTest({ conversions: 3, people: 10 }, { conversions: 0, people: 0 })).toMatchObject({ z: null, pValue: null, relativeLift: null })
  })

  it('uses an accurate normal distribution', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6)
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6)
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 6)
  })
})
