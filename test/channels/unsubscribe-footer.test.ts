import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendMessage } from '../../src/channels/index.ts'
import { ChannelsSender } from '../../src/journeys/index.ts'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { startSmtpSink } from './support/fakes.ts'
import { parseMail, type ParsedMail } from './support/mime.ts'
import { addProvider, addTemplate, configureChannels, identify, loggedEvents, trackedPath } from './support/setup.ts'

const PLAIN = {
  name: '周末特卖',
  variants: {
    email: {
      subject: '{{ profile.name }}，周末特卖',
      html: '<html><body><p>{{ profile.name }}，全场八折。</p><p><a href="https://shop.example.com/sale">去看看</a></p></body></html>',
      text: '{{ profile.name }}，全场八折：https://shop.example.com/sale',
    },
  },
}
const OWN_LINK = {
  name: '新品',
  variants: {
    email: {
      subject: '新品上市',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>新品上市</mj-text><mj-text><a href="{{ unsubscribe_url }}">点此退订</a></mj-text></mj-column></mj-section></mj-body></mjml>',
      text: '新品上市。退订请访问 {{ unsubscribe_url }}',
    },
  },
}

const UNSUBSCRIBE_LINK = /https:\/\/chorus\.example\.com\/u\/msg_[0-9a-z]+\.u0\.[A-Za-z0-9_-]{22}/g
const occurrences = (text: string, what: string) => text.split(what).length - 1

describe.each(DIALECTS)('unsubscribe footer on marketing email on %s', (dialect) => {
  let chorus: TestChorus
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    smtp = await startSmtpSink()
  })
  afterAll(async () => {
    await smtp.close()
    await chorus.close()
  })

  const setUp = async (): Promise<{ ws: TestWorkspace; profileId: string; email: string }> => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    await addProvider(chorus, ws, { kind: 'smtp', settings: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: '和声优品 <news@hesheng.example>' } })
    const email = `f.${Math.random().toString(36).slice(2)}@example.com`
    const profileId = await identify(chorus, ws, `u-${Math.random()}`, { name: '李雷', email })
    return { ws, profileId, email }
  }
  const lastMailTo = (email: string): ParsedMail => {
    const mails = smtp.mails.filter((m) => m.to.includes(email))
    expect(mails.length).toBeGreaterThan(0)
    return parseMail(mails[mails.length - 1]!.raw)
  }
  const headerLink = (mail: ParsedMail) => mail.headers.get('list-unsubscribe')!.replace(/^<|>$/g, '')

  it('adds one footer link, the one-click address, to a template without unsubscribe_url; following it unsubscribes, and the next send is blocked', async () => {
    const { ws, profileId, email } = await setUp()
    const templateId = await addTemplate(chorus, ws, PLAIN)
    const first = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'sale:1', journeyId: 'jrn_sale', nodeId: 'n1' })
    expect(first).toMatchObject({ kind: 'Sent' })
    const mail = lastMailTo(email)
    const html = mail.parts.get('text/html')!
    const text = mail.parts.get('text/plain')!
    const link = headerLink(mail)
    // The same signed address as List-Unsubscribe, once in each part, and not a click redirect.
    expect(html.match(UNSUBSCRIBE_LINK)).toEqual([link])
    expect(html).toContain(`不想再收到此类邮件？<a href="${link}"`)
    expect(text.match(UNSUBSCRIBE_LINK)).toEqual([link])
    expect(text).toContain(`退订：${link}`)
    // The author's own link is still tracked.
    expect(html).not.toContain('https://shop.example.com')
    expect(trackedPath(html)).toMatch(/^\/r\//)
    const stored = (await chorus.app.inject({ method: 'GET', url: `/api/v1/channels/messages?profileId=${profileId}`, headers: ws.bearer })).json().items
    expect(stored[0].links).toEqual(['https://shop.example.com/sale'])

    // A person clicking the footer link gets the confirmation page, then presses its button.
    const path = new URL(link).pathname
    const page = await chorus.app.inject({ method: 'GET', url: path })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<form method="post">')
    expect(await loggedEvents(chorus, ws, 'Unsubscribed')).toEqual([])
    const confirm = await chorus.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' })
    expect(confirm.statusCode).toBe(200)
    expect(confirm.body).toContain('已退订')
    expect(await loggedEvents(chorus, ws, 'Unsubscribed')).toEqual([
      expect.objectContaining({ profileId, channel: 'email', properties: expect.objectContaining({ channel: 'email', source: 'unsubscribe_page', messageId: first.messageId, journeyId: 'jrn_sale' }) }),
    ])
    expect(await loggedEvents(chorus, ws, 'Message Clicked')).toEqual([])

    const before = smtp.mails.length
    const next = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'sale:2' })
    expect(next).toMatchObject({ kind: 'Blocked', code: 'Unsubscribed', reason: 'The person unsubscribed from email' })
    expect(smtp.mails.length).toBe(before)
  })

  it('adds no second link when the template places {{ unsubscribe_url }} itself', async () => {
    const { ws, profileId, email } = await setUp()
    const templateId = await addTemplate(chorus, ws, OWN_LINK)
    expect(await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'new:1' })).toMatchObject({ kind: 'Sent' })
    const mail = lastMailTo(email)
    const link = headerLink(mail)
    const html = mail.parts.get('text/html')!
    expect(occurrences(html, link)).toBe(1)
    expect(html).toContain('点此退订')
    expect(html).not.toContain('不想再收到此类邮件')
    expect(occurrences(mail.parts.get('text/plain')!, link)).toBe(1)
    expect(mail.parts.get('text/plain')).not.toContain('退订：')
  })

  it('checks each part on its own: a link placed only in the HTML still gets the text line', async () => {
    const { ws, profileId, email } = await setUp()
    const templateId = await addTemplate(chorus, ws, { name: 'half', variants: { email: { ...OWN_LINK.variants.email, text: '新品上市。' } } })
    await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'half:1' })
    const mail = lastMailTo(email)
    const link = headerLink(mail)
    expect(mail.parts.get('text/html')).not.toContain('不想再收到此类邮件')
    // SMTP carries CRLF line ends.
    expect(mail.parts.get('text/plain')!.replace(/\r\n/g, '\n').trimEnd()).toBe(`新品上市。\n\n退订：${link}`)
  })

  it('adds no footer to transactional email', async () => {
    const { ws, profileId, email } = await setUp()
    const templateId = await addTemplate(chorus, ws, PLAIN)
    expect(await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'email', templateId, idempotencyKey: 'tx:1', category: 'transactional' })).toMatchObject({ kind: 'Sent' })
    const mail = lastMailTo(email)
    expect(mail.headers.has('list-unsubscribe')).toBe(false)
    expect(mail.parts.get('text/html')).not.toMatch(UNSUBSCRIBE_LINK)
    expect(mail.parts.get('text/html')).not.toContain('退订')
    expect(mail.parts.get('text/plain')).not.toContain('退订')
  })

  it("adds the footer to a journey's plain-content email, which has no template to place the link in", async () => {
    const { ws, profileId, email } = await setUp()
    const sender = new ChannelsSender(chorus.ctx)
    const outcome = await sender.send({
      workspaceId: ws.workspaceId,
      profileId,
      idempotencyKey: 'run-1:remind:0',
      channel: 'email',
      category: 'marketing',
      message: { subject: '{{ profile.name }}，购物车提醒', text: '您的商品还在购物车里。', url: 'https://shop.example.com/cart' },
      context: {},
      attribution: { journeyId: 'jrn_cart', version: 1, nodeId: 'remind', runId: 'run-1' },
    })
    expect(outcome).toMatchObject({ kind: 'sent' })
    const mail = lastMailTo(email)
    const link = headerLink(mail)
    expect(mail.parts.get('text/html')!.match(UNSUBSCRIBE_LINK)).toEqual([link])
    expect(mail.parts.get('text/plain')).toContain(`退订：${link}`)
  })
})
