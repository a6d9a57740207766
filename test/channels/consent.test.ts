import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadContactProfile, resolveChannel, sendMessage } from '../../src/channels/index.ts'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { startHttpFake, startSmtpSink } from './support/fakes.ts'
import { addProvider, addTemplate, configureChannels, identify, loggedEvents } from './support/setup.ts'

describe.each(DIALECTS)('consent and channel choice on %s', (dialect) => {
  let chorus: TestChorus
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>
  let aliyun: Awaited<ReturnType<typeof startHttpFake>>
  let wechat: Awaited<ReturnType<typeof startHttpFake>>
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    smtp = await startSmtpSink()
    aliyun = await startHttpFake(() => ({ json: { Code: 'OK', Message: 'OK', BizId: `biz-${aliyun.requests.length}`, RequestId: 'r' } }))
    wechat = await startHttpFake((r) => (r.path === '/cgi-bin/token' ? { json: { access_token: 'TOKEN-1', expires_in: 7200 } } : { json: { errcode: 0, errmsg: 'ok', msgid: 200228332 } }))
  })
  afterAll(async () => {
    await Promise.all([smtp.close(), aliyun.close(), wechat.close()])
    await chorus.close()
  })

  const setUp = async () => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    await addProvider(chorus, ws, { kind: 'smtp', settings: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: 'Brand <news@brand.example>' } })
    await addProvider(chorus, ws, { kind: 'aliyun_sms', settings: { endpoint: aliyun.url, accessKeyId: 'LTAI-test', signName: '和声' }, secrets: { accessKeySecret: 'aliyun-secret-value' } })
    await addProvider(chorus, ws, { kind: 'wechat_template', settings: { baseUrl: wechat.url, appId: 'wx-app-1' }, secrets: { appSecret: 'wechat-app-secret' } })
    const templateId = await addTemplate(chorus, ws, {
      name: 'Sale',
      variants: {
        email: { subject: 'Sale for {{ profile.name }}', html: '<p>Hi {{ profile.name }}</p>' },
        sms: { text: '{{ profile.name }}，周末特卖', templateCode: 'SMS_100', params: { name: '{{ profile.name }}' } },
        wechat: { templateId: 'TPL-SALE', url: 'https://shop.example.com/sale', data: { thing1: '{{ profile.name }}的专属特卖' } },
      },
    })
    return { ws, templateId }
  }
  const person = (ws: TestWorkspace, traits: Record<string, unknown>) => identify(chorus, ws, `u-${Math.random()}`, { name: '王芳', ...traits })

  it('blocks a send to a person who unsubscribed, records the reason and calls no provider', async () => {
    const { ws, templateId } = await setUp()
    const email = `wang.${Math.random().toString(36).slice(2)}@example.com`
    const profileId = await person(ws, { email })
    const put = await chorus.app.inject({ method: 'PUT', url: `/api/v1/channels/consents/${profileId}`, headers: ws.bearer, payload: { channel: 'email', state: 'unsubscribed', source: 'crm' } })
    expect(put.json()).toMatchObject({ state: 'unsubscribed', changed: true })
    const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'sale:1', journeyId: 'jrn_sale', nodeId: 'email' })
    expect(outcome).toMatchObject({ kind: 'Blocked', code: 'Unsubscribed', duplicate: false })
    expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(0)
    const listed = (await chorus.app.inject({ method: 'GET', url: `/api/v1/channels/messages?profileId=${profileId}`, headers: ws.bearer })).json().items
    expect(listed).toEqual([expect.objectContaining({ id: outcome.messageId, status: 'blocked', reasonCode: 'Unsubscribed', reason: 'The person unsubscribed from email' })])
    const blocked = await loggedEvents(chorus, ws, 'Message Blocked')
    expect(blocked).toEqual([expect.objectContaining({ profileId, properties: expect.objectContaining({ messageId: outcome.messageId, code: 'Unsubscribed', journeyId: 'jrn_sale', nodeId: 'email' }) })])
    expect((await loggedEvents(chorus, ws, 'Unsubscribed')).map((e) => e.properties)).toEqual([{ channel: 'email', source: 'crm' }])
  })

  it('stops later sends after a one-click unsubscribe POST, and a GET of the link changes nothing', async () => {
    const { ws, templateId } = await setUp()
    const email = `li.${Math.random().toString(36).slice(2)}@example.com`
    const profileId = await person(ws, { email })
    const first = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'sale:a', journeyId: 'jrn_sale', nodeId: 'n1' })
    expect(first.kind).toBe('Sent')
    const raw = smtp.mails.filter((m) => m.to.includes(email))[0]!.raw.replace(/\r?\n[ \t]+/g, ' ')
    const unsubscribe = raw.match(/List-Unsubscribe: <https:\/\/chorus\.example\.com(\/u\/[^>]+)>/)?.[1]
    expect(unsubscribe).toBeDefined()

    const page = await chorus.app.inject({ method: 'GET', url: unsubscribe! })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<form method="post">')
    expect(await loggedEvents(chorus, ws, 'Unsubscribed')).toEqual([])

    // What a mail client sends for RFC 8058 one-click.
    const click = await chorus.app.inject({ method: 'POST', url: unsubscribe!, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
    expect(click.statusCode).toBe(200)
    const events = await loggedEvents(chorus, ws, 'Unsubscribed')
    expect(events).toEqual([expect.objectContaining({ profileId, channel: 'email', properties: expect.objectContaining({ channel: 'email', source: 'one_click', messageId: first.messageId, journeyId: 'jrn_sale', nodeId: 'n1', templateId }) })])
    // Repeating the POST is harmless.
    await chorus.app.inject({ method: 'POST', url: unsubscribe!, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
    expect(await loggedEvents(chorus, ws, 'Unsubscribed')).toHaveLength(1)

    const later = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'sale:b' })
    expect(later).toMatchObject({ kind: 'Blocked', code: 'Unsubscribed' })
    expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(1)
    // Unsubscribing from email leaves SMS alone.
    const consent = (await chorus.app.inject({ method: 'GET', url: `/api/v1/channels/consents/${profileId}`, headers: ws.bearer })).json()
    expect(consent.channels.email).toMatchObject({ state: 'unsubscribed', source: 'one_click' })
    expect(consent.channels.sms).toMatchObject({ state: 'unknown' })
  })

  it('blocks every channel for a do-not-contact person', async () => {
    const { ws, templateId } = await setUp()
    const profileId = await person(ws, { email: `x.${Math.random().toString(36).slice(2)}@example.com`, phone: '13800138001' })
    const res = await chorus.app.inject({ method: 'PUT', url: `/api/v1/channels/consents/${profileId}/do-not-contact`, headers: ws.bearer, payload: { doNotContact: true, reason: 'complaint to 12321' } })
    expect(res.statusCode).toBe(200)
    for (const channel of ['email', 'sms'] as const) {
      const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel, templateId, idempotencyKey: `dnc:${channel}` })
      expect(outcome).toMatchObject({ kind: 'Blocked', code: 'DoNotContact' })
      expect(outcome.kind === 'Blocked' && outcome.reason).toContain('complaint to 12321')
    }
    // Transactional messages honour do-not-contact too.
    expect(await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'dnc:tx', category: 'transactional' })).toMatchObject({ kind: 'Blocked', code: 'DoNotContact' })
  })

  it('sends a transactional message to a person unsubscribed from marketing, without List-Unsubscribe', async () => {
    const { ws, templateId } = await setUp()
    const email = `tx.${Math.random().toString(36).slice(2)}@example.com`
    const profileId = await person(ws, { email })
    await chorus.app.inject({ method: 'PUT', url: `/api/v1/channels/consents/${profileId}`, headers: ws.bearer, payload: { channel: 'email', state: 'unsubscribed' } })
    expect(await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'tx:1', category: 'transactional' })).toMatchObject({ kind: 'Sent' })
    const mail = smtp.mails.find((m) => m.to.includes(email))!
    expect(mail.raw).not.toMatch(/List-Unsubscribe/i)
  })

  it('falls back from WeChat to SMS for a person with no openid', async () => {
    const { ws, templateId } = await setUp()
    const noOpenid = await person(ws, { phone: '138 0013 8002' })
    const withOpenid = await person(ws, { phone: '13800138003', wechat_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' })
    const a = await loadContactProfile(chorus.ctx, ws.workspaceId, noOpenid)
    const b = await loadContactProfile(chorus.ctx, ws.workspaceId, withOpenid)
    const choiceA = resolveChannel(a!, ['wechat', 'sms'])
    expect(choiceA).toMatchObject({ kind: 'Reachable', channel: 'sms', recipient: '+8613800138002' })
    expect(resolveChannel(b!, ['wechat', 'sms'])).toMatchObject({ kind: 'Reachable', channel: 'wechat', recipient: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' })
    expect(resolveChannel(a!, ['wechat'])).toEqual({ kind: 'Unreachable', tried: [{ channel: 'wechat', code: 'NoRecipient', reason: 'The person has no Official Account openid' }] })

    const before = aliyun.requests.length
    const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId: noOpenid, channel: choiceA.kind === 'Reachable' ? choiceA.channel : 'wechat', templateId, idempotencyKey: 'sale:fallback' })
    expect(outcome).toMatchObject({ kind: 'Sent', providerMessageId: `biz-${before + 1}` })
    const form = new URLSearchParams(aliyun.requests[aliyun.requests.length - 1]!.body)
    expect(form.get('PhoneNumbers')).toBe('13800138002')
    expect(JSON.parse(form.get('TemplateParam')!)).toEqual({ name: '王芳' })
    expect(wechat.requests.filter((r) => r.path.includes('template/send'))).toHaveLength(0)
  })

  it("tries the person's own preferred channel first, and skips unsubscribed channels", async () => {
    const { ws } = await setUp()
    const profileId = await person(ws, { phone: '13800138004', email: `p.${Math.random().toString(36).slice(2)}@example.com`, preferred_channel: 'email' })
    let contact = await loadContactProfile(chorus.ctx, ws.workspaceId, profileId)
    expect(resolveChannel(contact!, ['sms', 'email'])).toMatchObject({ channel: 'email' })
    await chorus.app.inject({ method: 'PUT', url: `/api/v1/channels/consents/${profileId}`, headers: ws.bearer, payload: { channel: 'email', state: 'unsubscribed' } })
    contact = await loadContactProfile(chorus.ctx, ws.workspaceId, profileId)
    const choice = resolveChannel(contact!, ['email', 'sms'])
    expect(choice).toMatchObject({ kind: 'Reachable', channel: 'sms' })
    const reach = (await chorus.app.inject({ method: 'GET', url: `/api/v1/channels/reach/${profileId}?order=email,sms`, headers: ws.bearer })).json()
    expect(reach.channels.email).toMatchObject({ kind: 'Unreachable', code: 'Unsubscribed' })
    expect(reach.resolution).toMatchObject({ kind: 'Reachable', channel: 'sms' })
  })

  it('sends only to opted-in people on a channel that requires opt-in', async () => {
    const { ws, templateId } = await setUp()
    await configureChannels(chorus, ws, { requireOptIn: ['sms'] })
    const profileId = await person(ws, { phone: '13800138005' })
    expect(await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'sms', templateId, idempotencyKey: 'optin:1' })).toMatchObject({ kind: 'Blocked', code: 'NotOptedIn' })
    await chorus.app.inject({ method: 'PUT', url: `/api/v1/channels/consents/${profileId}`, headers: ws.bearer, payload: { channel: 'sms', state: 'subscribed', source: 'signup_form' } })
    expect(await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'sms', templateId, idempotencyKey: 'optin:2' })).toMatchObject({ kind: 'Sent' })
    expect((await loggedEvents(chorus, ws, 'Subscribed')).map((e) => e.properties)).toEqual([{ channel: 'sms', source: 'signup_form' }])
  })
})
