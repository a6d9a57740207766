import { describe, expect, it } from 'vitest'
import { searchUnitCube } from './hyperparameter-search.ts'

describe('searchUnitCube', () => {
  const objective = (p: Float64Array): number =>
    ((p[0] as number) - 0.3) ** 2 + ((p[1] as number) - 0.8) ** 2 + ((p[2] as number) - 0.05) ** 2

  it('finds the minimum of a smooth function inside the cube', () => {
    const result = searchUnitCube({ dimensions: 3, iterations: 1500, seed: 4, objective })
    expect(result.best[0]).toBeCloseTo(0.3, 2)
    expect(result.best[1]).toBeCloseTo(0.8, 2)
    expect(result.best[2]).toBeCloseTo(0.05, 2)
  })

  it('returns the same answer for the same seed and spends exactly the iteration budget', () => {
    let calls = 0
    const counted = (p: Float64Array): number => {
      calls++
      return objective(p)
    }
    const a = searchUnitCube({ dimensions: 3, iterations: 333, seed: 9, objective: counted })
    expect(calls).toBe(333)
    expect(a.evaluations).toBe(333)
    const b = searchUnitCube({ dimensions: 3, iterations: 333, seed: 9, objective })
    expect(Array.from(b.best)).toEqual(Array.from(a.best))
    const c = searchUnitCube({ dimensions: 3, iterations: 333, seed: 10, objective })
    expect(Array.from(c.best)).not.toEqual(Array.from(a.best))
  })

  it('never proposes a point outside the unit cube and survives non-finite scores', () => {
    const result = searchUnitCube({
      dimensions: 2,
      iterations: 400,
      seed: 1,
      objective: (p) => {
        for (const v of p) if (v < 0 || v > 1) throw new Error(`left the cube: ${v}`)
        return (p[0] as number) > 0.9 ? NaN : -(p[0] as number)
      },
    })
    expect(result.best[0]).toBeGreaterThan(0.85)
    expect(result.best[0]).toBeLessThanOrEqual(0.9)
  })
})
