import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendMessage } from '../../src/channels/index.ts'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { startSmtpSink } from './support/fakes.ts'
import { parseMail } from './support/mime.ts'
import { addProvider, addTemplate, configureChannels, identify, loggedEvents, trackedPath } from './support/setup.ts'

const WELCOME = {
  name: 'Welcome',
  variants: {
    email: {
      subject: '{{ profile.name }}，欢迎加入和声',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>你好 {{ profile.name }}！</mj-text><mj-button href="https://shop.example.com/new?sku=42">看看新品</mj-button><mj-text><a href="{{ unsubscribe_url }}">退订</a></mj-text></mj-column></mj-section></mj-body></mjml>',
      text: '你好 {{ profile.name }}！新品：https://shop.example.com/new?sku=42 。',
    },
  },
}

describe.each(DIALECTS)('email delivery and tracking on %s', (dialect) => {
  let chorus: TestChorus
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    smtp = await startSmtpSink({ user: 'chorus', pass: 'smtp-password-1' })
  })
  afterAll(async () => {
    await smtp.close()
    await chorus.close()
  })

  const setUp = async (): Promise<{ ws: TestWorkspace; profileId: string; templateId: string }> => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    await addProvider(chorus, ws, { kind: 'smtp', settings: { host: '127.0.0.1', port: smtp.port, starttls: 'off', user: 'chorus', from: '和声优品 <news@hesheng.example>' }, secrets: { password: 'smtp-password-1' } })
    const templateId = await addTemplate(chorus, ws, WELCOME)
    const profileId = await identify(chorus, ws, `u-${Math.random()}`, { name: '李雷', email: 'li.lei@example.com' })
    return { ws, profileId, templateId }
  }

  it('delivers to the SMTP server with the name rendered and one-click unsubscribe headers', async () => {
    const { ws, profileId, templateId } = await setUp()
    const before = smtp.mails.length
    const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'welcome:1', journeyId: 'jrn_welcome', nodeId: 'n1' })
    expect(outcome).toMatchObject({ kind: 'Sent', duplicate: false })
    expect(smtp.mails.length).toBe(before + 1)
    const received = smtp.mails[smtp.mails.length - 1]!
    expect(received.to).toEqual(['li.lei@example.com'])
    expect(received.user).toBe('chorus')
    const mail = parseMail(received.raw)
    expect(mail.headers.get('subject')).toBe('李雷，欢迎加入和声')
    expect(mail.parts.get('text/html')).toContain('你好 李雷！')
    expect(mail.parts.get('text/plain')).toContain('你好 李雷！')
    expect(mail.headers.get('list-unsubscribe')).toMatch(/^<https:\/\/chorus\.example\.com\/u\/msg_[0-9a-z]+\.u0\.[A-Za-z0-9_-]{22}>$/)
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
    expect(mail.headers.get('message-id')).toBe(`<${outcome.messageId}@hesheng.example>`)
    const sent = await loggedEvents(chorus, ws, 'Message Sent')
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ profileId, channel: 'email', properties: { messageId: outcome.messageId, channel: 'email', journeyId: 'jrn_welcome', nodeId: 'n1', templateId, campaign: 'jrn_welcome', provider: 'smtp' } })
  })

  it('follows a tracked link to the landing page with UTM parameters and logs Message Clicked', async () => {
    const { ws, profileId, templateId } = await setUp()
    const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'welcome:2', journeyId: 'jrn_welcome', nodeId: 'n1', campaign: 'spring-launch' })
    const mail = parseMail(smtp.mails[smtp.mails.length - 1]!.raw)
    const html = mail.parts.get('text/html')!
    expect(html).not.toContain('https://shop.example.com')
    const path = trackedPath(html)
    // The plain-text part points to the same tracked link.
    expect(trackedPath(mail.parts.get('text/plain')!)).toBe(path)

    const click = await chorus.app.inject({ method: 'GET', url: path, headers: { 'user-agent': 'TestMail/1.0' } })
    expect(click.statusCode).toBe(302)
    const location = new URL(click.headers.location as string)
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example.com/new')
    expect(Object.fromEntries(location.searchParams)).toEqual({ sku: '42', utm_source: 'chorus/email', utm_medium: 'email', utm_campaign: 'spring-launch' })

    const clicks = await loggedEvents(chorus, ws, 'Message Clicked')
    expect(clicks).toHaveLength(1)
    expect(clicks[0]).toMatchObject({
      profileId,
      channel: 'email',
      properties: { messageId: outcome.messageId, journeyId: 'jrn_welcome', nodeId: 'n1', channel: 'email', url: 'https://shop.example.com/new?sku=42', templateId, campaign: 'spring-launch', userAgent: 'TestMail/1.0' },
    })
  })

  it('records an open when the pixel loads', async () => {
    const { ws, profileId, templateId } = await setUp()
    const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'welcome:3' })
    const html = parseMail(smtp.mails[smtp.mails.length - 1]!.raw).parts.get('text/html')!
    const pixel = html.match(/src="https:\/\/chorus\.example\.com(\/o\/[^"]+\.gif)"/)?.[1]
    expect(pixel).toBeDefined()
    const res = await chorus.app.inject({ method: 'GET', url: pixel! })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/gif')
    expect(res.rawPayload.subarray(0, 6).toString()).toBe('GIF89a')
    const opens = await loggedEvents(chorus, ws, 'Message Opened')
    expect(opens.map((e) => e.properties)).toEqual([expect.objectContaining({ messageId: outcome.messageId, channel: 'email', via: 'pixel' })])
  })

  it('answers 404 to forged, altered or misused tokens and logs nothing', async () => {
    const { ws, profileId, templateId } = await setUp()
    await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'welcome:4' })
    const path = trackedPath(parseMail(smtp.mails[smtp.mails.length - 1]!.raw).parts.get('text/html')!)
    const token = path.slice('/r/'.length)
    const [messageId, kind, mac] = token.split('.') as [string, string, string]
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`
    const attempts = [
      `/r/${messageId}.${kind}.${flipped}`, // altered signature
      `/r/${messageId}.c1.${mac}`, // another link index under the same signature
      `/r/msg_01jzzzzzzzzzzzzzzzzzzzzzzz.c0.${mac}`, // no such message
      `/r/${messageId}.${kind}`, // unsigned
      `/u/${token}`, // a click token used to unsubscribe
      `/o/${token}.gif`, // a click token used as a pixel
    ]
    for (const url of attempts) {
      const res = await chorus.app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(404)
    }
    const oneClick = await chorus.app.inject({ method: 'POST', url: `/u/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
    expect(oneClick.statusCode).toBe(404)
    expect(await loggedEvents(chorus, ws, 'Message Clicked')).toEqual([])
    expect(await loggedEvents(chorus, ws, 'Unsubscribed')).toEqual([])
  })
})
