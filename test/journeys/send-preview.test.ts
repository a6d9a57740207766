import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { addProvider, addTemplate, configureChannels } from '../channels/support/setup.ts'
import { api, newWorkspace, startJourneyHarness, type JourneyHarness } from './support/journey-harness.ts'
import type { TestWorkspace } from '../support/chorus.ts'
import { createAdminToken } from '../../src/workspaces/index.ts'

const cart = (remind: Record<string, unknown>) => ({
  entry: { event: 'Product Added' },
  start: 'wait',
  nodes: [
    { id: 'wait', type: 'delay', for: '1h', next: 'remind' },
    { id: 'remind', type: 'send', channel: 'email', next: 'done', ...remind },
    { id: 'done', type: 'exit' },
  ],
})
const PLAIN = {
  message: {
    subject: '{{ profile.name }}，您的{{ event.properties.name }}还在购物车里',
    text: '{{ profile.name }}您好，{{ event.properties.name }}还在等您。',
    url: 'https://shop.example.com/cart?sku={{ event.properties.sku }}',
  },
}
const WITH_SMS = {
  fallback: ['sms', 'inbox'],
  message: {
    variants: {
      email: { subject: '{{ profile.name }}，购物车提醒', html: '<p>{{ event.properties.name }}还在等您</p>' },
      sms: { text: '{{ profile.name }}，您的{{ event.properties.name }}还在购物车里，点击 https://shop.example.com/c 完成购买', templateCode: 'SMS_300', params: { name: '{{ profile.name }}' } },
    },
  },
}
const EVENT = { properties: { sku: 'SKU-1', name: '活力元气水' } }

describe.each(DIALECTS)('journey send-node preview (%s)', (dialect) => {
  let h: JourneyHarness
  beforeAll(async () => {
    h = await startJourneyHarness(dialect)
  })
  afterAll(() => h.close())

  const setUp = async (remind: Record<string, unknown>): Promise<{ ws: TestWorkspace; journeyId: string; profileId: string }> => {
    const ws = await newWorkspace(h.chorus)
    await configureChannels(h.chorus, ws)
    const client = api(h, ws)
    const created = await client.createJourney('Cart', cart(remind), '?allowUnknownNames=true')
    expect(created.statusCode, created.body).toBe(201)
    await client.identify('li-lei', { name: '李雷', email: 'li.lei@example.com' })
    return { ws, journeyId: created.json().id, profileId: await client.profileId('li-lei') }
  }
  const preview = (ws: TestWorkspace, journeyId: string, body: object, nodeId = 'remind') =>
    h.chorus.app.inject({ method: 'POST', url: `/api/v1/journeys/${journeyId}/nodes/${nodeId}/preview`, headers: ws.bearer, payload: body })

  it("renders a draft's plain-content email for a person and a sample entry event, as the send would", async () => {
    const { ws, journeyId, profileId } = await setUp(PLAIN)
    const res = await preview(ws, journeyId, { profileId, event: EVENT })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ journeyId, version: 1, nodeId: 'remind', category: 'marketing' })
    expect(Object.keys(body.channels)).toEqual(['email'])
    const email = body.channels.email
    expect(email.content.subject).toBe('李雷，您的活力元气水还在购物车里')
    expect(email.html).toContain('<p>李雷您好，活力元气水还在等您。</p>')
    // Links tracked as in a send, and the footer a marketing email gets.
    expect(email.html).not.toMatch(/href="https:\/\/shop/)
    expect(email.html).toMatch(/href="https:\/\/chorus\.example\.com\/r\/msg_[0-9a-z]+\.c0\.[A-Za-z0-9_-]{22}"/)
    expect(email.html).toMatch(/不想再收到此类邮件？<a href="https:\/\/chorus\.example\.com\/u\//)
    expect(email.content.text).toMatch(/^李雷您好，活力元气水还在等您。\nhttps:\/\/chorus\.example\.com\/r\/\S+\n\n退订：https:\/\/chorus\.example\.com\/u\/\S+$/)
    expect(email.warnings).toEqual([])
    // Stand-in traits instead of a stored person.
    const stand = await preview(ws, journeyId, { traits: { name: '韩梅梅' }, event: EVENT })
    expect(stand.json().channels.email.content.subject).toBe('韩梅梅，您的活力元气水还在购物车里')
  })

  it('previews a named fallback channel, with SMS length and segments, and refuses a channel the node does not send on', async () => {
    const { ws, journeyId, profileId } = await setUp(WITH_SMS)
    await addProvider(h.chorus, ws, { kind: 'aliyun_sms', settings: { endpoint: 'http://127.0.0.1:9', accessKeyId: 'k', signName: '和声优品' }, secrets: { accessKeySecret: 's' } })
    const res = await preview(ws, journeyId, { profileId, event: EVENT, channel: 'sms' })
    expect(res.statusCode, res.body).toBe(200)
    const sms = res.json().channels.sms
    expect(sms.content).toMatchObject({ templateCode: 'SMS_300', params: { name: '李雷' } })
    expect(sms.sms.counted.startsWith('【和声优品】李雷，您的活力元气水还在购物车里，点击 https://chorus.example.com/r/')).toBe(true)
    const length = [...sms.sms.counted].length
    expect(sms.sms).toMatchObject({ encoding: 'ucs-2', length, perSegment: 67, segments: Math.ceil(length / 67) })

    const wechat = await preview(ws, journeyId, { profileId, event: EVENT, channel: 'wechat' })
    expect(wechat.statusCode).toBe(400)
    expect(wechat.json().error).toMatchObject({ code: 'ChannelNotOffered', message: 'Node "remind" sends on email, then sms, then inbox; preview one of those, not wechat' })
    // The inbox is a fallback, but the node's variants have none for it.
    const inbox = await preview(ws, journeyId, { profileId, event: EVENT, channel: 'inbox' })
    expect(inbox.statusCode).toBe(422)
    expect(inbox.json().error).toMatchObject({ code: 'NoVariant', message: "Node remind's message.variants has no inbox variant" })
  })

  it('answers 422 naming the variable a person or the sample event lacks', async () => {
    const { ws, journeyId, profileId } = await setUp(PLAIN)
    const noEvent = await preview(ws, journeyId, { profileId })
    expect(noEvent.statusCode).toBe(422)
    expect(noEvent.json().error).toMatchObject({ code: 'UndefinedVariable', details: { field: 'email.subject', variable: 'event.properties.name' } })
    expect(noEvent.json().error.message).toContain('{{ event.properties.name }}')
    await api(h, ws).identify('nameless', { city: '杭州' })
    const nameless = await preview(ws, journeyId, { profileId: await api(h, ws).profileId('nameless'), event: EVENT })
    expect(nameless.statusCode).toBe(422)
    expect(nameless.json().error.details).toMatchObject({ field: 'email.subject', variable: 'profile.name' })
  })

  it('previews the draft by default, or a chosen version; a transactional node gets no unsubscribe footer', async () => {
    const { ws, journeyId, profileId } = await setUp(PLAIN)
    const published = await h.chorus.app.inject({ method: 'POST', url: `/api/v1/journeys/${journeyId}/publish?allowUnknownNames=true`, headers: ws.bearer })
    expect(published.statusCode, published.body).toBe(200)
    // With no draft, the current version.
    expect((await preview(ws, journeyId, { profileId, event: EVENT })).json()).toMatchObject({ version: 1, category: 'marketing' })
    expect((await preview(ws, journeyId, { profileId, event: EVENT, version: 'draft' })).statusCode).toBe(404)

    const edited = cart({ category: 'transactional', message: { ...PLAIN.message, subject: '订单提醒：{{ event.properties.name }}' } })
    const put = await h.chorus.app.inject({ method: 'PUT', url: `/api/v1/journeys/${journeyId}?allowUnknownNames=true`, headers: ws.bearer, payload: { definition: edited } })
    expect(put.statusCode, put.body).toBe(200)
    const draft = (await preview(ws, journeyId, { profileId, event: EVENT })).json()
    expect(draft).toMatchObject({ version: 2, category: 'transactional' })
    expect(draft.channels.email.content.subject).toBe('订单提醒：活力元气水')
    expect(draft.channels.email.html).not.toContain('/u/')
    expect(draft.channels.email.content.text).not.toContain('退订')
    expect((await preview(ws, journeyId, { profileId, event: EVENT, version: 'draft' })).json().version).toBe(2)
    const v1 = (await preview(ws, journeyId, { profileId, event: EVENT, version: 1 })).json()
    expect(v1.channels.email.content.subject).toBe('李雷，您的活力元气水还在购物车里')
    expect((await preview(ws, journeyId, { profileId, event: EVENT, version: 3 })).statusCode).toBe(404)
  })

  it('renders a stored template with the journey scope and the entry event name', async () => {
    const ws = await newWorkspace(h.chorus)
    await configureChannels(h.chorus, ws)
    const templateId = await addTemplate(h.chorus, ws, {
      name: 'Cart',
      variants: { inbox: { title: '{{ event.name }}：{{ event.properties.name }}', body: '{{ journey.node }} of {{ journey.id }} v{{ journey.version }}' } },
    })
    const created = await api(h, ws).createJourney('Cart', cart({ channel: 'inbox', message: { templateId } }), '?allowUnknownNames=true')
    expect(created.statusCode, created.body).toBe(201)
    const journeyId = created.json().id
    const res = await preview(ws, journeyId, { traits: {}, event: EVENT })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().channels.inbox.content).toMatchObject({ title: 'Product Added：活力元气水', body: `remind of ${journeyId} v1` })
    const named = await preview(ws, journeyId, { event: { name: 'Cart Viewed', properties: EVENT.properties } })
    expect(named.json().channels.inbox.content.title).toBe('Cart Viewed：活力元气水')
  })

  it('answers clearly for an unknown node, a node that sends nothing, content a channel cannot carry, an unknown person, and another workspace', async () => {
    const { ws, journeyId, profileId } = await setUp({ ...PLAIN, fallback: ['sms'] })
    const missing = await preview(ws, journeyId, { profileId, event: EVENT }, 'nope')
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.message).toBe(`Version 1 of journey ${journeyId} has no node "nope"`)
    const delay = await preview(ws, journeyId, { profileId, event: EVENT }, 'wait')
    expect(delay.statusCode).toBe(400)
    expect(delay.json().error.code).toBe('NotASendNode')
    const sms = await preview(ws, journeyId, { profileId, event: EVENT, channel: 'sms' })
    expect(sms.statusCode).toBe(422)
    expect(sms.json().error).toMatchObject({ code: 'UnsupportedContent', message: 'sms delivers only templates approved at the provider: give message.templateId or message.variants.sms' })
    const nobody = await preview(ws, journeyId, { profileId: 'prf_nobody', event: EVENT })
    expect(nobody.statusCode).toBe(404)
    expect(nobody.json().error.message).toBe('No profile prf_nobody')

    const other = await newWorkspace(h.chorus)
    expect((await preview(other, journeyId, { event: EVENT })).statusCode).toBe(404)
    expect((await h.chorus.app.inject({ method: 'POST', url: `/api/v1/journeys/${journeyId}/nodes/remind/preview`, payload: {} })).statusCode).toBe(401)
    // Reading is enough: a viewer of the workspace may preview.
    const { token } = await createAdminToken(h.chorus.ctx.database.db, { workspaceId: ws.workspaceId, name: 'viewer', role: 'viewer', now: h.chorus.clock.now() })
    const viewed = await preview({ ...ws, bearer: { authorization: `Bearer ${token}` } }, journeyId, { profileId, event: EVENT })
    expect(viewed.statusCode, viewed.body).toBe(200)
  })
})
