import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChannelsSender } from '../../src/journeys/index.ts'
import { DIALECTS } from '../support/databases.ts'
import { startHttpFake, startSmtpSink } from '../channels/support/fakes.ts'
import { addProvider, configureChannels } from '../channels/support/setup.ts'
import { api, newWorkspace, startJourneyHarness, type JourneyHarness } from './support/journey-harness.ts'

const DAY = 86_400_000

/** Journeys delivering through the channels module: consent stops sends, preference falls back. */
describe.each(DIALECTS)('journeys with channel consent and fallback (%s)', (dialect) => {
  let h: JourneyHarness
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>
  let aliyun: Awaited<ReturnType<typeof startHttpFake>>
  let wechat: Awaited<ReturnType<typeof startHttpFake>>
  beforeAll(async () => {
    h = await startJourneyHarness(dialect, { sender: (chorus) => new ChannelsSender(chorus.ctx) })
    smtp = await startSmtpSink()
    aliyun = await startHttpFake(() => ({ json: { Code: 'OK', Message: 'OK', BizId: `biz-${aliyun.requests.length}`, RequestId: 'r' } }))
    wechat = await startHttpFake((r) => (r.path === '/cgi-bin/token' ? { json: { access_token: 'TOKEN-1', expires_in: 7200 } } : { json: { errcode: 0, errmsg: 'ok', msgid: 200228332 } }))
  })
  afterAll(async () => {
    await Promise.all([smtp.close(), aliyun.close(), wechat.close()])
    await h.close()
  })

  it('stops sending to a person who unsubscribes mid-journey, recording why', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await configureChannels(h.chorus, ws)
    await addProvider(h.chorus, ws, { kind: 'smtp', settings: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: 'Brand <news@brand.example>' } })
    const id = await client.publishJourney('Onboarding', {
      entry: { event: 'Signed Up' },
      start: 'welcome',
      nodes: [
        { id: 'welcome', type: 'send', channel: 'email', message: { subject: 'Welcome, {{ profile.name }}', text: 'Glad you are here.' }, next: 'a-day' },
        { id: 'a-day', type: 'delay', for: '1d', next: 'tips' },
        { id: 'tips', type: 'send', channel: 'email', message: { subject: 'Tips for {{ profile.name }}', text: 'Three things to try.' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    })
    const email = 'zhao.lei@example.com'
    await client.identify('zhao', { name: '赵磊', email })
    await client.track('zhao', 'Signed Up')
    await h.settle()
    const mine = () => smtp.mails.filter((m) => m.to.includes(email))
    expect(mine()).toHaveLength(1)

    // The person uses the one-click unsubscribe link of the first mail (RFC 8058).
    const raw = mine()[0]!.raw.replace(/\r?\n[ \t]+/g, ' ')
    const unsubscribe = raw.match(/List-Unsubscribe: <https:\/\/chorus\.example\.com(\/u\/[^>]+)>/)![1]!
    const post = await client.inject({ method: 'POST', url: unsubscribe, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
    expect(post.statusCode).toBe(200)

    await h.advance(DAY + 1_000)
    expect(mine()).toHaveLength(1)
    const metrics = await client.metrics(id)
    expect(metrics.nodes.find((n: { id: string }) => n.id === 'tips')).toMatchObject({ entered: 1, sent: 0, blocked: { Unsubscribed: 1 } })
    const timeline = (await client.inject({ method: 'GET', url: `/api/v1/profiles/${await client.profileId('zhao')}/events`, headers: ws.bearer })).json().items
    expect(timeline.find((e: { event: string }) => e.event === 'Message Blocked').properties).toMatchObject({ reason: 'Unsubscribed', channel: 'email', journeyId: id, nodeId: 'tips' })
    expect(metrics.totals).toMatchObject({ ended: { exit: 1 } })
  })

  it('falls back from WeChat to SMS for a person without an openid', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await configureChannels(h.chorus, ws)
    await addProvider(h.chorus, ws, { kind: 'aliyun_sms', settings: { endpoint: aliyun.url, accessKeyId: 'LTAI-test', signName: '和声' }, secrets: { accessKeySecret: 'aliyun-secret-value' } })
    await addProvider(h.chorus, ws, { kind: 'wechat_template', settings: { baseUrl: wechat.url, appId: 'wx-app-1' }, secrets: { appSecret: 'wechat-app-secret' } })
    const id = await client.publishJourney('Shipped', {
      entry: { event: 'Order Shipped' },
      start: 'notify',
      nodes: [
        {
          id: 'notify',
          type: 'send',
          channel: 'wechat',
          fallback: ['sms'],
          category: 'transactional',
          message: {
            variants: {
              wechat: { templateId: 'TPL-SHIPPED', url: 'https://shop.example.com/orders/{{ event.properties.order_id }}', data: { thing1: '{{ profile.name }}的订单已发货' } },
              sms: { text: '{{ profile.name }}，您的订单已发货', templateCode: 'SMS_SHIPPED', params: { name: '{{ profile.name }}' } },
            },
          },
          next: 'done',
        },
        { id: 'done', type: 'exit' },
      ],
    })
    await client.identify('with-openid', { name: '孙丽', phone: '13800138011', wechat_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' })
    await client.identify('sms-only', { name: '周强', phone: '13800138012' })
    const wechatBefore = wechat.requests.filter((r) => r.path !== '/cgi-bin/token').length
    const smsBefore = aliyun.requests.length
    await client.track('with-openid', 'Order Shipped', { order_id: 'o-1' })
    await client.track('sms-only', 'Order Shipped', { order_id: 'o-2' })
    await h.settle()

    const wechatSends = wechat.requests.filter((r) => r.path !== '/cgi-bin/token').slice(wechatBefore)
    expect(wechatSends).toHaveLength(1)
    expect(JSON.parse(wechatSends[0]!.body)).toMatchObject({ touser: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', template_id: 'TPL-SHIPPED', data: { thing1: { value: '孙丽的订单已发货' } } })
    const smsSends = aliyun.requests.slice(smsBefore)
    expect(smsSends).toHaveLength(1)
    const sms = smsSends[0]!.body ? new URLSearchParams(smsSends[0]!.body) : smsSends[0]!.query
    expect(sms.get('PhoneNumbers')).toBe('13800138012')
    expect(JSON.parse(sms.get('TemplateParam')!)).toEqual({ name: '周强' })
    expect((await client.metrics(id)).nodes[0]).toMatchObject({ id: 'notify', sent: 2, blocked: {} })
  })
})
