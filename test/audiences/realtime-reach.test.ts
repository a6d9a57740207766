import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startAudienceHarness, workspaceClient, type AudienceHarness } from './harness.ts'

/**
 * `reachable` in real time: what changes whether a channel reaches a person (an identifier linked
 * by any call, a consent statement, the do-not-contact flag) reaches the audience processor.
 */
describe.each(DIALECTS)('real-time reachability audiences on %s', (dialect) => {
  let h: AudienceHarness
  beforeAll(async () => {
    h = await startAudienceHarness(dialect)
  })
  afterAll(() => h.close())

  const client = async () => workspaceClient(h, await newWorkspace(h.chorus))

  it('re-checks who SMS can reach when a person gains a phone, unsubscribes or is marked do-not-contact', async () => {
    const c = await client()
    await c.send([
      { type: 'identify', userId: 'ann', traits: { plan: 'pro' } },
      { type: 'identify', userId: 'bob', traits: { plan: 'pro' } },
    ])
    const audience = await c.create('Reachable by SMS', { reachable: 'sms' })
    expect(await c.memberUserIds(audience)).toEqual([])
    // Later calls come from people seen before (a new person is checked for every audience anyway).
    h.chorus.clock.advance(60_000)

    // An identify call that adds a phone.
    await c.send([{ type: 'identify', userId: 'ann', traits: { phone: '13800000001' } }])
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual(['ann'])

    // Any call can link an identifier: here a track call carrying the phone in context.traits.
    h.chorus.clock.advance(60_000)
    await c.send([{ type: 'track', userId: 'bob', event: 'Coupon Claimed', context: { traits: { phone: '13800000002' } } }])
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual(['ann', 'bob'])

    const put = async (userId: string, path: string, payload: object) => {
      h.chorus.clock.advance(60_000)
      const res = await c.api('PUT', `/channels/consents/${await c.profileId(userId)}${path}`, payload)
      expect(res.statusCode, res.body).toBe(200)
    }
    await put('ann', '', { channel: 'sms', state: 'unsubscribed', source: 'sms_reply' })
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual(['bob'])

    await put('bob', '/do-not-contact', { doNotContact: true, reason: 'complaint' })
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual([])

    await put('bob', '/do-not-contact', { doNotContact: false })
    await h.runner.drain()
    expect(await c.memberUserIds(audience)).toEqual(['bob'])
    const events = await c.membershipEvents(audience)
    expect(events.map((e) => e.event)).toEqual(['Audience Entered', 'Audience Entered', 'Audience Exited', 'Audience Exited', 'Audience Entered'])
  })
})
