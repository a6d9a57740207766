import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import type { TestWorkspace } from '../support/chorus.ts'
import { api, newWorkspace, startJourneyHarness, type JourneyHarness } from './support/journey-harness.ts'

const MINUTE = 60_000

const CART = {
  entry: { event: 'Product Added' },
  goal: { event: 'Order Completed', within: '1d' },
  start: 'wait',
  nodes: [
    { id: 'wait', type: 'wait_for_event', event: 'Order Completed', timeout: '1h', onEvent: 'done', onTimeout: 'remind' },
    { id: 'remind', type: 'send', channel: 'webhook', message: { text: 'Your cart is waiting' }, next: 'done' },
    { id: 'done', type: 'exit' },
  ],
}

/**
 * A wait for an event has two exits and a run takes exactly one, whichever of the event processor
 * and the timeout job gets there first, and however far behind the processor is.
 */
describe.each(DIALECTS)('wait-for-event exits (%s)', (dialect) => {
  let h: JourneyHarness
  beforeAll(async () => {
    h = await startJourneyHarness(dialect)
  })
  afterAll(() => h.close())

  const exits = async (ws: TestWorkspace, journeyId: string) => {
    const metrics = await api(h, ws).metrics(journeyId)
    const node = (id: string) => metrics.nodes.find((n: { id: string }) => n.id === id)
    return { wait: node('wait').exits, reminded: node('remind').entered, done: node('done').entered, converted: metrics.totals.converted }
  }

  it('counts an order that arrives in the same batch as the cart', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Cart', CART)
    await client.batch([
      { type: 'track', userId: 'quick', event: 'Product Added' },
      { type: 'track', userId: 'quick', event: 'Order Completed' },
    ])
    await h.settle()
    await h.advance(2 * 60 * MINUTE)
    expect(h.sink.to(await client.profileId('quick'))).toEqual([])
    expect(await exits(ws, id)).toEqual({ wait: { event: 1, timeout: 0 }, reminded: 0, done: 1, converted: 1 })
  })

  it('takes the event exit when the timeout fires while the event processor is behind', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Cart', CART)
    await client.track('late-read', 'Product Added')
    await h.settle()
    await h.advance(59 * MINUTE)
    await client.track('late-read', 'Order Completed') // in the log, not yet read by the processor
    h.chorus.clock.advance(2 * MINUTE)
    await h.worker.runDue() // the timeout job alone
    await h.settle()
    expect(h.sink.to(await client.profileId('late-read'))).toEqual([])
    expect(await exits(ws, id)).toEqual({ wait: { event: 1, timeout: 0 }, reminded: 0, done: 1, converted: 1 })
  })

  it('takes the timeout exit for an order after the deadline, which still converts within the goal', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Cart', CART)
    await client.track('slow', 'Product Added')
    await h.settle()
    await h.advance(61 * MINUTE)
    expect(h.sink.to(await client.profileId('slow')).map((m) => m.text)).toEqual(['Your cart is waiting'])
    await client.track('slow', 'Order Completed')
    await h.settle()
    expect(await exits(ws, id)).toEqual({ wait: { event: 0, timeout: 1 }, reminded: 1, done: 1, converted: 1 })
    expect((await client.metrics(id)).nodes.find((n: { id: string }) => n.id === 'remind').converted).toBe(1)
  })

  it('keeps waiting through events that fail the wait\'s filters, then times out; a matching event takes the event exit', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Big cart', {
      ...CART,
      nodes: [{ ...CART.nodes[0], where: [{ property: 'total', op: 'gte', value: 100 }] }, ...CART.nodes.slice(1)],
    })
    await client.track('small', 'Product Added')
    await client.track('big', 'Product Added')
    await h.settle()
    await h.advance(10 * MINUTE)
    await client.track('small', 'Order Completed', { total: 20 })
    await client.track('big', 'Order Completed', { total: 129 })
    await h.settle()
    // The small order does not count: that run is still at the wait.
    expect((await client.metrics(id)).nodes.find((n: { id: string }) => n.id === 'wait')).toMatchObject({ waiting: 1, exits: { event: 1, timeout: 0 } })
    expect(h.sink.to(await client.profileId('big'))).toEqual([])
    await h.advance(51 * MINUTE) // past the hour: the timeout, which reads the log again
    expect(h.sink.to(await client.profileId('small')).map((m) => m.text)).toEqual(['Your cart is waiting'])
    expect(h.sink.to(await client.profileId('big'))).toEqual([])
    expect((await client.metrics(id)).nodes.find((n: { id: string }) => n.id === 'wait')).toMatchObject({ waiting: 0, exits: { event: 1, timeout: 1 } })
  })

  it('moves a run once when the event and the timeout arrive together', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Cart', CART)
    const people = Array.from({ length: 12 }, (_, i) => `racer-${i}`)
    await client.batch(people.map((userId) => ({ type: 'track', userId, event: 'Product Added' })))
    await h.settle()
    h.chorus.clock.advance(60 * MINUTE - 1)
    await client.batch(people.map((userId) => ({ type: 'track', userId, event: 'Order Completed' })))
    h.chorus.clock.advance(1)
    // The processor and the timeout jobs run at the same time.
    await Promise.all([h.processors.drain(), h.worker.runDue()])
    await h.settle()
    expect(await exits(ws, id)).toEqual({ wait: { event: 12, timeout: 0 }, reminded: 0, done: 12, converted: 12 })
    for (const userId of people) expect(h.sink.to(await client.profileId(userId))).toEqual([])
  })
})
