import { describe, expect, it } from 'vitest'
import { CampaignPlan, Goal } from '../plan/schema.ts'
import { alertCandidates } from './alert-rules.ts'
import { goalProgress } from './pacing.ts'

const goal = (g: object) => Goal.parse({ id: 'g', statement: 's', ...g })

describe('goalProgress', () => {
  it('holds a cumulative KPI against a straight line to the target', () => {
    const p = goalProgress(goal({ metric: 'revenue', target: 1000 }), 450, { startsAt: 0, deadline: 100, now: 50, tolerance: 0.1 })
    expect(p).toMatchObject({ elapsed: 0.5, expectedByNow: 500, pace: 0.9, projected: 900, status: 'on-track', gap: -100, achieved: null })
    expect(goalProgress(goal({ metric: 'revenue', target: 1000 }), 440, { startsAt: 0, deadline: 100, now: 50, tolerance: 0.1 }).status).toBe('behind')
    expect(goalProgress(goal({ metric: 'revenue', target: 1000 }), 600, { startsAt: 0, deadline: 100, now: 50, tolerance: 0.1 }).status).toBe('ahead')
  })

  it('says done and achieved or not at the deadline, and holds ratios as they stand', () => {
    expect(goalProgress(goal({ metric: 'leads', target: 10 }), 9, { startsAt: 0, deadline: 100, now: 100, tolerance: 0.1 })).toMatchObject({ status: 'done', achieved: false, gap: -1 })
    const cac = goalProgress(goal({ metric: 'cac', target: 100 }), 120, { startsAt: 0, deadline: 100, now: 40, tolerance: 0.1 })
    expect(cac).toMatchObject({ status: 'behind', pace: 0.8333 })
    expect(goalProgress(goal({ metric: 'roi', target: 0.5 }), null, { startsAt: 0, deadline: 100, now: 40, tolerance: 0.1 })).toMatchObject({ status: 'unmeasurable', note: expect.stringContaining('spend') })
  })
})

describe('alertCandidates', () => {
  const plan = CampaignPlan.parse({
    strategy: {
      channelMix: [
        { channel: 'douyin', roles: { awareness: 'reach' }, cpaThresholdMinor: 5_000 },
        { channel: 'xiaohongshu', roles: { consideration: 'engage' } },
        { channel: 'weibo', roles: { awareness: 'reach' }, paused: true, cpaThresholdMinor: 1 },
      ],
      budget: { totalMinor: 300_000, lines: [{ channel: 'douyin', amountMinor: 200_000 }, { channel: 'xiaohongshu', amountMinor: 100_000 }] },
    },
  })
  const behind = goalProgress(goal({ id: 'rev', metric: 'revenue', target: 1000 }), 100, { startsAt: 0, deadline: 100, now: 50, tolerance: 0.1 })

  it('suggests pausing an expensive channel or moving half its line to the cheapest; paused channels stay quiet', () => {
    const alerts = alertCandidates({
      plan,
      progress: [behind],
      channels: [
        { channel: 'douyin', spendMinor: 30_000, conversions: 3, revenueMinor: 0 },
        { channel: 'xiaohongshu', spendMinor: 8_000, conversions: 4, revenueMinor: 0 },
        { channel: 'weibo', spendMinor: 9_000, conversions: 0, revenueMinor: 0 },
      ],
      elapsed: 0.5,
      currency: 'CNY',
    })
    expect(alerts.map((a) => `${a.kind}:${a.subject}`)).toEqual(['goal-behind-pace:rev', 'channel-cpa-high:douyin'])
    expect(alerts[0]!.actions).toEqual([expect.objectContaining({ kind: 'shift-budget', from: 'douyin', to: 'xiaohongshu', amountMinor: 40_000 })])
    expect(alerts[1]!.actions.map((a) => [a.kind, a.amountMinor])).toEqual([['pause-channel', undefined], ['shift-budget', 100_000]])
    expect(alerts[1]!.message).toBe('douyin costs ¥100.00 per conversion (¥300.00 for 3), above the ¥50.00 threshold')
  })

  it('uses planned spend to date when no spend is recorded, and raises nothing too early or after the end', () => {
    const noSpend = alertCandidates({ plan, progress: [behind], channels: [{ channel: 'douyin', spendMinor: null, conversions: 1, revenueMinor: 0 }, { channel: 'xiaohongshu', spendMinor: null, conversions: 2, revenueMinor: 0 }], elapsed: 0.5, currency: 'CNY' })
    expect(noSpend).toHaveLength(1)
    expect(noSpend[0]!.actions[0]!.description).toContain('planned spend to date per conversion ¥250.00')
    expect(alertCandidates({ plan, progress: [behind], channels: [], elapsed: 0.05, currency: 'CNY' })).toEqual([])
    expect(alertCandidates({ plan, progress: [behind], channels: [], elapsed: 1, currency: 'CNY' })).toEqual([])
  })
})
