import { describe, expect, it } from 'vitest'
import { validateGoal, type SmartContext } from './smart.ts'
import type { Goal } from './schema.ts'

const startsAt = Date.UTC(2026, 2, 31, 16) // 2026-04-01 00:00 Asia/Shanghai
const endsAt = Date.UTC(2026, 3, 30, 16) // 2026-05-01 00:00
const context = (history: number | null, channels?: string[]): SmartContext => ({
  campaign: { startsAt, endsAt, timezone: 'Asia/Shanghai', currency: 'CNY' },
  history: history === null ? null : { value: history, from: startsAt - (endsAt - startsAt), to: startsAt },
  ...(channels ? { channels } : {}),
})
const full: Goal = {
  id: 'revenue',
  statement: '四月全渠道销售额达到 ¥450,000',
  metric: 'revenue',
  target: 450_000_00,
  baseline: { kind: 'previous-period' },
  deadline: '2026-04-30',
  why: '新品上市第一个月站稳功能饮料品类',
}

describe('validateGoal (SMART)', () => {
  it('passes a goal with a metric, a number, a baseline, a plausible target, a reason and a deadline', () => {
    const result = validateGoal(full, context(400_000_00))
    expect(result.smart).toBe(true)
    expect(result.missing).toEqual([])
    expect(result.letters.A.status).toBe('ok')
    expect(result.letters.A.message).toContain('1.13×')
    expect(result.baseline).toEqual({ value: 400_000_00, source: 'log' })
    expect(result.plausibleLimit).toBe(600_000_00)
  })

  it('says S is missing when no metric is named', () => {
    const result = validateGoal({ ...full, metric: undefined }, context(400_000_00))
    expect(result.missing).toEqual(['S', 'A'])
    expect(result.letters.S.message).toContain('revenue')
  })

  it('says M is missing without a number, and without a baseline to measure it against', () => {
    expect(validateGoal({ ...full, target: undefined }, context(1)).missing).toEqual(['M', 'A'])
    const noBaseline = validateGoal({ ...full, baseline: undefined }, context(null))
    expect(noBaseline.missing).toEqual(['M'])
    expect(noBaseline.letters.M.message).toContain('baseline')
  })

  it('fails A when the target is more than the plausible growth over last period, and says by how much', () => {
    const result = validateGoal({ ...full, target: 900_000_00 }, context(400_000_00))
    expect(result.missing).toEqual(['A'])
    expect(result.letters.A.status).toBe('failed')
    expect(result.letters.A.message).toContain('2.25×')
    expect(result.letters.A.message).toContain('¥600,000.00')
  })

  it('accepts a bigger jump when the goal sets its own plausible growth', () => {
    expect(validateGoal({ ...full, target: 900_000_00, plausibleGrowth: 2.5 }, context(400_000_00)).smart).toBe(true)
  })

  it('holds a lower-is-better target (CAC) to at most a 30% cut', () => {
    const cac: Goal = { ...full, id: 'cac', metric: 'cac', target: 50_00 }
    expect(validateGoal(cac, context(100_00)).letters.A.status).toBe('failed')
    expect(validateGoal({ ...cac, target: 75_00 }, context(100_00)).letters.A.status).toBe('ok')
  })

  it('leaves A unverified, not failed, when there is no history (a launch)', () => {
    const result = validateGoal(full, context(0))
    expect(result.letters.A.status).toBe('unverified')
    expect(result.smart).toBe(true)
    const stated = validateGoal({ ...full, baseline: { kind: 'value', value: 200_000_00, note: '同类新品' } }, context(null))
    expect(stated.letters.A.status).toBe('failed')
    expect(stated.baseline).toEqual({ value: 200_000_00, source: 'stated' })
  })

  it('says R is missing without a reason, and invalid for a channel outside the mix', () => {
    expect(validateGoal({ ...full, why: '  ' }, context(400_000_00)).missing).toEqual(['R'])
    const scoped = validateGoal({ ...full, metric: 'traffic', target: 1000, channel: 'bilibili' }, context(800, ['douyin', 'weibo']))
    expect(scoped.missing).toEqual(['R'])
    expect(scoped.letters.R.message).toContain('bilibili')
  })

  it('says T is missing without a deadline, and invalid for one before the campaign starts or not a date', () => {
    expect(validateGoal({ ...full, deadline: undefined }, context(400_000_00)).missing).toEqual(['T'])
    expect(validateGoal({ ...full, deadline: '2026-03-01' }, context(400_000_00)).letters.T.status).toBe('invalid')
    expect(validateGoal({ ...full, deadline: 'next month' }, context(400_000_00)).letters.T.message).toContain('not a date')
  })

  it('names every missing letter of a bare wish', () => {
    expect(validateGoal({ id: 'wish', statement: '让更多人知道我们' }, context(null)).missing).toEqual(['S', 'M', 'A', 'R', 'T'])
  })
})
