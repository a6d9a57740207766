import { describe, expect, it } from 'vitest'
import { creditRecord, type ChannelCredits } from './credits.ts'
import type { AggregatedPath, TouchPath } from './path.ts'
import { buildPathSet } from './path-set.ts'
import { firstTouch, lastNonDirect, lastTouch, linear, positionBased } from './rule-models.ts'
import { timeDecay } from './time-decay.ts'

const pathsOf = (rows: (AggregatedPath | TouchPath)[]) => {
  const { paths, report } = buildPathSet(rows)
  expect(report.rejected).toEqual([])
  return paths
}
const row = (path: string, conversions: number, value = conversions * 10, nulls = 0): AggregatedPath => ({
  path: path.split('>').map((c) => c.trim()),
  conversions,
  value,
  nulls,
})
/** Conversions per channel, zero-credit channels left out. */
const conversionsOf = (credits: ChannelCredits) =>
  Object.fromEntries(
    Object.entries(creditRecord(credits))
      .filter(([, c]) => c.conversions !== 0)
      .map(([name, c]) => [name, c.conversions]),
  )

describe('first and last touch', () => {
  const paths = pathsOf([row('a > b > c', 3), row('b', 2), row('c > a', 0, 0, 9)])

  it('credits the whole path to its first touch', () => {
    expect(conversionsOf(firstTouch(paths))).toEqual({ a: 3, b: 2 })
    expect(creditRecord(firstTouch(paths)).a).toEqual({ conversions: 3, value: 30 })
  })

  it('credits the whole path to its last touch', () => {
    expect(conversionsOf(lastTouch(paths))).toEqual({ c: 3, b: 2 })
  })

  it('gives paths without conversions nothing to credit', () => {
    expect(creditRecord(lastTouch(paths)).a).toEqual({ conversions: 0, value: 0 })
  })
})

describe('last non-direct touch', () => {
  it('skips direct visits after a marketing touch', () => {
    const paths = pathsOf([row('email > direct', 2), row('search > direct > direct', 1)])
    expect(conversionsOf(lastNonDirect(paths))).toEqual({ email: 2, search: 1 })
  })

  it('credits direct when the path is direct only', () => {
    const paths = pathsOf([row('direct > direct', 4), row('direct', 1)])
    expect(conversionsOf(lastNonDirect(paths))).toEqual({ direct: 5 })
  })

  it('takes the last non-direct touch, not the first', () => {
    const paths = pathsOf([row('email > direct > search > direct', 1)])
    expect(conversionsOf(lastNonDirect(paths))).toEqual({ search: 1 })
  })

  it('uses the configured names of direct traffic', () => {
    const paths = pathsOf([row('email > (none) > direct', 1)])
    expect(conversionsOf(lastNonDirect(paths, { directChannels: ['(none)', 'direct'] }))).toEqual({ email: 1 })
    expect(conversionsOf(lastNonDirect(paths, { directChannels: ['(none)'] }))).toEqual({ direct: 1 })
  })
})

describe('linear', () => {
  it('gives every touch an equal share', () => {
    const paths = pathsOf([row('a > b > c > d', 8)])
    expect(conversionsOf(linear(paths))).toEqual({ a: 2, b: 2, c: 2, d: 2 })
  })

  it('gives a channel touched twice two shares', () => {
    const paths = pathsOf([row('a > b > a', 3, 90)])
    expect(creditRecord(linear(paths))).toEqual({ a: { conversions: 2, value: 60 }, b: { conversions: 1, value: 30 } })
  })
})

describe('position-based', () => {
  it('gives a single touch everything', () => {
    expect(conversionsOf(positionBased(pathsOf([row('a', 5)])))).toEqual({ a: 5 })
  })

  it('splits two touches 50/50', () => {
    expect(conversionsOf(positionBased(pathsOf([row('a > b', 5)])))).toEqual({ a: 2.5, b: 2.5 })
  })

  it('gives 40 % to the first, 40 % to the last and spreads 20 % over the middle', () => {
    const credits = conversionsOf(positionBased(pathsOf([row('a > b > c > d', 10)])))
    expect(credits.a).toBeCloseTo(4, 12)
    expect(credits.b).toBeCloseTo(1, 12)
    expect(credits.c).toBeCloseTo(1, 12)
    expect(credits.d).toBeCloseTo(4, 12)
  })

  it('gives the middle 20 % to a three-touch path’s one middle touch', () => {
    const credits = conversionsOf(positionBased(pathsOf([row('a > b > a', 10)])))
    expect(credits.a).toBeCloseTo(8, 12)
    expect(credits.b).toBeCloseTo(2, 12)
  })

  it('refuses shares that add up to more than everything', () => {
    expect(() => positionBased(pathsOf([row('a', 1)]), { firstShare: 0.7, lastShare: 0.5 })).toThrow(/at most 1/)
  })
})

describe('time decay', () => {
  it('treats aggregated touches as one day apart counting back from the conversion', () => {
    // Half-life 1 day: ages 2, 1, 0 days weigh 1/4, 1/2, 1 → shares 1/7, 2/7, 4/7 of 7 conversions.
    const credits = conversionsOf(timeDecay(pathsOf([row('a > b > c', 7)]), { halfLifeDays: 1 }))
    expect(credits.a).toBeCloseTo(1, 12)
    expect(credits.b).toBeCloseTo(2, 12)
    expect(credits.c).toBeCloseTo(4, 12)
  })

  it('halves a touch’s weight every 7 days by default', () => {
    // Touches 14 and 0 days before the conversion weigh 1/4 and 1 → shares 1/5 and 4/5.
    const day = 86_400_000
    const paths = pathsOf([
      {
        touches: [{ channel: 'wechat', at: 0 }, { channel: 'search', at: 14 * day }],
        convertedAt: 14 * day,
        conversions: 5,
        value: 500,
        nulls: 0,
      },
    ])
    const credits = creditRecord(timeDecay(paths))
    expect(credits.wechat!.conversions).toBeCloseTo(1, 12)
    expect(credits.search!.conversions).toBeCloseTo(4, 12)
    expect(credits.search!.value).toBeCloseTo(400, 10)
  })

  it('measures age from the conversion time, not from the last touch', () => {
    // Conversion 7 days after the last touch: ages 14 and 7 still weigh 1 : 2.
    const day = 86_400_000
    const paths = pathsOf([
      {
        touches: [{ channel: 'a', at: 0 }, { channel: 'b', at: 7 * day }],
        convertedAt: 14 * day,
        conversions: 3,
        value: 0,
        nulls: 0,
      },
    ])
    const credits = conversionsOf(timeDecay(paths))
    expect(credits.a).toBeCloseTo(1, 12)
    expect(credits.b).toBeCloseTo(2, 12)
  })

  it('keeps its shares when every touch is years old', () => {
    const day = 86_400_000
    const paths = pathsOf([
      {
        touches: [{ channel: 'a', at: 0 }, { channel: 'b', at: 7 * day }],
        convertedAt: 7 * day + 3000 * day,
        conversions: 3,
        value: 0,
        nulls: 0,
      },
    ])
    const credits = conversionsOf(timeDecay(paths))
    expect(credits.a).toBeCloseTo(1, 10)
    expect(credits.b).toBeCloseTo(2, 10)
  })

  it('refuses a half-life that is not a positive number of days', () => {
    expect(() => timeDecay(pathsOf([row('a', 1)]), { halfLifeDays: 0 })).toThrow(/half-life/)
  })
})

describe('every rule model', () => {
  it('splits exactly the conversions and value there are', () => {
    const paths = pathsOf([
      row('a > b > c > b > a', 3, 31.5, 4),
      row('direct', 1, 2.25),
      row('c > direct', 2.5, 7),
      row('b > a', 0, 0, 11),
    ])
    const models = [firstTouch, lastTouch, lastNonDirect, linear, positionBased, timeDecay]
    for (const model of models) {
      const credits = model(paths)
      expect(credits.conversions.reduce((a, b) => a + b, 0)).toBeCloseTo(6.5, 12)
      expect(credits.value.reduce((a, b) => a + b, 0)).toBeCloseTo(40.75, 12)
    }
  })
})
