import { describe, expect, it } from 'vitest'
import { IntKeyTable } from './int-key-table.ts'
import { DAY_MS, type AggregatedPath, type TouchPath } from './path.ts'
import { buildPathSet, PathSetBuilder } from './path-set.ts'

describe('buildPathSet', () => {
  it('interns channels once and lays paths out in columns', () => {
    const { paths, report } = buildPathSet([
      { path: ['email', 'search', 'email'], conversions: 2, value: 50, nulls: 1 },
      { path: ['search'], conversions: 0, value: 0, nulls: 4 },
    ])
    expect(report).toEqual({ accepted: 2, rejected: [] })
    expect(paths.channels).toEqual(['email', 'search'])
    expect(Array.from(paths.offsets)).toEqual([0, 3, 4])
    expect(Array.from(paths.touches)).toEqual([0, 1, 0, 1])
    expect(paths.ages).toBeNull()
  })

  it('reports refused paths by index and reason and keeps the rest', () => {
    const { paths, report } = buildPathSet([
      { path: [], conversions: 1, value: 0, nulls: 0 },
      { path: ['a', ''], conversions: 1, value: 0, nulls: 0 },
      { path: ['a'], conversions: -1, value: 0, nulls: 0 },
      { path: ['a'], conversions: 1, value: Number.NaN, nulls: 0 },
      { path: ['b'], conversions: 0, value: 9, nulls: 1 },
      { path: ['c'], conversions: 1.5, value: 3, nulls: 0 },
    ] as AggregatedPath[])
    expect(report.accepted).toBe(1)
    expect(report.rejected).toEqual([
      { index: 0, reason: 'the path has no channels' },
      { index: 1, reason: 'channel 2 of the path is empty' },
      { index: 2, reason: 'conversions must be a number ≥ 0 (got -1)' },
      { index: 3, reason: 'conversion value must be a number ≥ 0 (got NaN)' },
      { index: 4, reason: 'a path with conversion value must have conversions > 0' },
    ])
    // Channels of refused paths are not interned.
    expect(paths.channels).toEqual(['c'])
  })

  it('refuses an empty channel name even as the very first touch', () => {
    const { paths, report } = buildPathSet([{ path: [''], conversions: 1, value: 0, nulls: 0 }])
    expect(report.rejected).toEqual([{ index: 0, reason: 'channel 1 of the path is empty' }])
    expect(paths.size).toBe(0)
  })

  it('puts timestamped touches in time order and ages them from the conversion', () => {
    const path: TouchPath = {
      touches: [
        { channel: 'search', at: 5 * DAY_MS },
        { channel: 'wechat', at: 0 },
      ],
      convertedAt: 6 * DAY_MS,
      conversions: 1,
      value: 10,
      nulls: 0,
    }
    const { paths } = buildPathSet([path])
    expect(paths.touches.length).toBe(2)
    expect(paths.channels[paths.touches[0]!]).toBe('wechat')
    expect(Array.from(paths.ages!)).toEqual([6, 1])
  })

  it('refuses a touch after the conversion', () => {
    const { report } = buildPathSet([
      { touches: [{ channel: 'a', at: 2 * DAY_MS }], convertedAt: DAY_MS, conversions: 1, value: 0, nulls: 0 },
    ])
    expect(report.rejected).toEqual([{ index: 0, reason: 'a touch happens after the conversion' }])
  })

  it('gives aggregated paths one-day-apart ages once timestamped paths join them', () => {
    const builder = new PathSetBuilder()
    builder.add({ path: ['a', 'b', 'c'], conversions: 1, value: 0, nulls: 0 })
    builder.add({ touches: [{ channel: 'd', at: 0 }], conversions: 1, value: 0, nulls: 0 })
    builder.add({ path: ['e', 'f'], conversions: 1, value: 0, nulls: 0 })
    expect(Array.from(builder.build().ages!)).toEqual([2, 1, 0, 0, 1, 0])
  })

  it('keeps sets it already built intact while it goes on adding', () => {
    const builder = new PathSetBuilder({ paths: 1, touches: 1 })
    builder.add({ path: ['a', 'b'], conversions: 1, value: 5, nulls: 0 })
    const before = builder.build()
    for (let i = 0; i < 2000; i++) builder.add({ path: ['c'], conversions: 2, value: 1, nulls: 3 })
    builder.add({ touches: [{ channel: 'd', at: 0 }], conversions: 1, value: 0, nulls: 0 })
    expect(before.size).toBe(1)
    expect(Array.from(before.touches)).toEqual([0, 1])
    expect(Array.from(before.values)).toEqual([5])
    expect(before.channels).toEqual(['a', 'b'])
    expect(before.ages).toBeNull()
    expect(builder.build().size).toBe(2002)
  })

  it('grows past its initial sizes', () => {
    const builder = new PathSetBuilder({ paths: 1, touches: 1 })
    for (let i = 0; i < 3000; i++) builder.add({ path: ['a', `c${i % 7}`], conversions: 1, value: i, nulls: 0 })
    const paths = builder.build()
    expect(paths.size).toBe(3000)
    expect(paths.touches.length).toBe(6000)
    expect(paths.values[2999]).toBe(2999)
    expect(paths.channels).toHaveLength(8)
  })
})

describe('IntKeyTable', () => {
  it('stores small keys directly and large keys hashed', () => {
    const table = new IntKeyTable({ directLimit: 100 })
    table.set(5, 1)
    table.set(2 ** 40 + 5, 2)
    table.set(2 ** 52 + 1, 3)
    expect(table.get(5)).toBe(1)
    expect(table.get(2 ** 40 + 5)).toBe(2)
    expect(table.get(2 ** 52 + 1)).toBe(3)
    expect(table.get(6)).toBe(-1)
    expect(table.get(2 ** 40 + 6)).toBe(-1)
    expect(table.size).toBe(3)
  })

  it('keeps every entry through growth', () => {
    const table = new IntKeyTable({ directLimit: 1000 })
    for (let i = 0; i < 20_000; i++) table.set(i * 7919, i)
    const lost = Array.from({ length: 20_000 }, (_, i) => i).filter((i) => table.get(i * 7919) !== i)
    expect(lost).toEqual([])
    table.set(7919, 42)
    expect(table.get(7919)).toBe(42)
    expect(table.size).toBe(20_000)
  })
})
