import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebhookSender, type MessageSender } from '../../src/journeys/index.ts'
import { DIALECTS } from '../support/databases.ts'
import { api, newWorkspace, startJourneyHarness, type JourneyHarness } from './support/journey-harness.ts'

const DAY = 86_400_000

/**
 * What changes while a send is with the provider — the journey paused, the goal reached — is
 * seen by the run as soon as the send's outcome is recorded, before it takes its next node.
 */
describe.each(DIALECTS)('a run whose send is with the provider (%s)', (dialect) => {
  let h: JourneyHarness
  /** Runs once, inside the next provider call, before the gateway is called. */
  let duringSend: (() => Promise<void>) | null = null
  beforeAll(async () => {
    h = await startJourneyHarness(dialect, {
      sender: (chorus, sink): MessageSender => {
        const gateway = new WebhookSender({ url: sink.url, database: chorus.ctx.database })
        const meanwhile = async () => {
          const hook = duringSend
          duringSend = null
          await hook?.()
        }
        return {
          channels: gateway.channels,
          resolveChannel: (input) => gateway.resolveChannel(input),
          send: async (request) => (await meanwhile(), gateway.send(request)),
          sendBatch: async (requests) => (await meanwhile(), gateway.sendBatch(requests)),
        }
      },
    })
  })
  afterAll(() => h.close())

  it('stops at the next node when the journey was paused during the send, and goes on after a resume', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Welcome', {
      entry: { event: 'Signed Up' },
      start: 'welcome',
      nodes: [
        { id: 'welcome', type: 'send', channel: 'webhook', message: { text: 'Hello' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    })
    duringSend = async () => {
      const paused = await client.inject({ method: 'POST', url: `/api/v1/journeys/${id}/pause`, headers: ws.bearer })
      expect(paused.json().status).toBe('paused')
    }
    await client.track('mei', 'Signed Up')
    await h.settle()
    const profileId = await client.profileId('mei')
    expect(h.sink.to(profileId).map((m) => m.text)).toEqual(['Hello'])
    const runs = async () => (await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs`, headers: ws.bearer })).json().items
    expect(await runs()).toMatchObject([{ state: 'paused', nodeId: 'done' }])

    expect((await client.inject({ method: 'POST', url: `/api/v1/journeys/${id}/resume`, headers: ws.bearer })).json().status).toBe('published')
    await h.settle()
    expect(await runs()).toMatchObject([{ state: 'ended', nodeId: 'done', endReason: 'exit' }])
    expect(h.sink.to(profileId)).toHaveLength(1)
  })

  it('ends the run for its goal when the person converted during the send', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Cart', {
      entry: { event: 'Cart Updated' },
      goal: { event: 'Order Completed', within: '7d', exitOnConversion: true },
      start: 'nudge',
      nodes: [
        { id: 'nudge', type: 'send', channel: 'webhook', message: { text: 'Your cart' }, next: 'a-day' },
        { id: 'a-day', type: 'delay', for: '1d', next: 'again' },
        { id: 'again', type: 'send', channel: 'webhook', message: { text: 'Still there?' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    })
    duringSend = async () => {
      await client.track('lin', 'Order Completed')
      await h.processors.drain()
    }
    await client.track('lin', 'Cart Updated')
    await h.settle()
    const runs = (await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs`, headers: ws.bearer })).json().items
    expect(runs).toMatchObject([{ state: 'ended', endReason: 'goal' }])
    expect(runs[0].convertedAt).not.toBeNull()
    await h.advance(DAY + 1_000)
    expect(h.sink.to(await client.profileId('lin')).map((m) => m.text)).toEqual(['Your cart'])
  })
})
