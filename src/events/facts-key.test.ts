import { describe, expect, it } from 'vitest'
import { eventRowOf, touchFactsOf } from '../measurement/index.ts'
import { factsKey, factsOfKey, NOT_A_TOUCH } from './facts-key.ts'

describe('touch facts as a count key', () => {
  it('gives back the facts channel rules read, click ids and scene included', () => {
    const landing = touchFactsOf(eventRowOf({ type: 'page', context: { page: { url: 'https://shop.cn/?bd_vid=123', referrer: 'https://www.baidu.com/s' }, library: { name: 'analytics.js' } } }))!
    expect(landing.clickIds).toEqual(['bd_vid'])
    expect(factsOfKey(factsKey(landing))).toEqual(landing)
    const launch = touchFactsOf(eventRowOf({ type: 'track', event: '$MPLaunch', properties: { $scene: 'wx-1058' }, context: { library: { name: 'sensors/MiniProgram' } } }))!
    expect(launch.scene).toBe('1058')
    expect(factsOfKey(factsKey(launch))).toEqual(launch)
  })

  it('keys events that are not touches alike', () => {
    const order = touchFactsOf(eventRowOf({ type: 'track', event: 'Order Completed', properties: { total: 129 } }))
    expect(order).toBeNull()
    expect(factsKey(order)).toBe(NOT_A_TOUCH)
    expect(factsOfKey(NOT_A_TOUCH)).toBeNull()
  })

  it('cuts a very long fact so the key stays indexable', () => {
    const facts = touchFactsOf(eventRowOf({ type: 'page', context: { campaign: { source: 'kol', name: '新'.repeat(5000) }, page: { url: 'https://shop.cn/', referrer: '' } } }))!
    const key = factsKey(facts)
    expect(key.length).toBeLessThan(1000)
    expect(factsOfKey(key)!.campaign).toBe('新'.repeat(200))
  })
})
