import { describe, expect, it } from 'vitest'
import { parseWellFormedCall } from './fast-parse.ts'
import { SegmentCall } from './schema.ts'

const base = { messageId: 'm-1', anonymousId: 'a-1', timestamp: '2026-11-22T08:00:00.000Z', context: { ip: '1.2.3.4' } }
const calls: Array<Record<string, unknown>> = [
  { ...base, type: 'track', event: 'Order Completed', properties: { total: 1 } },
  { ...base, type: 'identify', userId: 42, traits: { email: 'a@b.c' } },
  { ...base, type: 'page', name: 'Home', category: null },
  { ...base, type: 'screen', name: 7 },
  { ...base, type: 'group', groupId: 9 },
  { ...base, type: 'group', groupId: '' },
  { ...base, type: 'alias', previousId: 'old' },
  { ...base, type: 'alias' },
  { ...base, type: 'track' },
  { ...base, type: 'track', event: '' },
  { ...base, type: 'track', event: 'x'.repeat(501) },
  { ...base, type: 'track', event: 'E', timestamp: 'yesterday' },
  { ...base, type: 'track', event: 'E', sentAt: 1795363200000 },
  { ...base, type: 'track', event: 'E', properties: [1, 2] },
  { ...base, type: 'track', event: 'E', context: 'web' },
  { ...base, type: 'track', event: 'E', userId: true },
  { ...base, type: 'track', event: 'E', messageId: '' },
  { ...base, type: 'track', event: 'E', messageId: 'x'.repeat(201) },
  { ...base, type: 'track', event: 'E', custom: { kept: true } },
  { ...base, type: 'unknown' },
  { ...base, type: 5 },
]

describe('parseWellFormedCall', () => {
  it.each(calls.map((c, i) => [i, c] as const))('agrees with the Segment schema on call %i', (_, call) => {
    const fast = parseWellFormedCall(call)
    const schema = SegmentCall.safeParse(call)
    if (!schema.success) expect(fast).toBeUndefined()
    else if (fast !== undefined) expect(fast).toEqual(schema.data)
  })

  it('takes the fast path for the calls real clients send', () => {
    for (const i of [0, 1, 2, 4, 6, 12, 18]) expect(parseWellFormedCall(calls[i]!)).toBeDefined()
  })
})
