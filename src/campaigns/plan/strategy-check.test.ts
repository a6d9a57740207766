import { describe, expect, it } from 'vitest'
import { checkStrategy } from './strategy-check.ts'
import { Insight, Strategy } from './schema.ts'

const mix = [
  { channel: 'douyin', roles: { awareness: 'reach' } },
  { channel: 'xiaohongshu', roles: { consideration: 'engage' } },
  { channel: 'tmall', roles: { decision: 'convert' } },
]

describe('checkStrategy', () => {
  it('accepts budget lines and a test budget that add up to the total', () => {
    const strategy = Strategy.parse({
      channelMix: mix,
      budget: { totalMinor: 100_000_00, lines: [{ channel: 'douyin', amountMinor: 50_000_00 }, { channel: 'xiaohongshu', amountMinor: 40_000_00 }], test: { amountMinor: 10_000_00, channels: ['bilibili'], hypothesis: 'B站能带来年轻用户' } },
    })
    expect(checkStrategy(strategy, Insight.parse({}), 'CNY')).toEqual([])
  })

  it('refuses lines that do not add up, naming the difference', () => {
    const short = Strategy.parse({ channelMix: mix, budget: { totalMinor: 100_000_00, lines: [{ channel: 'douyin', amountMinor: 60_000_00 }, { channel: 'xiaohongshu', amountMinor: 30_000_00 }] } })
    expect(checkStrategy(short, Insight.parse({}), 'CNY')).toEqual([
      { code: 'budget.does-not-add-up', message: 'budget lines come to ¥90,000.00: ¥10,000.00 short of the total ¥100,000.00', subjects: [] },
    ])
    const over = Strategy.parse({ channelMix: mix, budget: { totalMinor: 100_000_00, lines: [{ channel: 'douyin', amountMinor: 80_000_00 }], test: { amountMinor: 25_000_00, channels: ['bilibili'], hypothesis: 'x' } } })
    expect(checkStrategy(over, Insight.parse({}), 'CNY')[0]!.message).toBe(
      'budget lines come to ¥80,000.00 and the test budget to ¥25,000.00, together ¥105,000.00: ¥5,000.00 over the total ¥100,000.00',
    )
  })

  it('refuses lines for channels outside the mix, duplicate channels and a total above the resources', () => {
    const strategy = Strategy.parse({
      channelMix: [...mix, { channel: 'douyin', roles: { loyalty: 'serve' } }, { channel: 'weibo', roles: {} }],
      budget: { totalMinor: 200_000_00, lines: [{ channel: 'baidu_search', amountMinor: 200_000_00 }] },
    })
    const codes = checkStrategy(strategy, Insight.parse({ resources: { budgetMinor: 150_000_00 } }), 'CNY').map((p) => [p.code, p.subjects])
    expect(codes).toEqual([
      ['mix.duplicate-channel', ['douyin']],
      ['mix.no-role', ['weibo']],
      ['budget.channel-not-in-mix', ['baidu_search']],
      ['budget.over-resources', []],
    ])
  })
})
