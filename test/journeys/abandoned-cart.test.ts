import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChannelsSender } from '../../src/journeys/index.ts'
import { DIALECTS } from '../support/databases.ts'
import { startSmtpSink } from '../channels/support/fakes.ts'
import { parseMail } from '../channels/support/mime.ts'
import { addProvider, configureChannels, trackedPath } from '../channels/support/setup.ts'
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
      channel: 'email',
      message: {
        subject: '{{ profile.name }}，您的{{ event.properties.name }}还在购物车里',
        text: '{{ profile.name }}您好，{{ event.properties.name }}还在等您。',
        url: 'https://shop.example.com/cart?sku={{ event.properties.sku }}',
      },
      next: 'done',
    },
    { id: 'done', type: 'exit' },
  ],
}

/**
 * The abandoned cart, end to end through the public APIs: events in through `POST /v1/batch`,
 * the journey created and published through `/api/v1/journeys`, the reminder delivered by the
 * channels module to a real SMTP server on loopback, the click on its tracked link counted.
 */
describe.each(DIALECTS)('abandoned cart by email (%s)', (dialect) => {
  let h: JourneyHarness
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>
  beforeAll(async () => {
    h = await startJourneyHarness(dialect, { sender: (chorus) => new ChannelsSender(chorus.ctx) })
    smtp = await startSmtpSink()
  })
  afterAll(async () => {
    await smtp.close()
    await h.close()
  })

  it('emails the person who did not buy exactly once, with their name and a tracked link; the buyer gets nothing and converts', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await configureChannels(h.chorus, ws)
    await addProvider(h.chorus, ws, { kind: 'smtp', settings: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: '和声优品 <shop@hesheng.example>' } })
    const journeyId = await client.publishJourney('Abandoned cart', ABANDONED_CART)

    await client.batch([
      { type: 'identify', userId: 'li-lei', traits: { name: '李雷', email: 'li.lei@example.com' } },
      { type: 'identify', userId: 'han-mei', traits: { name: '韩梅梅', email: 'han.mei@example.com' } },
      { type: 'track', userId: 'li-lei', event: 'Product Added', properties: { sku: 'SKU-1', name: '活力元气水' } },
      { type: 'track', userId: 'han-mei', event: 'Product Added', properties: { sku: 'SKU-2', name: '气泡水' } },
    ])
    await h.settle()
    await h.advance(20 * MINUTE)
    await client.track('han-mei', 'Order Completed', { order_id: 'o-1', total: 59 })
    await h.advance(39 * MINUTE)
    expect(smtp.mails).toHaveLength(0)

    await h.advance(2 * MINUTE) // the hour is up
    expect(smtp.mails).toHaveLength(1)
    const [received] = smtp.mails
    expect(received!.to).toEqual(['li.lei@example.com'])
    const mail = parseMail(received!.raw)
    expect(mail.headers.get('subject')).toBe('李雷，您的活力元气水还在购物车里')
    const html = mail.parts.get('text/html')!
    expect(html).toContain('李雷您好，活力元气水还在等您。')
    expect(html).not.toMatch(/href="https:\/\/shop/) // the link is tracked…
    expect(trackedPath(mail.parts.get('text/plain')!)).toBe(trackedPath(html)) // …in both parts
    const click = await client.inject({ method: 'GET', url: trackedPath(html) })
    expect(click.statusCode).toBe(302)
    expect(click.headers.location).toMatch(/^https:\/\/shop\.example\.com\/cart\?sku=SKU-1&utm_source=chorus%2Femail&utm_medium=email/)
    // The click is an event in the person's timeline, attributed to the journey and its node.
    const liLei = await client.profileId('li-lei')
    const timeline = (await client.inject({ method: 'GET', url: `/api/v1/profiles/${liLei}/events`, headers: ws.bearer })).json().items as Array<{ event: string; properties: Record<string, unknown> }>
    expect(timeline.filter((e) => e.event === 'Message Clicked').map((e) => e.properties)).toEqual([expect.objectContaining({ channel: 'email', journeyId, nodeId: 'remind' })])

    // However long we wait, nothing more is sent.
    await h.advance(2 * 24 * 60 * MINUTE)
    expect(smtp.mails).toHaveLength(1)

    const metrics = await client.metrics(journeyId)
    const node = (id: string) => metrics.nodes.find((n: { id: string }) => n.id === id)
    expect(node('wait-order')).toMatchObject({ entered: 2, exits: { event: 1, timeout: 1 }, converted: 1 })
    expect(node('remind')).toMatchObject({ entered: 1, sent: 1, clicked: 1, blocked: {}, errored: 0, converted: 0 })
    expect(metrics.totals).toMatchObject({ entered: 2, converted: 1, active: 0 })
    const runs = (await client.inject({ method: 'GET', url: `/api/v1/journeys/${journeyId}/runs?profileId=${await client.profileId('han-mei')}`, headers: ws.bearer })).json().items
    expect(runs).toMatchObject([{ state: 'ended', convertedAt: expect.any(String) }])
  })
})
