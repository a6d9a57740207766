import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendMessage } from '../../src/channels/index.ts'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus } from '../support/chorus.ts'
import { startHttpFake, startSmtpSink } from './support/fakes.ts'
import { addProvider, addTemplate, configureChannels, identify } from './support/setup.ts'

describe.each(DIALECTS)('provider configuration API on %s', (dialect) => {
  let chorus: TestChorus
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>
  let aliyun: Awaited<ReturnType<typeof startHttpFake>>
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    smtp = await startSmtpSink({ user: 'mailer', pass: 'first-password-123' })
    aliyun = await startHttpFake(() => ({ json: { Code: 'OK', Message: 'OK', BizId: 'b', RequestId: 'r' } }))
  })
  afterAll(async () => {
    await Promise.all([smtp.close(), aliyun.close()])
    await chorus.close()
  })

  const smtpConfig = () => ({ name: 'Mail', kind: 'smtp', settings: { host: '127.0.0.1', port: smtp.port, starttls: 'off', user: 'mailer', from: 'Brand <news@brand.example>' }, secrets: { password: 'first-password-123' } })

  it('never returns a secret in full', async () => {
    const ws = await newWorkspace(chorus)
    const created = await chorus.app.inject({ method: 'POST', url: '/api/v1/channels/providers', headers: ws.bearer, payload: smtpConfig() })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({ kind: 'smtp', channel: 'email', settings: { host: '127.0.0.1', port: smtp.port, from: 'Brand <news@brand.example>' }, secrets: { password: '****-123' } })
    const id = created.json().id
    const bodies = [
      created.body,
      (await chorus.app.inject({ method: 'GET', url: '/api/v1/channels/providers', headers: ws.bearer })).body,
      (await chorus.app.inject({ method: 'GET', url: `/api/v1/channels/providers/${id}`, headers: ws.bearer })).body,
      (await chorus.app.inject({ method: 'PATCH', url: `/api/v1/channels/providers/${id}`, headers: ws.bearer, payload: { name: 'Mail 2' } })).body,
    ]
    for (const body of bodies) expect(body).not.toContain('first-password-123')
  })

  it('merges changes, keeping secrets that are left out, and sends with the new ones', async () => {
    const ws = await newWorkspace(chorus)
    const id = await addProvider(chorus, ws, smtpConfig())
    const renamed = await chorus.app.inject({ method: 'PATCH', url: `/api/v1/channels/providers/${id}`, headers: ws.bearer, payload: { settings: { from: 'Shop <shop@brand.example>' } } })
    expect(renamed.json()).toMatchObject({ settings: { from: 'Shop <shop@brand.example>', host: '127.0.0.1' }, secrets: { password: '****-123' } })
    const test = await chorus.app.inject({ method: 'POST', url: `/api/v1/channels/providers/${id}/test`, headers: ws.bearer, payload: { to: 'ops@brand.example' } })
    expect(test.json().result).toMatchObject({ kind: 'Sent' })
    const mail = smtp.mails.find((m) => m.to.includes('ops@brand.example'))!
    expect(mail.user).toBe('mailer')
    expect(mail.from).toBe('shop@brand.example')
    expect(mail.raw).toContain('Chorus test: Mail')
    // A wrong password is reported, not thrown.
    await chorus.app.inject({ method: 'PATCH', url: `/api/v1/channels/providers/${id}`, headers: ws.bearer, payload: { secrets: { password: 'wrong-password-000' } } })
    const refused = await chorus.app.inject({ method: 'POST', url: `/api/v1/channels/providers/${id}/test`, headers: ws.bearer, payload: { to: 'ops@brand.example' } })
    expect(refused.json().result).toMatchObject({ kind: 'Failed', retryable: false })
  })

  it('refuses an invalid configuration naming the field', async () => {
    const ws = await newWorkspace(chorus)
    const missing = await chorus.app.inject({ method: 'POST', url: '/api/v1/channels/providers', headers: ws.bearer, payload: { name: 'x', kind: 'smtp', settings: { host: 'smtp.example.com' } } })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.message).toContain('settings.from')
    const short = await chorus.app.inject({ method: 'POST', url: '/api/v1/channels/providers', headers: ws.bearer, payload: { name: 'x', kind: 'webhook', settings: { url: 'https://crm.example.com/h' }, secrets: { signingSecret: 'short' } } })
    expect(short.statusCode).toBe(400)
    expect(short.json().error.message).toContain('at least 16 characters')
    const id = await addProvider(chorus, ws, smtpConfig())
    const badPatch = await chorus.app.inject({ method: 'PATCH', url: `/api/v1/channels/providers/${id}`, headers: ws.bearer, payload: { settings: { port: 0 } } })
    expect(badPatch.statusCode).toBe(400)
    expect(badPatch.json().error.message).toContain('settings.port')
  })

  it('sends through the default provider of a channel, and tests an SMS template with sample traits', async () => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    const dead = await addProvider(chorus, ws, { kind: 'aliyun_sms', settings: { endpoint: await closedPort(), accessKeyId: 'k1', signName: '旧签名' }, secrets: { accessKeySecret: 's' } })
    const live = await addProvider(chorus, ws, { kind: 'aliyun_sms', isDefault: true, settings: { endpoint: aliyun.url, accessKeyId: 'k2', signName: '和声' }, secrets: { accessKeySecret: 's' } })
    const templateId = await addTemplate(chorus, ws, { name: 'n', variants: { sms: { text: '{{ profile.name }}您好', templateCode: 'SMS_9', params: { name: '{{ profile.name }}' } } } })
    const profileId = await identify(chorus, ws, 'u-default', { name: '张三', phone: '13900001111' })
    const n = aliyun.requests.length
    expect(await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'sms', templateId, idempotencyKey: 'd:1' })).toMatchObject({ kind: 'Sent' })
    expect(new URLSearchParams(aliyun.requests[n]!.body).get('AccessKeyId')).toBe('k2')
    // A send can name another provider of the channel.
    const viaDead = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'sms', templateId, idempotencyKey: 'd:2', providerId: dead })
    expect(viaDead).toMatchObject({ kind: 'Failed', retryable: true })

    const noContent = await chorus.app.inject({ method: 'POST', url: `/api/v1/channels/providers/${live}/test`, headers: ws.bearer, payload: { to: '+8613900002222' } })
    expect(noContent.statusCode).toBe(400)
    expect(noContent.json().error.code).toBe('ContentRequired')
    const tested = await chorus.app.inject({ method: 'POST', url: `/api/v1/channels/providers/${live}/test`, headers: ws.bearer, payload: { to: '+8613900002222', templateId, traits: { name: '测试' } } })
    expect(tested.json().result).toMatchObject({ kind: 'Sent' })
    const form = new URLSearchParams(aliyun.requests[aliyun.requests.length - 1]!.body)
    expect(form.get('PhoneNumbers')).toBe('13900002222')
    expect(JSON.parse(form.get('TemplateParam')!)).toEqual({ name: '测试' })
  })

  it('lets only admins change providers', async () => {
    const marketer = await newWorkspace(chorus, 'marketer')
    expect((await chorus.app.inject({ method: 'POST', url: '/api/v1/channels/providers', headers: marketer.bearer, payload: smtpConfig() })).statusCode).toBe(403)
    expect((await chorus.app.inject({ method: 'GET', url: '/api/v1/channels/providers', headers: marketer.bearer })).statusCode).toBe(200)
  })
})

/** An address nothing listens on: a port the OS just handed out and took back. */
async function closedPort(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
