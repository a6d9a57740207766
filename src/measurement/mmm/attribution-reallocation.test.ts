import { describe, expect, it } from 'vitest'
import { recommendFromAttribution } from './attribution-reallocation.ts'

const channels = [
  { channel: 'search', cost: 1000, attributedRevenue: 5000 },
  { channel: 'display', cost: 1000, attributedRevenue: 1500 },
]

describe('recommendFromAttribution', () => {
  it('is labelled as the simpler method with its assumptions', () => {
    const result = recommendFromAttribution({ channels })
    expect(result.method).toBe('attribution-roas-heuristic')
    expect(result.assumptions.join(' ')).toMatch(/not incrementality/)
    expect(result.assumptions.join(' ')).toMatch(/power 0.5/)
  })

  it('moves budget to the higher-ROAS channel up to the default 0.7×–1.3× limits', () => {
    const result = recommendFromAttribution({ channels })
    const [search, display] = result.channels
    expect(search!.recommendedSpend).toBeCloseTo(1300, 6)
    expect(display!.recommendedSpend).toBeCloseTo(700, 6)
    expect(result.expectedRevenue).toBeCloseTo(5000 * Math.sqrt(1.3) + 1500 * Math.sqrt(0.7), 6)
    expect(result.expectedUplift).toBeGreaterThan(0)
  })

  it('equalises marginal ROAS when the limits allow: spend ∝ (R / C^e)^(1/(1−e))', () => {
    const result = recommendFromAttribution({ channels, minRatio: 0, maxRatio: 10 })
    // e = 0.5: spend ∝ R² / C → 25,000 : 2,250 of a 2,000 budget.
    expect(result.channels[0]!.recommendedSpend).toBeCloseTo((2000 * 25000) / 27250, 4)
    expect(result.channels[1]!.recommendedSpend).toBeCloseTo((2000 * 2250) / 27250, 4)
    const marginal = result.channels.map((c) => (0.5 * c.attributedRevenue) / Math.sqrt(c.cost * c.recommendedSpend))
    expect(marginal[0]).toBeCloseTo(marginal[1] as number, 9)
  })

  it('leaves out channels without cost, and refuses when nothing has a cost', () => {
    const result = recommendFromAttribution({ channels: [...channels, { channel: 'email', cost: 0, attributedRevenue: 900 }] })
    expect(result.excluded).toEqual([{ channel: 'email', reason: 'no cost recorded, so its return cannot be scaled' }])
    expect(result.channels.map((c) => c.channel)).toEqual(['search', 'display'])
    expect(() => recommendFromAttribution({ channels: [{ channel: 'email', cost: 0, attributedRevenue: 1 }] })).toThrow(/no channel has a cost/)
  })

  it('explains a budget the limits cannot absorb', () => {
    expect(() => recommendFromAttribution({ channels, budget: 5000 })).toThrow(/above the sum of upper bounds.*0.7×–1.3×/)
  })
})
