import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChannelsSender } from '../../src/journeys/index.ts'
import { DIALECTS } from '../support/databases.ts'
import type { TestWorkspace } from '../support/chorus.ts'
import { startHttpFake, startSmtpSink } from '../channels/support/fakes.ts'
import { parseMail } from '../channels/support/mime.ts'
import { addProvider, configureChannels, PUBLIC_URL } from '../channels/support/setup.ts'
import { api, newWorkspace, startJourneyHarness, type JourneyHarness } from './support/journey-harness.ts'

/** The number Aliyun refuses for good (an invalid number is not worth retrying). */
const REFUSED_PHONE = '13800000404'

/**
 * What happens to a journey's message after the provider took it — delivered, opened, refused —
 * shows on the node that sent it, counted from the provider's receipt, the open pixel and the
 * provider's answer, through the same public paths a real provider and mail client use.
 */
describe.each(DIALECTS)('journey delivery metrics (%s)', (dialect) => {
  let h: JourneyHarness
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>
  let aliyun: Awaited<ReturnType<typeof startHttpFake>>
  beforeAll(async () => {
    h = await startJourneyHarness(dialect, { sender: (chorus) => new ChannelsSender(chorus.ctx) })
    smtp = await startSmtpSink()
    aliyun = await startHttpFake((r) => {
      const phone = new URLSearchParams(r.body).get('PhoneNumbers') ?? r.query.get('PhoneNumbers')
      if (phone === REFUSED_PHONE) return { json: { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号', RequestId: 'r' } }
      return { json: { Code: 'OK', Message: 'OK', BizId: `biz-${aliyun.requests.length}`, RequestId: 'r' } }
    })
  })
  afterAll(async () => {
    await Promise.all([smtp.close(), aliyun.close()])
    await h.close()
  })

  const setUp = async () => {
    const ws = await newWorkspace(h.chorus)
    await configureChannels(h.chorus, ws)
    await addProvider(h.chorus, ws, { kind: 'aliyun_sms', settings: { endpoint: aliyun.url, accessKeyId: 'LTAI-test', signName: '和声' }, secrets: { accessKeySecret: 'aliyun-secret-value' } })
    await addProvider(h.chorus, ws, { kind: 'smtp', settings: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: '和声优品 <news@hesheng.example>' } })
    return ws
  }
  const node = async (ws: TestWorkspace, journeyId: string, nodeId: string) => (await api(h, ws).metrics(journeyId)).nodes.find((n: { id: string }) => n.id === nodeId)
  const receiptPath = async (ws: TestWorkspace, provider: string) => {
    const settings = (await h.chorus.app.inject({ method: 'GET', url: '/api/v1/channels/settings', headers: ws.bearer })).json()
    return (settings.receiptUrls[provider] as string).slice(PUBLIC_URL.length)
  }

  const SHIPPED = {
    entry: { event: 'Order Shipped' },
    start: 'text',
    nodes: [
      {
        id: 'text',
        type: 'send',
        channel: 'sms',
        category: 'transactional',
        message: { variants: { sms: { text: '{{ profile.name }}，您的订单已发货', templateCode: 'SMS_SHIPPED', params: { name: '{{ profile.name }}' } } } },
        next: 'mail',
      },
      { id: 'mail', type: 'send', channel: 'email', category: 'transactional', message: { subject: '订单已发货', html: '<p>{{ profile.name }}，您的订单已发货。</p>', text: '您的订单已发货。' }, next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  }

  it("counts a provider's delivery receipt as delivered on the node that sent the message, once", async () => {
    const ws = await setUp()
    const client = api(h, ws)
    const id = await client.publishJourney('Shipped', SHIPPED)
    await client.identify('wang', { name: '王芳', phone: '13800138021', email: 'wang.fang@example.com' })
    const before = aliyun.requests.length
    await client.track('wang', 'Order Shipped')
    await h.settle()
    const calls = aliyun.requests.slice(before)
    expect(calls).toHaveLength(1)
    const outId = new URLSearchParams(calls[0]!.body).get('OutId') ?? calls[0]!.query.get('OutId')
    expect(await node(ws, id, 'text')).toMatchObject({ sent: 1, delivered: 0 })

    // Aliyun's SmsReport push, as the provider sends it (biz_id is what SendSms answered).
    const report = [{ phone_number: '13800138021', send_time: '2026-11-20 16:00:00', report_time: '2026-11-20 16:00:05', success: true, err_code: 'DELIVERED', err_msg: '用户接收成功', sms_size: '1', biz_id: `biz-${before + 1}`, out_id: outId }]
    const path = await receiptPath(ws, 'aliyun')
    for (let i = 0; i < 2; i++) expect((await client.inject({ method: 'POST', url: path, payload: report })).json()).toEqual({ code: 0, msg: '接收成功' })
    await h.settle()
    expect(await node(ws, id, 'text')).toMatchObject({ sent: 1, delivered: 1, opened: 0, errored: 0 })
    expect(await node(ws, id, 'mail')).toMatchObject({ sent: 1, delivered: 0 })
  })

  it('counts an open of the email (its pixel loading) as opened on the node that sent it, once', async () => {
    const ws = await setUp()
    const client = api(h, ws)
    const id = await client.publishJourney('Shipped', SHIPPED)
    const email = 'li.lei@example.com'
    await client.identify('li', { name: '李雷', phone: '13800138022', email })
    await client.track('li', 'Order Shipped')
    await h.settle()
    const mails = smtp.mails.filter((m) => m.to.includes(email))
    expect(mails).toHaveLength(1)
    const html = parseMail(mails[0]!.raw).parts.get('text/html')!
    const pixel = html.match(/src="https:\/\/chorus\.example\.com(\/o\/[^"]+\.gif)"/)?.[1]
    expect(pixel).toBeDefined()
    expect(await node(ws, id, 'mail')).toMatchObject({ sent: 1, opened: 0 })

    // The mail client loads the pixel, then again when the mail is read a second time.
    for (let i = 0; i < 2; i++) expect((await client.inject({ method: 'GET', url: pixel! })).statusCode).toBe(200)
    await h.settle()
    expect(await node(ws, id, 'mail')).toMatchObject({ sent: 1, opened: 1, errored: 0 })
    expect(await node(ws, id, 'text')).toMatchObject({ sent: 1, opened: 0 })
  })

  it('counts a permanent refusal by the provider as errored, and the run carries on to the next node', async () => {
    const ws = await setUp()
    const client = api(h, ws)
    const id = await client.publishJourney('Shipped', SHIPPED)
    const email = 'zhou.qiang@example.com'
    await client.identify('zhou', { name: '周强', phone: REFUSED_PHONE, email })
    const before = aliyun.requests.length
    await client.track('zhou', 'Order Shipped')
    await h.settle()
    // Refused for good: asked once, not retried.
    expect(aliyun.requests.length - before).toBe(1)
    await h.advance(60 * 60_000)
    expect(aliyun.requests.length - before).toBe(1)

    expect(await node(ws, id, 'text')).toMatchObject({ entered: 1, sent: 0, errored: 1, blocked: {} })
    // The run went on: the email was sent and the run ended at the exit.
    expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(1)
    expect(await node(ws, id, 'mail')).toMatchObject({ entered: 1, sent: 1, errored: 0 })
    const runs = (await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs`, headers: ws.bearer })).json().items
    expect(runs).toMatchObject([{ state: 'ended', nodeId: 'done', endReason: 'exit' }])
    const failed = (await client.inject({ method: 'GET', url: `/api/v1/profiles/${await client.profileId('zhou')}/events`, headers: ws.bearer })).json().items.filter((e: { event: string }) => e.event === 'Message Failed')
    expect(failed).toMatchObject([{ properties: { journeyId: id, nodeId: 'text', channel: 'sms' } }])
  })
})
