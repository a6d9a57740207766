import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eraseChannelData, sendMessage } from '../../src/channels/index.ts'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { startHttpFake } from './support/fakes.ts'
import { addProvider, addTemplate, configureChannels, identify, loggedEvents, PUBLIC_URL } from './support/setup.ts'

describe.each(DIALECTS)('delivery receipts and the inbox on %s', (dialect) => {
  let chorus: TestChorus
  let sms: Awaited<ReturnType<typeof startHttpFake>>
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    sms = await startHttpFake((r) =>
      r.headers['x-tc-action'] === 'SendSms'
        ? { json: { Response: { SendStatusSet: [{ SerialNo: `sn-${sms.requests.length}`, PhoneNumber: '+8613800000000', Code: 'Ok', Message: 'send success' }], RequestId: 'r' } } }
        : { json: { Code: 'OK', Message: 'OK', BizId: `biz-${sms.requests.length}`, RequestId: 'r' } },
    )
  })
  afterAll(async () => {
    await sms.close()
    await chorus.close()
  })

  const receiptPath = async (ws: TestWorkspace, provider: string) => {
    const settings = (await chorus.app.inject({ method: 'GET', url: '/api/v1/channels/settings', headers: ws.bearer })).json()
    const url = settings.receiptUrls[provider] as string
    expect(url.startsWith(`${PUBLIC_URL}/api/v1/channels/receipts/${provider}?key=`)).toBe(true)
    return url.slice(PUBLIC_URL.length)
  }
  const smsSetUp = async (kind: 'aliyun_sms' | 'tencent_sms') => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    await addProvider(
      chorus,
      ws,
      kind === 'aliyun_sms'
        ? { kind, settings: { endpoint: sms.url, accessKeyId: 'k', signName: '和声' }, secrets: { accessKeySecret: 's' } }
        : { kind, settings: { endpoint: sms.url, secretId: 'id', smsSdkAppId: '1400000000', signName: '和声' }, secrets: { secretKey: 'k' } },
    )
    const templateId = await addTemplate(chorus, ws, { name: 'n', variants: { sms: { text: 'hi', templateCode: '1', params: {} } } })
    const profileId = await identify(chorus, ws, `u-${Math.random()}`, { phone: '13800000000' })
    const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'sms', templateId, idempotencyKey: 'r:1', journeyId: 'jrn_r', nodeId: 'sms1' })
    if (outcome.kind !== 'Sent') throw new Error(JSON.stringify(outcome))
    return { ws, profileId, outcome }
  }

  it('records an Aliyun SmsReport as Message Delivered, once', async () => {
    const { ws, profileId, outcome } = await smsSetUp('aliyun_sms')
    const path = await receiptPath(ws, 'aliyun')
    const report = [{ phone_number: '13800000000', send_time: '2026-11-20 16:00:00', report_time: '2026-11-20 16:00:05', success: true, err_code: 'DELIVERED', err_msg: '用户接收成功', sms_size: '1', biz_id: outcome.providerMessageId, out_id: outcome.messageId }]
    const res = await chorus.app.inject({ method: 'POST', url: path, payload: report })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ code: 0, msg: '接收成功' })
    await chorus.app.inject({ method: 'POST', url: path, payload: report })
    const delivered = await loggedEvents(chorus, ws, 'Message Delivered')
    expect(delivered).toEqual([expect.objectContaining({ profileId, channel: 'sms', properties: expect.objectContaining({ messageId: outcome.messageId, journeyId: 'jrn_r', nodeId: 'sms1', channel: 'sms', code: 'DELIVERED', provider: 'aliyun_sms' }) })])
    const ts = await chorus.ctx.database.db.selectFrom('events').select('timestamp').where('workspace_id', '=', ws.workspaceId).where('event', '=', 'Message Delivered').executeTakeFirstOrThrow()
    expect(Number(ts.timestamp)).toBe(Date.parse('2026-11-20T08:00:05Z'))
    const message = (await chorus.app.inject({ method: 'GET', url: `/api/v1/channels/messages/${outcome.messageId}`, headers: ws.bearer })).json()
    expect(message.deliveredAt).toBe('2026-11-20T08:00:05.000Z')
  })

  it('records a failed Tencent status report as Message Failed at the delivery stage', async () => {
    const { ws, outcome } = await smsSetUp('tencent_sms')
    const path = await receiptPath(ws, 'tencent')
    const res = await chorus.app.inject({
      method: 'POST',
      url: path,
      payload: [{ user_receive_time: '2026-11-20 16:01:00', nationcode: '86', mobile: '13800000000', report_status: 'FAIL', errmsg: 'MK:0005', description: '空号', sid: outcome.providerMessageId }],
    })
    expect(res.json()).toEqual({ result: 0, errmsg: 'OK' })
    const failed = await loggedEvents(chorus, ws, 'Message Failed')
    expect(failed).toEqual([expect.objectContaining({ properties: expect.objectContaining({ messageId: outcome.messageId, stage: 'delivery', code: 'MK:0005', reason: 'MK:0005 空号', retryable: false }) })])
  })

  it('takes generic receipts, reports unmatched ids, and refuses a forged key', async () => {
    const { ws, outcome } = await smsSetUp('aliyun_sms')
    const path = await receiptPath(ws, 'generic')
    const res = await chorus.app.inject({ method: 'POST', url: path, payload: { receipts: [{ messageId: outcome.messageId, status: 'delivered', at: '2026-11-20T08:00:09Z' }, { providerMessageId: 'nope', status: 'failed' }] } })
    expect(res.json()).toEqual({ recorded: 1, unmatched: ['nope'] })
    expect(await loggedEvents(chorus, ws, 'Message Delivered')).toHaveLength(1)
    const forged = path.replace(/key=([^&]+)/, (_m, key: string) => `key=${encodeURIComponent(decodeURIComponent(key).slice(0, -2) + 'xx')}`)
    expect((await chorus.app.inject({ method: 'POST', url: forged, payload: { messageId: outcome.messageId, status: 'failed' } })).statusCode).toBe(401)
    // Another workspace's key cannot report on this workspace's messages.
    const other = await newWorkspace(chorus)
    await configureChannels(chorus, other)
    const otherPath = await receiptPath(other, 'generic')
    expect((await chorus.app.inject({ method: 'POST', url: otherPath, payload: { messageId: outcome.messageId, status: 'failed' } })).json()).toEqual({ recorded: 0, unmatched: [outcome.messageId] })
    const bad = await chorus.app.inject({ method: 'POST', url: path.replace('/generic', '/aliyun'), payload: { not: 'an array' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('Not a aliyun delivery report')
  })

  describe('inbox', () => {
    const inboxSetUp = async () => {
      const ws = await newWorkspace(chorus)
      const settings = await configureChannels(chorus, ws)
      const templateId = await addTemplate(chorus, ws, { name: 'n', variants: { inbox: { title: '{{ profile.name }}，会员日到了', body: '全场八折 https://shop.example.com/vip', url: 'https://shop.example.com/vip', data: { badge: 'VIP' } } } })
      const userId = `app-${Math.random().toString(36).slice(2)}`
      const profileId = await identify(chorus, ws, userId, { name: '李雷' })
      const hash = createHmac('sha256', settings.inboxKey as string).update(`user_id:${userId}`).digest('hex')
      return { ws, templateId, userId, profileId, hash }
    }

    it('lets an app read the inbox with its write key and the user hash, and mark messages read', async () => {
      const { ws, templateId, userId, profileId, hash } = await inboxSetUp()
      const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'inbox', templateId, idempotencyKey: 'vip:1', journeyId: 'jrn_vip', nodeId: 'in1' })
      expect(outcome.kind).toBe('Sent')
      const url = `/api/v1/inbox?type=user_id&value=${userId}`
      expect((await chorus.app.inject({ method: 'GET', url, headers: ws.basic })).statusCode).toBe(401)
      expect((await chorus.app.inject({ method: 'GET', url, headers: { ...ws.basic, 'x-chorus-user-hash': '0'.repeat(64) } })).statusCode).toBe(401)
      const read = await chorus.app.inject({ method: 'GET', url, headers: { ...ws.basic, 'x-chorus-user-hash': hash } })
      expect(read.statusCode).toBe(200)
      const inbox = read.json()
      expect(inbox.unread).toBe(1)
      expect(inbox.items).toEqual([
        { id: outcome.messageId, title: '李雷，会员日到了', body: expect.stringMatching(/^全场八折 https:\/\/chorus\.example\.com\/r\//), url: expect.stringMatching(/^https:\/\/chorus\.example\.com\/r\//), data: { badge: 'VIP' }, createdAt: expect.any(String), readAt: null },
      ])
      const mark = await chorus.app.inject({ method: 'POST', url: '/api/v1/inbox/read', headers: { ...ws.basic, 'x-chorus-user-hash': hash }, payload: { type: 'user_id', value: userId, ids: [outcome.messageId] } })
      expect(mark.json()).toEqual({ marked: 1 })
      const again = await chorus.app.inject({ method: 'POST', url: '/api/v1/inbox/read', headers: { ...ws.basic, 'x-chorus-user-hash': hash }, payload: { type: 'user_id', value: userId, all: true } })
      expect(again.json()).toEqual({ marked: 0 })
      expect((await loggedEvents(chorus, ws, 'Message Opened')).map((e) => e.properties)).toEqual([expect.objectContaining({ messageId: outcome.messageId, channel: 'inbox', via: 'inbox', journeyId: 'jrn_vip', nodeId: 'in1' })])
      const admin = (await chorus.app.inject({ method: 'GET', url: `/api/v1/inbox/${profileId}`, headers: ws.bearer })).json()
      expect(admin).toMatchObject({ unread: 0, items: [expect.objectContaining({ id: outcome.messageId, readAt: expect.any(String) })] })
    })

    it('needs no user hash when the workspace turns verification off, and shows nothing to another workspace', async () => {
      const { ws, templateId, userId, profileId } = await inboxSetUp()
      await configureChannels(chorus, ws, { inboxVerification: false })
      await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'inbox', templateId, idempotencyKey: 'vip:2' })
      const read = await chorus.app.inject({ method: 'GET', url: `/api/v1/inbox?type=user_id&value=${userId}`, headers: { 'x-write-key': ws.writeKey } })
      expect(read.json().items).toHaveLength(1)
      const other = await newWorkspace(chorus)
      await configureChannels(chorus, other, { inboxVerification: false })
      expect((await chorus.app.inject({ method: 'GET', url: `/api/v1/inbox?type=user_id&value=${userId}`, headers: other.basic })).json()).toEqual({ items: [], unread: 0, nextCursor: null })
    })
    it('erases the inbox, consent and message addresses of deleted people', async () => {
      const { ws, templateId, profileId } = await inboxSetUp()
      const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'inbox', templateId, idempotencyKey: 'vip:erase' })
      await chorus.app.inject({ method: 'PUT', url: `/api/v1/channels/consents/${profileId}`, headers: ws.bearer, payload: { channel: 'email', state: 'unsubscribed' } })
      expect(await eraseChannelData(chorus.ctx.database.db, ws.workspaceId, [profileId])).toEqual({ messages: 1 })
      const message = (await chorus.app.inject({ method: 'GET', url: `/api/v1/channels/messages/${outcome.messageId}`, headers: ws.bearer })).json()
      expect(message).toMatchObject({ status: 'sent', profileId: null, recipient: null, content: null, links: [] })
      const inbox = await chorus.app.inject({ method: 'GET', url: `/api/v1/inbox/${profileId}`, headers: ws.bearer })
      expect(inbox.json()).toMatchObject({ items: [], unread: 0 })
      const consents = await chorus.ctx.database.db.selectFrom('channel_consents').selectAll().where('workspace_id', '=', ws.workspaceId).execute()
      expect(consents).toEqual([])
    })
  })
})
