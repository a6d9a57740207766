import { describe, expect, it } from 'vitest'
import { RandomSplitNode } from '../../definition/schema.ts'
import { pickBranch } from './random-split.ts'

describe('random split', () => {
  const node = RandomSplitNode.parse({ id: 'ab', type: 'random_split', branches: [{ key: 'a', percent: 45, next: 'x' }, { key: 'b', percent: 45, next: 'y' }, { key: 'holdout', percent: 10, holdout: true }] })

  it('sends runs to branches in their proportions', () => {
    const counts: Record<string, number> = { a: 0, b: 0, holdout: 0 }
    for (let i = 0; i < 20_000; i++) counts[pickBranch(`run_01k${i.toString(36).padStart(8, '0')}`, node).key]!++
    expect(counts.a! / 20_000).toBeCloseTo(0.45, 1)
    expect(counts.b! / 20_000).toBeCloseTo(0.45, 1)
    expect(Math.abs(counts.holdout! / 20_000 - 0.1)).toBeLessThan(0.01)
  })

  it('gives a run the same branch every time', () => {
    expect(pickBranch('run_x', node).key).toBe(pickBranch('run_x', node).key)
  })
})
