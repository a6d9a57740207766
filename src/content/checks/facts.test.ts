import { describe, expect, it } from 'vitest'
import { findContradictions } from './contradictions.ts'
import { extractFacts } from './facts.ts'

const facts = (text: string) => extractFacts([{ field: 'body', text }]).map((f) => [f.kind, f.value, f.text])

describe('extractFacts', () => {
  it.each([
    // one price, four ways of writing it
    ['¥199', [['price', 'CNY 199.00', '¥199']]],
    ['只要199元', [['price', 'CNY 199.00', '199元']]],
    ['RMB 199', [['price', 'CNY 199.00', 'RMB 199']]],
    ['到手价 199.00', [['price', 'CNY 199.00', '到手价 199.00']]],
    ['￥1,299', [['price', 'CNY 1299.00', '￥1,299']]],
    ['Now $49.90', [['price', 'USD 49.90', '$49.90']]],
    // one date, four ways
    ['11月11日开抢', [['date', '11-11', '11月11日']]],
    ['11.11 狂欢', [['date', '11-11', '11.11']]],
    ['双11', [['date', '11-11', '双11']]],
    ['2026-11-11 零点', [['date', '2026-11-11', '2026-11-11']]],
    ['Nov 11, 2026', [['date', '2026-11-11', 'Nov 11, 2026']]],
    // one discount, three ways, and a spend-and-save threshold
    ['全场5折', [['discount', 'pay 50%', '5折']]],
    ['50% off', [['discount', 'pay 50%', '50% off']]],
    ['半价', [['discount', 'pay 50%', '半价']]],
    ['8.5折', [['discount', 'pay 85%', '8.5折']]],
    ['满300减50', [['threshold', '满300减50', '满300减50']]],
    ['每满300元立减50元', [['threshold', '满300减50', '每满300元立减50元']]],
    // not facts: a count, a version, a bare amount that is a valid month.day is a date
    ['only 3 days left', []],
    ['5.20 表白日', [['date', '05-20', '5.20']]],
    ['9.90 包邮', [['price', 'CNY 9.90', '9.90']]],
  ])('%s', (text, expected) => {
    expect(facts(text)).toEqual(expected)
  })

  it('does not read the numbers of a threshold or a date as prices', () => {
    expect(facts('双11满300减50，到手价¥199')).toEqual([
      ['date', '11-11', '双11'],
      ['threshold', '满300减50', '满300减50'],
      ['price', 'CNY 199.00', '¥199'],
    ])
  })
})

describe('findContradictions', () => {
  const variant = (id: string, text: string) => {
    const texts = [{ field: 'body', text }]
    return { id, facts: extractFacts(texts), texts }
  }

  it('reports a price that differs between two variants, naming both variants and both values', () => {
    const items = findContradictions([variant('wechat', '双11到手价¥199，立即购买'), variant('sms', '11月11日仅需179元，立即购买')])
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      check: 'contradiction',
      code: 'contradiction.price',
      severity: 'block',
      data: { variantsA: ['wechat'], valuesA: ['CNY 199.00'], variantsB: ['sms'], valuesB: ['CNY 179.00'] },
    })
    expect(items[0]!.what).toContain('"wechat" says ¥199 (CNY 199.00)')
    expect(items[0]!.what).toContain('"sms" says 179元 (CNY 179.00)')
    expect(items[0]!.where.map((w) => [w.variantId, w.text])).toEqual([['wechat', '¥199'], ['sms', '179元']])
  })

  it.each([
    ['the same price written differently', '到手价¥199', 'RMB 199 only', 0],
    ['one variant giving fewer of the same values', '原价¥299，现价¥199', '现价199元', 0],
    ['a date with and without a year', '2026-11-11 开售', '11.11 开售', 0],
    ['the same discount as 折 and % off', '全场5折', '50% off everything', 0],
    ['different discounts', '全场5折', '30% off everything', 1],
    ['different thresholds', '满300减50', '满300减30', 1],
    ['different dates', '11月11日开售', '11月12日开售', 1],
  ])('%s: %d contradiction(s)', (_name, a, b, count) => {
    expect(findContradictions([variant('a', a), variant('b', b)])).toHaveLength(count)
  })

  it('warns rather than blocks on differing dates, since campaigns run in phases', () => {
    const [item] = findContradictions([variant('a', '10月20日预售'), variant('b', '11月11日开售')])
    expect(item?.severity).toBe('warn')
  })

  it('groups variants that agree, so one stray price is one finding', () => {
    const agreeing = Array.from({ length: 5 }, (_, i) => variant(`v${i}`, '到手价¥199'))
    const items = findContradictions([...agreeing, variant('stray', '到手价¥189')])
    expect(items).toHaveLength(1)
    expect(items[0]!.data).toMatchObject({ variantsA: ['v0', 'v1', 'v2', 'v3', 'v4'], variantsB: ['stray'] })
  })
})
