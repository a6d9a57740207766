import { describe, expect, it } from 'vitest'
import { BUCKETS, randomBucket } from './random-bucket.ts'

// Profile-shaped ids from a seeded generator: the test sees the same ids every run.
function ids(n: number): string[] {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'
  let state = 20261120
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state
  }
  return Array.from({ length: n }, (_, i) => {
    let tail = ''
    for (let k = 0; k < 16; k++) tail += alphabet[next() % 32]
    return `prf_01m7vz${String(i % 10_000).padStart(4, '0')}${tail}`
  })
}

describe('randomBucket', () => {
  const population = ids(20_000)

  it('is stable for a profile and seed', () => {
    expect(randomBucket(population[0]!, 'spring')).toBe(randomBucket(population[0]!, 'spring'))
    expect(randomBucket(population[0]!, 'spring')).toBeGreaterThanOrEqual(0)
    expect(randomBucket(population[0]!, 'spring')).toBeLessThan(BUCKETS)
  })

  it('spreads people evenly: each tenth of the buckets holds about a tenth of them', () => {
    const tenths = new Array<number>(10).fill(0)
    for (const id of population) tenths[Math.floor(randomBucket(id, 'spring') / (BUCKETS / 10))]!++
    // Expected 2,000 each; the binomial standard deviation is about 42.
    for (const count of tenths) expect(Math.abs(count - 2_000)).toBeLessThan(250)
  })

  it('splits independently for two seeds: 10% holdouts overlap on about 1% of people', () => {
    const inA = population.filter((id) => randomBucket(id, 'holdout-a') < 1_000)
    const both = inA.filter((id) => randomBucket(id, 'holdout-b') < 1_000)
    expect(Math.abs(inA.length - 2_000)).toBeLessThan(250)
    // Independent: 20,000 × 0.1 × 0.1 = 200 (standard deviation about 14).
    expect(both.length).toBeGreaterThan(120)
    expect(both.length).toBeLessThan(280)
  })
})
