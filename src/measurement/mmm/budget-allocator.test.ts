import { describe, expect, it } from 'vitest'
import { allocateBudget } from './budget-allocator.ts'
import { parseBoundSpecs, resolveSpendBounds } from './budget-bounds.ts'
import type { ResponseCurve } from './response-curve.ts'
import { hill, hillDerivative, hillInflexionPoint } from './saturation.ts'

/** a·ln(1 + x/b): concave, marginal a/(b + x), so the optimum is x_i = a_i/λ − b_i in closed form. */
const logCurve = (channel: string, a: number, b: number): ResponseCurve => ({
  channel,
  response: (x) => a * Math.log1p(x / b),
  marginal: (x) => a / (b + x),
  concaveFrom: 0,
})

const hillCurve = (channel: string, beta: number, alpha: number, k: number): ResponseCurve => ({
  channel,
  response: (x) => beta * hill(x, alpha, k),
  marginal: (x) => beta * hillDerivative(x, alpha, k),
  concaveFrom: hillInflexionPoint(alpha, k),
})

const curves = [logCurve('a', 100, 10), logCurve('b', 200, 20), logCurve('c', 300, 30)]
const wide = [0, 0, 0].map(() => ({ lower: 0, upper: 10_000 }))

describe('allocateBudget on concave curves', () => {
  it('matches the closed-form optimum and equalises marginal returns', () => {
    // λ = Σa / (B + Σb) = 600 / 660, so x = a/λ − b = 100, 200, 300.
    const outcome = allocateBudget({ curves, bounds: wide, budget: 600 })
    if (outcome.kind !== 'allocated') throw new Error(outcome.message)
    expect(outcome.method).toBe('lagrangian-bisection')
    outcome.channels.forEach((c, i) => expect(c.spend).toBeCloseTo([100, 200, 300][i] as number, 6))
    for (const c of outcome.channels) {
      expect(c.atBound).toBeNull()
      expect(c.marginal).toBeCloseTo(600 / 660, 9)
    }
    expect(outcome.lagrangeMultiplier).toBeCloseTo(600 / 660, 9)
    expect(outcome.channels.reduce((s, c) => s + c.spend, 0)).toBeCloseTo(600, 8)
  })

  it('beats every other split of the budget on a fine grid', () => {
    const outcome = allocateBudget({ curves, bounds: wide, budget: 600 })
    if (outcome.kind !== 'allocated') throw new Error(outcome.message)
    let bestGrid = -Infinity
    for (let x = 0; x <= 600; x += 10) {
      for (let y = 0; x + y <= 600; y += 10) {
        const total = curves[0]!.response(x) + curves[1]!.response(y) + curves[2]!.response(600 - x - y)
        bestGrid = Math.max(bestGrid, total)
      }
    }
    expect(outcome.totalResponse).toBeGreaterThanOrEqual(bestGrid - 1e-9)
  })

  it('respects an upper bound and re-solves the rest (KKT: the capped channel has the higher marginal)', () => {
    const bounds = [...wide.slice(0, 2), { lower: 0, upper: 250 }]
    const outcome = allocateBudget({ curves, bounds, budget: 600 })
    if (outcome.kind !== 'allocated') throw new Error(outcome.message)
    const [a, b, c] = outcome.channels
    expect(c!.spend).toBeCloseTo(250, 9)
    expect(c!.atBound).toBe('upper')
    // Remaining 350 over a and b: λ = 300 / 380.
    expect(a!.spend).toBeCloseTo(100 / (300 / 380) - 10, 6)
    expect(b!.spend).toBeCloseTo(200 / (300 / 380) - 20, 6)
    expect(a!.marginal).toBeCloseTo(b!.marginal, 9)
    expect(c!.marginal).toBeGreaterThan(a!.marginal)
  })

  it('respects a lower bound (KKT: the floored channel has the lower marginal)', () => {
    const bounds = [{ lower: 150, upper: 10_000 }, ...wide.slice(1)]
    const outcome = allocateBudget({ curves, bounds, budget: 600 })
    if (outcome.kind !== 'allocated') throw new Error(outcome.message)
    const [a, b, c] = outcome.channels
    expect(a!.spend).toBeCloseTo(150, 9)
    expect(a!.atBound).toBe('lower')
    // Remaining 450 over b and c: λ = 500 / 500 = 1, so b = 180 and c = 270.
    expect(b!.spend).toBeCloseTo(180, 6)
    expect(c!.spend).toBeCloseTo(270, 6)
    expect(a!.marginal).toBeLessThan(b!.marginal)
  })

  it('handles curves with a vertical start (Hill α < 1) and equalises their marginals', () => {
    const hills = [hillCurve('x', 500, 0.6, 300), hillCurve('y', 300, 0.8, 100), hillCurve('z', 800, 0.5, 1000)]
    const outcome = allocateBudget({ curves: hills, bounds: wide, budget: 900 })
    if (outcome.kind !== 'allocated') throw new Error(outcome.message)
    expect(outcome.channels.reduce((s, c) => s + c.spend, 0)).toBeCloseTo(900, 6)
    const m = outcome.channels.map((c) => c.marginal)
    for (const v of m) expect(v / (m[0] as number)).toBeCloseTo(1, 6)
  })

  it('refuses a budget outside what the bounds allow, saying which side', () => {
    const tight = [0, 0, 0].map(() => ({ lower: 100, upper: 200 }))
    const low = allocateBudget({ curves, bounds: tight, budget: 250 })
    expect(low.kind).toBe('InfeasibleBudget')
    if (low.kind === 'InfeasibleBudget') expect(low.message).toMatch(/below the sum of lower bounds \(300\)/)
    const high = allocateBudget({ curves, bounds: tight, budget: 700 })
    if (high.kind === 'InfeasibleBudget') expect(high.message).toMatch(/above the sum of upper bounds \(600\)/)
    else throw new Error('expected an infeasible budget')
  })

  it('spends the whole budget even when part of it can only go to a channel with no effect', () => {
    const flat: ResponseCurve = { channel: 'flat', response: () => 0, marginal: () => 0, concaveFrom: 0 }
    const outcome = allocateBudget({
      curves: [curves[0]!, flat],
      bounds: [{ lower: 0, upper: 100 }, { lower: 0, upper: 500 }],
      budget: 300,
    })
    if (outcome.kind !== 'allocated') throw new Error(outcome.message)
    expect(outcome.channels.map((c) => c.spend)).toEqual([100, 200])
  })

  it('puts everything at the bounds when the budget equals their sum', () => {
    const tight = [0, 0, 0].map(() => ({ lower: 100, upper: 200 }))
    const outcome = allocateBudget({ curves, bounds: tight, budget: 600 })
    if (outcome.kind !== 'allocated') throw new Error(outcome.message)
    expect(outcome.channels.map((c) => c.spend)).toEqual([200, 200, 200])
  })
})

describe('allocateBudget on S-shaped curves', () => {
  it('does not split evenly where concentrating pays more, and is within 0.1 % of a grid search', () => {
    const s = [hillCurve('p', 100, 3, 100), hillCurve('q', 100, 3, 100)]
    const outcome = allocateBudget({ curves: s, bounds: [{ lower: 0, upper: 300 }, { lower: 0, upper: 300 }], budget: 150 })
    if (outcome.kind !== 'allocated') throw new Error(outcome.message)
    expect(outcome.method).toBe('grid-dynamic-programming')
    let bestGrid = -Infinity
    for (let x = 0; x <= 150; x += 0.5) bestGrid = Math.max(bestGrid, s[0]!.response(x) + s[1]!.response(150 - x))
    const even = 2 * s[0]!.response(75)
    expect(outcome.totalResponse).toBeGreaterThan(even * 1.2)
    expect(outcome.totalResponse).toBeGreaterThanOrEqual(bestGrid * 0.999)
    expect(outcome.channels.reduce((t, c) => t + c.spend, 0)).toBeCloseTo(150, 6)
  })
})

describe('allocateBudget on a mix of concave and S-shaped curves', () => {
  it('finds the best split of a grid search over all splits, within bounds', () => {
    const mixed = [hillCurve('c', 120, 0.7, 200), hillCurve('s1', 300, 2.5, 400), hillCurve('s2', 150, 4, 150)]
    const bounds = [{ lower: 20, upper: 600 }, { lower: 0, upper: 700 }, { lower: 0, upper: 250 }]
    for (const budget of [100, 400, 900]) {
      const outcome = allocateBudget({ curves: mixed, bounds, budget })
      if (outcome.kind !== 'allocated') throw new Error(outcome.message)
      let bestGrid = -Infinity
      for (let x = 20; x <= 600; x += 2) {
        for (let y = 0; y <= 700 && x + y <= budget; y += 2) {
          const z = budget - x - y
          if (z > 250) continue
          bestGrid = Math.max(bestGrid, mixed[0]!.response(x) + mixed[1]!.response(y) + mixed[2]!.response(z))
        }
      }
      expect(outcome.totalResponse).toBeGreaterThanOrEqual(bestGrid * 0.999)
      outcome.channels.forEach((c, i) => {
        expect(c.spend).toBeGreaterThanOrEqual(bounds[i]!.lower - 1e-9)
        expect(c.spend).toBeLessThanOrEqual(bounds[i]!.upper + 1e-9)
      })
      expect(outcome.channels.reduce((t, c) => t + c.spend, 0)).toBeCloseTo(budget, 6)
    }
  })
})

describe('spend bounds', () => {
  it('parses channel:min:max with multiples and absolute amounts', () => {
    expect(parseBoundSpecs('tv:0.5x:1.5x, search:1000:,print::2x')).toEqual([
      { channel: 'tv', minRatio: 0.5, maxRatio: 1.5 },
      { channel: 'search', min: 1000 },
      { channel: 'print', maxRatio: 2 },
    ])
    expect(() => parseBoundSpecs('tv:abc:1')).toThrow(/not an amount/)
    expect(() => parseBoundSpecs('tv:1')).toThrow(/channel:min:max/)
  })

  it('resolves defaults of 0.5×–2× current spend and rejects unknown channels or crossed bounds', () => {
    expect(resolveSpendBounds([{ channel: 'tv', max: 120 }], { tv: 100, search: 40 })).toEqual({
      tv: { lower: 50, upper: 120 },
      search: { lower: 20, upper: 80 },
    })
    expect(() => resolveSpendBounds([{ channel: 'radio', max: 1 }], { tv: 100 })).toThrow(/unknown channel 'radio'/)
    expect(() => resolveSpendBounds([{ channel: 'tv', min: 500 }], { tv: 100 })).toThrow(/cross/)
  })
})
