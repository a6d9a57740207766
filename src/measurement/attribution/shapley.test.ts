import { describe, expect, it } from 'vitest'
import { creditRecord } from './credits.ts'
import type { AggregatedPath } from './path.ts'
import { buildPathSet } from './path-set.ts'
import { orderedShapley, shapley } from './shapley.ts'

const row = (path: string, conversions: number, value = conversions * 10, nulls = 0): AggregatedPath => ({
  path: path.split('>').map((c) => c.trim()),
  conversions,
  value,
  nulls,
})
const pathsOf = (rows: AggregatedPath[]) => buildPathSet(rows).paths

describe('simplified Shapley value (Zhao et al. 2018)', () => {
  it('splits each converting channel set equally among its channels', () => {
    // {a}: 4 conversions → a 4; {a, b}: 6 conversions → a 3, b 3. So a = 7, b = 3.
    const credits = creditRecord(shapley(pathsOf([row('a', 4), row('a > b', 6)])))
    expect(credits).toEqual({ a: { conversions: 7, value: 70 }, b: { conversions: 3, value: 30 } })
  })

  it('counts a repeated channel once', () => {
    const credits = creditRecord(shapley(pathsOf([row('a > b > a > a', 6)])))
    expect(credits.a!.conversions).toBe(3)
    expect(credits.b!.conversions).toBe(3)
  })

  it('does not depend on the order of the touches', () => {
    const forward = creditRecord(shapley(pathsOf([row('a > b > c', 9), row('c > a', 2)])))
    const backward = creditRecord(shapley(pathsOf([row('c > b > a', 9), row('a > c', 2)])))
    expect(backward).toEqual(forward)
  })

  it('ignores paths without conversions', () => {
    const credits = creditRecord(shapley(pathsOf([row('a', 4), row('b', 0, 0, 100)])))
    expect(credits.b).toEqual({ conversions: 0, value: 0 })
  })
})

describe('ordered Shapley value', () => {
  it('credits each occurrence of a channel at its touch position', () => {
    // a > b > a, 6 conversions: a's share 3 splits over its two occurrences (touches 1 and 3),
    // b's share 3 sits at touch 2.
    const result = orderedShapley(pathsOf([row('a > b > a', 6)]))
    const a = result.channels.indexOf('a')
    const b = result.channels.indexOf('b')
    expect(result.positions).toBe(3)
    expect(Array.from(result.byPosition.conversions[a]!)).toEqual([1.5, 0, 1.5])
    expect(Array.from(result.byPosition.conversions[b]!)).toEqual([0, 3, 0])
    expect(Array.from(result.byPosition.value[a]!)).toEqual([15, 0, 15])
  })

  it('adds up over positions to the simplified Shapley value', () => {
    const paths = pathsOf([row('a', 4), row('a > b', 6), row('b > c > b > a', 5), row('c > a > c', 1.5)])
    const ordered = orderedShapley(paths)
    const simple = shapley(paths)
    for (let id = 0; id < paths.channels.length; id++) {
      expect(ordered.conversions[id]).toBeCloseTo(simple.conversions[id]!, 12)
      expect(ordered.value[id]).toBeCloseTo(simple.value[id]!, 12)
    }
  })

  it('credits early channels at early positions', () => {
    const result = orderedShapley(pathsOf([row('tv > search', 10)]))
    const tv = result.channels.indexOf('tv')
    const search = result.channels.indexOf('search')
    expect(Array.from(result.byPosition.conversions[tv]!)).toEqual([5, 0])
    expect(Array.from(result.byPosition.conversions[search]!)).toEqual([0, 5])
  })
})
