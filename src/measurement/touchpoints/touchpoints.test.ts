import { describe, expect, it } from 'vitest'
import { ChannelClassifier } from '../grouping/classify.ts'
import { defaultChannelRules } from '../grouping/default-rules.ts'
import { DAY_MS } from '../attribution/index.ts'
import { clickIdsOf, isNavigationInsideVisit, sameSite, urlHost } from './landing-url.ts'
import { eventRowOf } from './payload-row.ts'
import { touchOf, type Touch } from './touch-extract.ts'
import { splitJourneys } from './journeys.ts'

describe('landing URLs', () => {
  it('reads hosts of absolute http(s) URLs only', () => {
    expect(urlHost('https://WWW.Baidu.com:443/s?wd=x')).toBe('www.baidu.com')
    expect(urlHost('http://user:pw@t.cn/abc#x')).toBe('t.cn')
    expect(urlHost('pages/index/index')).toBeNull()
    expect(urlHost('直接打开')).toBeNull()
    expect(urlHost('javascript://x')).toBeNull()
    expect(urlHost('')).toBeNull()
  })

  it('treats www., m. and subdomains as one site', () => {
    expect(sameSite('www.brand.cn', 'm.brand.cn')).toBe(true)
    expect(sameSite('shop.brand.cn', 'brand.cn')).toBe(true)
    expect(sameSite('brand.cn', 'otherbrand.cn')).toBe(false)
  })

  it('finds ad click ids with a value in the query', () => {
    expect(clickIdsOf('https://shop.cn/?utm_source=baidu&bd_vid=123&gclid=abc', null)).toEqual(['bd_vid', 'gclid'])
    expect(clickIdsOf('https://shop.cn/?bd_vid=', null)).toEqual([])
    expect(clickIdsOf(null, '?ClickID=xyz')).toEqual(['clickid'])
    expect(clickIdsOf('https://shop.cn/?my_gclid=1', null)).toEqual([])
  })
})

describe('recognising navigation inside a visit without parsing', () => {
  const classifier = new ChannelClassifier(defaultChannelRules())
  const SITE = 'https://shop.example.cn'
  const payloads: [string, object, boolean][] = [
    ['same-site page', { type: 'page', context: { page: { url: `${SITE}/b`, referrer: `${SITE}/a` } }, properties: { url: `${SITE}/b`, referrer: `${SITE}/a` } }, true],
    ['mobile site referrer', { type: 'page', context: { page: { url: `${SITE}/b`, referrer: 'https://m.shop.example.cn/a' } } }, true],
    ['direct landing (empty referrer)', { type: 'page', context: { page: { url: `${SITE}/`, referrer: '' } } }, false],
    ['external referrer', { type: 'page', context: { page: { url: `${SITE}/`, referrer: 'https://www.zhihu.com/q' } } }, false],
    ['properties disagree with context', { type: 'page', context: { page: { url: `${SITE}/`, referrer: 'https://www.zhihu.com/q' } }, properties: { referrer: `${SITE}/a` } }, false],
    ['UTM on a same-site referrer', { type: 'page', context: { campaign: { source: 'email' }, page: { url: `${SITE}/?utm_source=email`, referrer: `${SITE}/a` } } }, false],
    ['click id on a same-site referrer', { type: 'page', context: { page: { url: `${SITE}/?bd_vid=9`, referrer: `${SITE}/a` } } }, false],
    ['escaped quote in the referrer', { type: 'page', context: { page: { url: `${SITE}/`, referrer: `${SITE}/"x` } } }, false],
    ['mini-program screen', { type: 'screen', context: { library: { name: 'sensors/MiniProgram' }, page: { url: 'pages/a', referrer: 'pages/b' } } }, true],
    ['screen with a campaign', { type: 'screen', context: { campaign: { source: 'wechat' }, page: { url: 'pages/a' } } }, false],
  ]

  it.each(payloads)('%s', (_name, payload, inside) => {
    const json = JSON.stringify(payload)
    expect(isNavigationInsideVisit((payload as { type: string }).type, json)).toBe(inside)
    // Whatever it skips would not have been a touchpoint.
    if (inside) expect(touchOf(eventRowOf(payload as Record<string, unknown>), classifier)).toBeNull()
  })
})

describe('splitJourneys', () => {
  const day = (d: number, h = 10) => Date.UTC(2025, 2, d, h)
  const touch = (channel: string, at: number): Touch => ({ at, kind: 'click', channel, group: 'referral', campaign: null, journey: null })
  const window = { from: day(1, 0), to: day(31, 0), lookbackMs: 7 * DAY_MS }
  const names = (j: { touches: Touch[] }) => j.touches.map((t) => t.channel)

  it('gives each conversion the touches since the previous one, within the look-back, and a null journey for what follows', () => {
    const journeys = splitJourneys(
      {
        touches: [touch('old', day(2)), touch('a', day(8)), touch('b', day(10)), touch('c', day(12)), touch('d', day(20))],
        conversions: [{ at: day(10), valueMinor: 100 }, { at: day(12), valueMinor: 50 }],
      },
      window,
      false,
    )
    expect(journeys.map((j) => [names(j), j.conversion?.valueMinor ?? null, j.conversion?.firstEver ?? null])).toEqual([
      [['a', 'b'], 100, true],
      [['c'], 50, false],
      [['d'], null, null],
    ])
  })

  it('leaves out conversions outside the period but lets them end journeys, and knows earlier buyers', () => {
    const journeys = splitJourneys(
      { touches: [touch('x', day(1, 1)), touch('y', day(2))], conversions: [{ at: Date.UTC(2025, 1, 27), valueMinor: 10 }, { at: day(2), valueMinor: 20 }] },
      window,
      false,
    )
    expect(journeys.map((j) => [names(j), j.conversion?.firstEver])).toEqual([[['x', 'y'], false]])
    const before = splitJourneys({ touches: [touch('z', day(5))], conversions: [{ at: day(5), valueMinor: 1 }] }, window, true)
    expect(before[0]!.conversion!.firstEver).toBe(false)
  })

  it('keeps only touches in the period on a journey without conversion', () => {
    const journeys = splitJourneys({ touches: [touch('before', Date.UTC(2025, 1, 25)), touch('in', day(3))], conversions: [] }, window, false)
    expect(journeys.map(names)).toEqual([['in']])
  })
})
