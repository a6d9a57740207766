import { describe, expect, it } from 'vitest'
import { compileMatcher } from './event-matcher.ts'
import { matchFunnel } from './funnel-match.ts'
import type { PersonEvent } from './person-log.ts'

let seq = 0
const ev = (event: string, minute: number, extra: Partial<PersonEvent> = {}): PersonEvent => ({
  seq: ++seq,
  timestamp: minute * 60_000,
  person: 'p',
  type: 'track',
  event,
  channel: null,
  orderMinor: null,
  orderCurrency: null,
  system: false,
  properties: {},
  ...extra,
})
const steps = (...names: string[]) => names.map((event) => compileMatcher({ event, where: [] }))
const options = (mode: 'ordered' | 'strict' | 'any-order', windowMinutes = 60) => ({ mode, windowMs: windowMinutes * 60_000, entryFrom: 0, entryTo: 1e12 })

describe('matchFunnel', () => {
  it('lets one event fill only one step', () => {
    const timeline = [ev('View', 0), ev('View', 1)]
    expect(matchFunnel(timeline, steps('View', 'View', 'View'), options('ordered')).reached).toBe(2)
  })

  it('moves an event to another step in any-order funnels when that fills more steps', () => {
    // "Sale" matches both step 1 (any Sale event) and step 2 (a Sale of shoes); the first Sale seen
    // is the shoe sale, so a greedy choice would give it to step 1 and leave step 2 empty.
    const sale = compileMatcher({ event: 'Sale', where: [] })
    const shoeSale = compileMatcher({ event: 'Sale', where: [{ property: 'category', op: 'eq', value: 'shoes' }] })
    const timeline = [ev('Sale', 0, { properties: { category: 'shoes' } }), ev('Sale', 5, { properties: { category: 'hats' } })]
    const attempt = matchFunnel(timeline, [sale, shoeSale], options('any-order'))
    expect(attempt.reached).toBe(2)
    expect(attempt.stepEvents.map((e) => e.properties?.category)).toEqual(['hats', 'shoes'])
  })

  it('lets Chorus’s own events, identify calls and ignored names sit between strict steps', () => {
    const timeline = [
      ev('View', 0),
      ev('Message Sent', 1, { system: true }),
      ev('identify-call', 2, { type: 'identify' }),
      ev('Scroll', 3),
      ev('Add', 4),
    ]
    expect(matchFunnel(timeline, steps('View', 'Add'), options('strict')).reached).toBe(1)
    expect(matchFunnel(timeline, steps('View', 'Add'), { ...options('strict'), ignore: new Set(['Scroll']) }).reached).toBe(2)
  })

  it('measures the window from the entry and only admits entries in range', () => {
    const timeline = [ev('View', 0), ev('Add', 61), ev('View', 100), ev('Add', 120)]
    expect(matchFunnel(timeline, steps('View', 'Add'), options('ordered')).stepEvents.map((e) => e.timestamp / 60_000)).toEqual([100, 120])
    expect(matchFunnel(timeline, steps('View', 'Add'), { ...options('ordered'), entryTo: 50 * 60_000 }).reached).toBe(1)
  })
})
