import { describe, expect, it } from 'vitest'
import { simulateDemo } from './generator.ts'
import { DemoTruth } from './truth.ts'

const OPTIONS = { people: 3000, days: 35, seed: 5, start: '2025-06-02' }
const { truth, spend } = simulateDemo(OPTIONS)

describe('truth', () => {
  it('matches its schema', () => {
    expect(DemoTruth.parse(truth)).toEqual(truth)
    expect(truth.channels.map((c) => c.channel)).toEqual(['wechat_official_account', 'douyin', 'xiaohongshu', 'weibo', 'baidu_search', 'sms', 'email'])
  })

  it('adds up: weeks to totals, venues to orders, actual minus no-marketing to the marketing effect', () => {
    expect(truth.weekly.reduce((a, w) => a + w.orders, 0)).toBe(truth.actual.orders)
    expect(truth.weekly.reduce((a, w) => a + w.revenueMinor, 0)).toBe(truth.actual.revenueMinor)
    expect(truth.weekly.reduce((a, w) => a + w.noMarketingOrders, 0)).toBe(truth.noMarketing.orders)
    expect(truth.venues.reduce((a, v) => a + v.orders, 0)).toBe(truth.actual.orders)
    expect(truth.marketing.incrementalOrders).toBe(truth.actual.orders - truth.noMarketing.orders)
    expect(truth.marketing.incrementalRevenueMinor).toBe(truth.actual.revenueMinor - truth.noMarketing.revenueMinor)
    for (const c of truth.channels) {
      expect(c.weekly.reduce((a, w) => a + w.incrementalOrders, 0)).toBe(c.incrementalOrders)
      expect(c.weekly.reduce((a, w) => a + w.spendMinor, 0)).toBe(c.spendMinor)
      expect(c.spendMinor).toBe(spend.filter((r) => r.channel === c.channel).reduce((a, r) => a + r.costMinor, 0))
    }
  })

  it('says marketing worked, and the big paid channels with it', () => {
    expect(truth.actual.orders).toBeGreaterThan(truth.noMarketing.orders)
    const byChannel = Object.fromEntries(truth.channels.map((c) => [c.channel, c]))
    expect(byChannel.douyin!.incrementalOrders).toBeGreaterThan(0)
    expect(byChannel.xiaohongshu!.incrementalOrders).toBeGreaterThan(0)
    expect(byChannel.douyin!.roas).toBeGreaterThan(0)
    expect(byChannel.sms!.roas).toBeNull()
    expect(byChannel.sms!.spendMinor).toBe(0)
  })

  it('equals an independent run with the channel switched off (common random numbers)', () => {
    for (const channel of ['douyin', 'sms'] as const) {
      const without = simulateDemo({ ...OPTIONS, without: [channel] }).truth
      const effect = truth.channels.find((c) => c.channel === channel)!
      expect(without.without).toEqual([channel])
      expect(without.actual.orders).toBe(truth.actual.orders - effect.incrementalOrders)
      expect(without.actual.revenueMinor).toBe(truth.actual.revenueMinor - effect.incrementalRevenueMinor)
      expect(without.channels.find((c) => c.channel === channel)!.incrementalOrders).toBe(0)
    }
    const none = simulateDemo({ ...OPTIONS, without: ['wechat_official_account', 'douyin', 'xiaohongshu', 'weibo', 'baidu_search', 'sms', 'email'] }).truth
    expect(none.actual.orders).toBe(truth.noMarketing.orders)
    expect(none.channels.every((c) => c.spendMinor === 0)).toBe(true)
  })
})
