import { describe, expect, it } from 'vitest'
import { Purpose, Rng, pickWeighted, poissonFromUniform, seedFromValue } from './prng.ts'

describe('Rng', () => {
  it('gives the same sequence for the same key', () => {
    const a = new Rng(seedFromValue(7), Purpose.core, 3, 4)
    const b = new Rng(seedFromValue(7), Purpose.core, 3, 4)
    const first = Array.from({ length: 50 }, () => a.nextUint32())
    expect(Array.from({ length: 50 }, () => b.nextUint32())).toEqual(first)
  })

  it('gives different sequences for different seeds, purposes and keys', () => {
    const draw = (seed: number, purpose: number, a: number, b: number) => new Rng(seed, purpose, a, b).nextUint32()
    const base = draw(1, Purpose.core, 0, 0)
    expect(draw(2, Purpose.core, 0, 0)).not.toBe(base)
    expect(draw(1, Purpose.emission, 0, 0)).not.toBe(base)
    expect(draw(1, Purpose.core, 1, 0)).not.toBe(base)
    expect(draw(1, Purpose.core, 0, 1)).not.toBe(base)
  })

  it('reseeding puts the generator back in the keyed state whatever was drawn before', () => {
    const rng = new Rng(5, Purpose.core, 9, 9)
    const expected = rng.next()
    for (let i = 0; i < 1000; i++) rng.next()
    rng.reseed(5, Purpose.core, 9, 9)
    expect(rng.next()).toBe(expected)
  })

  it('draws uniforms in [0, 1) with the mean and spread of a uniform', () => {
    const rng = new Rng(11)
    let sum = 0
    let sumSq = 0
    let min = 1
    let max = 0
    const n = 200_000
    for (let i = 0; i < n; i++) {
      const u = rng.next()
      sum += u
      sumSq += u * u
      min = Math.min(min, u)
      max = Math.max(max, u)
    }
    expect(min).toBeGreaterThanOrEqual(0)
    expect(max).toBeLessThan(1)
    expect(sum / n).toBeCloseTo(0.5, 2)
    expect(sumSq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2)
  })

  it('writes RFC 4122 version-4 UUIDs', () => {
    const rng = new Rng(3)
    for (let i = 0; i < 100; i++) expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})

describe('seedFromValue', () => {
  it('accepts strings and integers, and tells them apart', () => {
    expect(seedFromValue('launch')).toBe(seedFromValue('launch'))
    expect(seedFromValue('launch')).not.toBe(seedFromValue('launch2'))
    expect(seedFromValue(42)).not.toBe(seedFromValue(43))
    expect(seedFromValue(2 ** 40)).not.toBe(seedFromValue(0))
  })

  it('refuses seeds that are not safe integers', () => {
    expect(() => seedFromValue(1.5)).toThrow(/safe integer/)
  })
})

describe('pickWeighted', () => {
  it('picks in proportion to the weights', () => {
    const counts = [0, 0, 0]
    const rng = new Rng(8)
    for (let i = 0; i < 60_000; i++) counts[pickWeighted([1, 2, 3], rng.next())]!++
    expect(counts[0]! / 60_000).toBeCloseTo(1 / 6, 1)
    expect(counts[2]! / 60_000).toBeCloseTo(3 / 6, 1)
  })

  it('never picks a zero weight and refuses all-zero weights', () => {
    for (let u = 0; u < 1; u += 0.01) expect(pickWeighted([0, 1, 0], u)).toBe(1)
    expect(() => pickWeighted([0, 0], 0.5)).toThrow(/positive sum/)
  })
})

describe('poissonFromUniform', () => {
  it('has the Poisson mean for small rates', () => {
    const rng = new Rng(4)
    let sum = 0
    for (let i = 0; i < 100_000; i++) sum += poissonFromUniform(rng.next(), 0.3, 10)
    expect(sum / 100_000).toBeCloseTo(0.3, 1)
  })

  it('is monotone in the uniform, so worlds that share a uniform share the count', () => {
    let last = 0
    for (let u = 0; u < 1; u += 0.001) {
      const k = poissonFromUniform(u, 1.2)
      expect(k).toBeGreaterThanOrEqual(last)
      last = k
    }
    expect(poissonFromUniform(0.99, 0)).toBe(0)
  })
})
