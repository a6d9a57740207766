import { createHash } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendMessage } from '../../src/channels/index.ts'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { startHttpFake } from './support/fakes.ts'
import { addProvider, addTemplate, configureChannels, identify, loggedEvents } from './support/setup.ts'

const TOKEN = 'chorusPush2026'

/**
 * WeChat delivery receipts over real HTTP: Chorus listens on loopback, and the test posts what
 * WeChat's servers post to an account's server URL, signed as they sign it.
 */
describe.each(DIALECTS)('WeChat delivery receipts on %s', (dialect) => {
  let chorus: TestChorus
  let base: string
  let wechat: Awaited<ReturnType<typeof startHttpFake>>
  let nextMsgId = 200163836
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    await chorus.app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(chorus.app.server.address() as AddressInfo).port}`
    wechat = await startHttpFake((r) => (r.path === '/cgi-bin/token' ? { json: { access_token: 'AT', expires_in: 7200 } } : { json: { errcode: 0, errmsg: 'ok', msgid: nextMsgId++ } }))
  })
  afterAll(async () => {
    await wechat.close()
    await chorus.close()
  })

  /** WeChat's signature, written out here rather than taken from the code under test. */
  const signedQuery = (token: string, extra: Record<string, string> = {}) => {
    const timestamp = '1763625600'
    const nonce = String(Math.floor(Math.random() * 1e9))
    const signature = createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex')
    return new URLSearchParams({ signature, timestamp, nonce, ...extra })
  }
  const push = (providerId: string, xml: string, query = signedQuery(TOKEN)) =>
    fetch(`${base}/api/v1/channels/receipts/wechat/${providerId}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml })
  const templateFinished = (openid: string, msgId: string, status: string) =>
    `<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>1763625605</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>${msgId}</MsgID><Status><![CDATA[${status}]]></Status></xml>`

  const officialAccount = async (secrets: Record<string, string> = { token: TOKEN }) => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    const providerId = await addProvider(chorus, ws, { kind: 'wechat_template', settings: { baseUrl: wechat.url, appId: `wx-${Math.random()}` }, secrets: { appSecret: 'wechat-secret', ...secrets } })
    const templateId = await addTemplate(chorus, ws, { name: 't', variants: { wechat: { templateId: 'TPL-OA', data: { thing1: '您的订单已发货' } } } })
    return { ws, providerId, templateId }
  }
  const sendWechat = async (ws: TestWorkspace, templateId: string, openid: string, key: string) => {
    const profileId = await identify(chorus, ws, `u-${openid}`, { wechat_openid: openid })
    const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'wechat', templateId, idempotencyKey: key, journeyId: 'jrn_wx', nodeId: 'wx1' })
    if (outcome.kind !== 'Sent') throw new Error(JSON.stringify(outcome))
    return { profileId, outcome }
  }
  const receiptEvents = async (ws: TestWorkspace) => [...(await loggedEvents(chorus, ws, 'Message Delivered')), ...(await loggedEvents(chorus, ws, 'Message Failed'))]

  it("answers WeChat's server URL check with echostr only when the signature holds", async () => {
    const { providerId } = await officialAccount()
    const ok = await fetch(`${base}/api/v1/channels/receipts/wechat/${providerId}?${signedQuery(TOKEN, { echostr: '5837397520521790' })}`)
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('5837397520521790')
    const forged = await fetch(`${base}/api/v1/channels/receipts/wechat/${providerId}?${signedQuery('another-token', { echostr: '5837397520521790' })}`)
    expect(forged.status).toBe(403)
    expect(await forged.text()).not.toContain('5837397520521790')
    // A provider without a Token takes no pushes at all.
    const { providerId: tokenless } = await officialAccount({})
    expect((await fetch(`${base}/api/v1/channels/receipts/wechat/${tokenless}?${signedQuery(TOKEN, { echostr: '1' })}`)).status).toBe(403)
  })

  it('records TEMPLATESENDJOBFINISH success as Message Delivered, attributed like SMS receipts, once across retries', async () => {
    const { ws, providerId, templateId } = await officialAccount()
    const { profileId, outcome } = await sendWechat(ws, templateId, 'oia2TjuEGTNoeX76QEjQNrcURxG8', 'wx:1')
    expect(outcome.providerMessageId).toMatch(/^\d+$/)
    const xml = templateFinished('oia2TjuEGTNoeX76QEjQNrcURxG8', outcome.providerMessageId, 'success')
    // WeChat retries a push up to three times when it is not answered in time.
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await push(providerId, xml)
      expect(res.status).toBe(200)
      expect(await res.text()).toBe('success')
    }
    expect(await receiptEvents(ws)).toEqual([
      expect.objectContaining({
        event: 'Message Delivered',
        profileId,
        channel: 'wechat',
        properties: expect.objectContaining({ messageId: outcome.messageId, journeyId: 'jrn_wx', nodeId: 'wx1', channel: 'wechat', provider: 'wechat_template' }),
      }),
    ])
    const message = (await chorus.app.inject({ method: 'GET', url: `/api/v1/channels/messages/${outcome.messageId}`, headers: ws.bearer })).json()
    expect(message.deliveredAt).toBe(new Date(1763625605_000).toISOString())
  })

  it('records failed:user block as Message Failed at the delivery stage', async () => {
    const { ws, providerId, templateId } = await officialAccount()
    const { outcome } = await sendWechat(ws, templateId, 'o-blocked', 'wx:2')
    expect((await push(providerId, templateFinished('o-blocked', outcome.providerMessageId, 'failed:user block'))).status).toBe(200)
    expect(await receiptEvents(ws)).toEqual([
      expect.objectContaining({ event: 'Message Failed', properties: expect.objectContaining({ messageId: outcome.messageId, stage: 'delivery', code: 'failed:user block', retryable: false, journeyId: 'jrn_wx' }) }),
    ])
  })

  it('refuses a push with a wrong or missing signature with 403 and records nothing', async () => {
    const { ws, providerId, templateId } = await officialAccount()
    const { outcome } = await sendWechat(ws, templateId, 'o-forged', 'wx:3')
    const xml = templateFinished('o-forged', outcome.providerMessageId, 'success')
    expect((await push(providerId, xml, signedQuery('not-the-token'))).status).toBe(403)
    const tampered = signedQuery(TOKEN)
    tampered.set('nonce', '1')
    expect((await push(providerId, xml, tampered)).status).toBe(403)
    expect((await push(providerId, xml, new URLSearchParams())).status).toBe(403)
    expect(await receiptEvents(ws)).toEqual([])
  })

  it("answers success and records nothing for an unknown MsgID, another provider's MsgID, or a push that is no receipt", async () => {
    const { ws, providerId, templateId } = await officialAccount()
    const { outcome } = await sendWechat(ws, templateId, 'o-other', 'wx:4')
    const unknown = await push(providerId, templateFinished('o-other', '99999999999', 'success'))
    expect(unknown.status).toBe(200)
    expect(await unknown.text()).toBe('success')
    // The same MsgID pushed for a second account of the workspace is not this message's.
    const second = await addProvider(chorus, ws, { kind: 'wechat_template', name: 'Second account', settings: { baseUrl: wechat.url, appId: 'wx-second' }, secrets: { appSecret: 's', token: TOKEN } })
    expect((await push(second, templateFinished('o-other', outcome.providerMessageId, 'success'))).status).toBe(200)
    const text = await push(providerId, '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o-other]]></FromUserName><CreateTime>1763625605</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[退订]]></Content><MsgId>1234567890123456</MsgId></xml>')
    expect(await text.text()).toBe('success')
    expect(await receiptEvents(ws)).toEqual([])
  })

  it('refuses DOCTYPE and entity declarations, recording nothing', async () => {
    const { ws, providerId, templateId } = await officialAccount()
    const { outcome } = await sendWechat(ws, templateId, 'o-xxe', 'wx:5')
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY s SYSTEM "file:///etc/passwd">]>${templateFinished('o-xxe', outcome.providerMessageId, 'success').replace('<Status><![CDATA[success]]></Status>', '<Status>&s;</Status>')}`
    const res = await push(providerId, xxe)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('DOCTYPE')
    const entity = await push(providerId, templateFinished('o-xxe', outcome.providerMessageId, 'success').replace('<Status><![CDATA[success]]></Status>', '<Status>&s;</Status>'))
    expect(entity.status).toBe(400)
    expect(await receiptEvents(ws)).toEqual([])
  })

  it('records each message of a mini-program subscribe_msg_sent_event', async () => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    const providerId = await addProvider(chorus, ws, { kind: 'wechat_subscribe', settings: { baseUrl: wechat.url, appId: 'wx-mini' }, secrets: { appSecret: 'mini-secret', token: TOKEN } })
    const templateId = await addTemplate(chorus, ws, { name: 't', variants: { wechat_mini: { templateId: 'TPL-MINI', page: 'pages/index', data: { thing1: '已发货' } } } })
    const sends = []
    for (const openid of ['o-mini-a', 'o-mini-b']) {
      const profileId = await identify(chorus, ws, `u-${openid}`, { wechat_openid: openid })
      const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'wechat_mini', templateId, idempotencyKey: `mini:${openid}`, journeyId: 'jrn_mini', nodeId: 'm1' })
      if (outcome.kind !== 'Sent') throw new Error(JSON.stringify(outcome))
      sends.push(outcome)
    }
    const item = (msgId: string, code: number, status: string) => `<List><TemplateId><![CDATA[TPL-MINI]]></TemplateId><MsgID>${msgId}</MsgID><ErrorCode>${code}</ErrorCode><ErrorStatus><![CDATA[${status}]]></ErrorStatus></List>`
    const xml = `<xml><ToUserName><![CDATA[gh_df0deeb82b8a]]></ToUserName><FromUserName><![CDATA[o-mini-a]]></FromUserName><CreateTime>1763625610</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_sent_event]]></Event><SubscribeMsgSentEvent>${item(sends[0]!.providerMessageId, 0, 'success')}${item(sends[1]!.providerMessageId, 43101, 'failed:user refuse to accept the msg')}</SubscribeMsgSentEvent></xml>`
    expect(await (await push(providerId, xml)).text()).toBe('success')
    expect(await (await push(providerId, xml)).text()).toBe('success')
    expect(await receiptEvents(ws)).toEqual([
      expect.objectContaining({ event: 'Message Delivered', channel: 'wechat_mini', properties: expect.objectContaining({ messageId: sends[0]!.messageId, nodeId: 'm1', provider: 'wechat_subscribe' }) }),
      expect.objectContaining({ event: 'Message Failed', channel: 'wechat_mini', properties: expect.objectContaining({ messageId: sends[1]!.messageId, code: '43101', reason: '43101 failed:user refuse to accept the msg', stage: 'delivery' }) }),
    ])
  })
})
