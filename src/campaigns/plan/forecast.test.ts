import { describe, expect, it } from 'vitest'
import { forecastBudget } from './forecast.ts'
import { Budget, ChannelMixEntry } from './schema.ts'

const mix = ['douyin', 'xiaohongshu', 'weibo'].map((channel) => ChannelMixEntry.parse({ channel, roles: { awareness: 'reach' }, ...(channel === 'weibo' ? { assumedRoas: 2 } : {}) }))

describe('forecastBudget', () => {
  it('reads history channels off the square-root curve and states the assumptions of the others', () => {
    const budget = Budget.parse({
      totalMinor: 130_000,
      lines: [{ channel: 'douyin', amountMinor: 40_000 }, { channel: 'xiaohongshu', amountMinor: 40_000 }, { channel: 'weibo', amountMinor: 40_000 }],
      test: { amountMinor: 10_000, channels: ['bilibili'], hypothesis: 'young viewers' },
    })
    const forecast = forecastBudget({
      budget,
      mix,
      currency: 'CNY',
      history: [
        { channel: 'douyin', costMinor: 10_000, revenueMinor: 30_000 },
        { channel: 'xiaohongshu', costMinor: 10_000, revenueMinor: 50_000 },
      ],
    })
    // 4× the spend at elasticity 0.5 doubles the revenue: 30,000 → 60,000; 50,000 → 100,000.
    expect(forecast.channels.map((c) => [c.channel, c.basis, c.forecastRevenueMinor])).toEqual([
      ['douyin', 'history', 60_000],
      ['xiaohongshu', 'history', 100_000],
      ['weibo', 'assumed-roas', 80_000],
    ])
    expect(forecast.method).toBe('history-and-assumptions')
    expect(forecast.forecastRevenueMinor).toBe(240_000)
    expect(forecast.recommendation?.method).toBe('attribution-roas-heuristic')
    // Xiaohongshu returns more per yuan: the recommendation moves money towards it.
    const xhs = forecast.channels.find((c) => c.channel === 'xiaohongshu')!
    expect(xhs.recommendedMinor!).toBeGreaterThan(40_000)
    expect(forecast.assumptions.some((a) => a.includes('weibo') && a.includes('assumed ROAS 2'))).toBe(true)
    expect(forecast.assumptions.some((a) => a.startsWith('test budget ¥100.00 on bilibili: not forecast'))).toBe(true)
  })

  it('forecasts nothing for a channel with neither history nor an assumption, and says so', () => {
    const forecast = forecastBudget({ budget: Budget.parse({ totalMinor: 100, lines: [{ channel: 'douyin', amountMinor: 100 }] }), mix, currency: 'CNY', history: null })
    expect(forecast.method).toBe('none')
    expect(forecast.channels[0]!.forecastRevenueMinor).toBeNull()
    expect(forecast.recommendationNote).toContain('no channel has spend history')
  })
})
