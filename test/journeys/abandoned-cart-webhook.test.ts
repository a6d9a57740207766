import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { api, newWorkspace, startJourneyHarness, type JourneyHarness } from './support/journey-harness.ts'

const MINUTE = 60_000

const ABANDONED_CART = {
  entry: { event: 'Product Added' },
  goal: { event: 'Order Completed', within: '1d' },
  start: 'wait-order',
  nodes: [
    { id: 'wait-order', type: 'wait_for_event', event: 'Order Completed', timeout: '1h', onEvent: 'done', onTimeout: 'remind' },
    {
      id: 'remind',
      type: 'send',
      channel: 'webhook',
      message: { subject: '{{ profile.name }}, your cart is waiting', text: 'Hi {{ traits.name }}, {{ event.properties.name }} is still in your cart', url: 'https://shop.example.com/cart?sku={{ event.properties.sku }}' },
      next: 'done',
    },
    { id: 'done', type: 'exit' },
  ],
}

describe.each(DIALECTS)('abandoned cart through a webhook gateway (%s)', (dialect) => {
  let h: JourneyHarness
  beforeAll(async () => {
    h = await startJourneyHarness(dialect)
  })
  afterAll(() => h.close())

  it('reminds the person who did not buy, once, and counts the one who did as converted', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const journeyId = await client.publishJourney('Abandoned cart', ABANDONED_CART)

    await client.identify('li-lei', { name: '李雷' })
    await client.identify('han-mei', { name: '韩梅梅' })
    await client.track('li-lei', 'Product Added', { sku: 'SKU-1', name: '活力元气水' })
    await client.track('han-mei', 'Product Added', { sku: 'SKU-2', name: '气泡水' })
    await h.settle()
    await h.advance(10 * MINUTE)
    await client.track('han-mei', 'Order Completed', { order_id: 'o-1', total: 59 })
    await h.settle()
    await h.advance(45 * MINUTE)
    expect(h.sink.deliveries.size).toBe(0)

    await h.advance(10 * MINUTE) // past the hour
    const lilei = await client.profileId('li-lei')
    const hanmei = await client.profileId('han-mei')
    const toLilei = h.sink.to(lilei)
    expect(toLilei).toHaveLength(1)
    expect(toLilei[0]!.subject).toBe('李雷, your cart is waiting')
    expect(toLilei[0]!.text).toBe('Hi 李雷, 活力元气水 is still in your cart')
    expect(toLilei[0]!.url).toBe('https://shop.example.com/cart?sku=SKU-1')
    expect(h.sink.to(hanmei)).toHaveLength(0)

    // Nothing more, however long we wait.
    await h.advance(24 * 60 * MINUTE)
    expect(h.sink.deliveries.size).toBe(1)

    const metrics = await client.metrics(journeyId)
    const node = (id: string) => metrics.nodes.find((n: { id: string }) => n.id === id)
    expect(node('wait-order')).toMatchObject({ entered: 2, exits: { event: 1, timeout: 1 }, converted: 1 })
    expect(node('remind')).toMatchObject({ entered: 1, sent: 1, blocked: {}, errored: 0, converted: 0 })
    expect(metrics.totals).toMatchObject({ entered: 2, converted: 1, active: 0 })
  })
})
