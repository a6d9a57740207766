import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SEND_LEASE_MS, prepareSend, resumeStaleSends, sendMessage } from '../../src/channels/index.ts'
import { beginAttempt } from '../../src/channels/outbox.ts'
import { verifyWebhook } from '../../src/channels/providers/webhook-signature.ts'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { startHttpFake, startSmtpSink, type FakeReply } from './support/fakes.ts'
import { addProvider, addTemplate, configureChannels, identify, loggedEvents } from './support/setup.ts'

const SECRET = 'whsec-0123456789abcdef'

const until = async (test: () => boolean) => {
  const end = Date.now() + 10_000
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe.each(DIALECTS)('exactly-once sends on %s', (dialect) => {
  let chorus: TestChorus
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>
  let hook: Awaited<ReturnType<typeof startHttpFake>>
  let slow: Awaited<ReturnType<typeof startHttpFake>>
  let slowReplies: FakeReply[] = []
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    smtp = await startSmtpSink()
    hook = await startHttpFake(() => ({ status: 200, json: { ok: true } }))
    slow = await startHttpFake(() => slowReplies.shift() ?? { json: {} })
  })
  afterAll(async () => {
    await smtp.close()
    await hook.close()
    await slow.close()
    await chorus.close()
  })

  const setUp = async (): Promise<{ ws: TestWorkspace; profileId: string; templateId: string }> => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    await addProvider(chorus, ws, { kind: 'smtp', settings: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: 'Brand <news@brand.example>' } })
    await addProvider(chorus, ws, { kind: 'webhook', settings: { url: `${hook.url}/hooks/chorus` }, secrets: { signingSecret: SECRET } })
    const templateId = await addTemplate(chorus, ws, {
      name: 'Order shipped',
      variants: { email: { subject: '{{ profile.name }}, your order shipped', html: '<p>Order {{ event.properties.order_id }}</p>' }, webhook: { fields: { text: '{{ profile.name }}: order {{ event.properties.order_id }} shipped' } } },
    })
    const profileId = await identify(chorus, ws, `u-${Math.random()}`, { name: 'Han Meimei', email: `han.${Math.random().toString(36).slice(2)}@example.com` })
    return { ws, profileId, templateId }
  }
  const mailsTo = (ws: TestWorkspace, to: string) => smtp.mails.filter((m) => m.to.includes(to))
  const emailOf = async (ws: TestWorkspace, profileId: string) =>
    (await chorus.ctx.database.db.selectFrom('identities').select('value').where('workspace_id', '=', ws.workspaceId).where('profile_id', '=', profileId).where('type', '=', 'email').executeTakeFirstOrThrow()).value

  it('calls the provider once when the same key is sent again', async () => {
    const { ws, profileId, templateId } = await setUp()
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'email' as const, templateId, idempotencyKey: 'run-1:ship:0', event: { name: 'Order Shipped', properties: { order_id: 'A-1' } } }
    const first = await sendMessage(chorus.ctx, request)
    const second = await sendMessage(chorus.ctx, request)
    const third = await sendMessage(chorus.ctx, { ...request, event: { name: 'Order Shipped', properties: { order_id: 'B-2' } } })
    expect(first).toMatchObject({ kind: 'Sent', duplicate: false })
    expect(second).toEqual({ ...first, duplicate: true })
    expect(third).toEqual({ ...first, duplicate: true })
    expect(mailsTo(ws, await emailOf(ws, profileId))).toHaveLength(1)
    expect(await loggedEvents(chorus, ws, 'Message Sent')).toHaveLength(1)
  })

  it('sends once when the process died after storing the outbox row and before calling the provider', async () => {
    const { ws, profileId, templateId } = await setUp()
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'email' as const, templateId, idempotencyKey: 'run-2:ship:0', event: { properties: { order_id: 'A-2' } } }
    // The first process stores the row, then dies before the call.
    const prepared = await prepareSend(chorus.ctx, request)
    expect(prepared.kind).toBe('Prepared')
    expect(mailsTo(ws, await emailOf(ws, profileId))).toHaveLength(0)
    // The retry finds the row pending: certainly never handed to SMTP.
    const retry = await sendMessage(chorus.ctx, request)
    expect(retry).toMatchObject({ kind: 'Sent', duplicate: true, messageId: prepared.kind === 'Prepared' ? prepared.row.id : '' })
    expect(await sendMessage(chorus.ctx, request)).toMatchObject({ kind: 'Sent', duplicate: true })
    const mails = mailsTo(ws, await emailOf(ws, profileId))
    expect(mails).toHaveLength(1)
    expect(mails[0]!.raw).toContain('A-2')
  })

  it('does not resend by SMTP when the process died during the provider call, and records unknown', async () => {
    const { ws, profileId, templateId } = await setUp()
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'email' as const, templateId, idempotencyKey: 'run-3:ship:0', event: { properties: { order_id: 'A-3' } } }
    const prepared = await prepareSend(chorus.ctx, request)
    if (prepared.kind !== 'Prepared') throw new Error('not prepared')
    // The row is marked sending (committed), then the process dies mid-call.
    expect(await beginAttempt(chorus.ctx.database.db, prepared.row, chorus.clock.now(), SEND_LEASE_MS)).toBe(true)
    // While the lease holds, another process does not touch it.
    expect(await sendMessage(chorus.ctx, request)).toEqual({ kind: 'InFlight', messageId: prepared.row.id })
    chorus.clock.advance(SEND_LEASE_MS + 1)
    const outcome = await sendMessage(chorus.ctx, request)
    expect(outcome).toMatchObject({ kind: 'Unknown', messageId: prepared.row.id })
    expect(mailsTo(ws, await emailOf(ws, profileId))).toHaveLength(0)
    const listed = await chorus.app.inject({ method: 'GET', url: '/api/v1/channels/messages?status=unknown', headers: ws.bearer })
    expect(listed.json().items).toEqual([expect.objectContaining({ id: prepared.row.id, status: 'unknown', reasonCode: 'OutcomeUnknown' })])
    expect(await sendMessage(chorus.ctx, request)).toMatchObject({ kind: 'Unknown', duplicate: true })
  })

  it('sends again by SMTP when the process died during the call before handing the message over', async () => {
    const { ws, profileId, templateId } = await setUp()
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'email' as const, templateId, idempotencyKey: 'run-3b:ship:0', event: { properties: { order_id: 'A-3b' } } }
    const prepared = await prepareSend(chorus.ctx, request)
    if (prepared.kind !== 'Prepared') throw new Error('not prepared')
    // The lease is taken for an SMTP session that has not reached its final "." when the process dies.
    expect(await beginAttempt(chorus.ctx.database.db, prepared.row, chorus.clock.now(), SEND_LEASE_MS, 'connecting')).toBe(true)
    expect(await sendMessage(chorus.ctx, request)).toEqual({ kind: 'InFlight', messageId: prepared.row.id })
    chorus.clock.advance(SEND_LEASE_MS + 1)
    expect(await sendMessage(chorus.ctx, request)).toMatchObject({ kind: 'Sent', messageId: prepared.row.id, duplicate: true })
    expect(await sendMessage(chorus.ctx, request)).toMatchObject({ kind: 'Sent', duplicate: true })
    const mails = mailsTo(ws, await emailOf(ws, profileId))
    expect(mails).toHaveLength(1)
    expect(mails[0]!.raw).toContain('A-3b')
  })

  it('abandons an SMTP session another process took over, so only the newer one delivers', async () => {
    const { ws, profileId, templateId } = await setUp()
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'email' as const, templateId, idempotencyKey: 'run-3c:ship:0', event: { properties: { order_id: 'A-3c' } } }
    smtp.holdRecipients()
    try {
      // A first process is stuck at RCPT TO for longer than its lease…
      const first = sendMessage(chorus.ctx, request)
      await until(() => smtp.held === 1)
      chorus.clock.advance(SEND_LEASE_MS + 1)
      // …so a second one takes the message over, and gets as far.
      const second = sendMessage(chorus.ctx, request)
      await until(() => smtp.held === 2)
      smtp.release()
      // The first stops short of the final "." and reports the message as the other's: still in
      // flight, or already sent, depending on which finishes first.
      const abandoned = await first
      expect(abandoned.kind === 'InFlight' || (abandoned.kind === 'Sent' && abandoned.duplicate), JSON.stringify(abandoned)).toBe(true)
      expect(await second).toMatchObject({ kind: 'Sent', duplicate: true })
    } finally {
      smtp.release()
    }
    const mails = mailsTo(ws, await emailOf(ws, profileId))
    expect(mails).toHaveLength(1)
    const row = await chorus.ctx.database.db.selectFrom('channel_messages').select(['status', 'attempts']).where('workspace_id', '=', ws.workspaceId).where('idempotency_key', '=', 'run-3c:ship:0').executeTakeFirstOrThrow()
    expect({ status: row.status, attempts: Number(row.attempts) }).toEqual({ status: 'sent', attempts: 2 })
    expect(await loggedEvents(chorus, ws, 'Message Sent')).toHaveLength(1)
  })

  it('resends with the same Idempotency-Key through a webhook when the process died during the call', async () => {
    const { ws, profileId, templateId } = await setUp()
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'webhook' as const, templateId, idempotencyKey: 'run-4:ship:0', event: { properties: { order_id: 'A-4' } } }
    const prepared = await prepareSend(chorus.ctx, request)
    if (prepared.kind !== 'Prepared') throw new Error('not prepared')
    await beginAttempt(chorus.ctx.database.db, prepared.row, chorus.clock.now(), SEND_LEASE_MS)
    chorus.clock.advance(SEND_LEASE_MS + 1)
    const outcome = await sendMessage(chorus.ctx, request)
    expect(outcome).toMatchObject({ kind: 'Sent', messageId: prepared.row.id })
    const calls = hook.requests.filter((r) => r.headers['idempotency-key'] === 'run-4:ship:0')
    expect(calls).toHaveLength(1)
    expect(JSON.parse(calls[0]!.body)).toMatchObject({ id: prepared.row.id, idempotencyKey: 'run-4:ship:0', profileId, fields: { text: 'Han Meimei: order A-4 shipped' } })
    expect(verifyWebhook(calls[0]!.headers['x-chorus-signature'] as string, calls[0]!.body, SECRET, chorus.clock.now() / 1000)).toMatchObject({ kind: 'Valid' })
  })

  it('retries a temporary SMTP refusal with the same key and logs the failed attempt', async () => {
    const { ws, profileId, templateId } = await setUp()
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'email' as const, templateId, idempotencyKey: 'run-5:ship:0', event: { properties: { order_id: 'A-5' } } }
    smtp.refuseNext(451)
    const first = await sendMessage(chorus.ctx, request)
    expect(first).toMatchObject({ kind: 'Failed', retryable: true })
    const failures = await loggedEvents(chorus, ws, 'Message Failed')
    expect(failures).toEqual([expect.objectContaining({ properties: expect.objectContaining({ messageId: first.messageId, retryable: true, attempt: 1 }) })])
    const second = await sendMessage(chorus.ctx, request)
    expect(second).toMatchObject({ kind: 'Sent', messageId: first.messageId })
    expect(mailsTo(ws, await emailOf(ws, profileId))).toHaveLength(1)
  })

  it('does not retry a permanent SMTP refusal', async () => {
    const { ws, profileId, templateId } = await setUp()
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'email' as const, templateId, idempotencyKey: 'run-6:ship:0', event: { properties: { order_id: 'A-6' } } }
    smtp.refuseNext(550)
    expect(await sendMessage(chorus.ctx, request)).toMatchObject({ kind: 'Failed', retryable: false })
    expect(await sendMessage(chorus.ctx, request)).toMatchObject({ kind: 'Failed', retryable: false, duplicate: true })
    expect(mailsTo(ws, await emailOf(ws, profileId))).toHaveLength(0)
  })

  it('lets the background sweep send a row a dead process left pending', async () => {
    const { ws, profileId, templateId } = await setUp()
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'email' as const, templateId, idempotencyKey: 'run-7:ship:0', event: { properties: { order_id: 'A-7' } } }
    const prepared = await prepareSend(chorus.ctx, request)
    expect(prepared.kind).toBe('Prepared')
    // A pending row younger than a minute may belong to a live process: left alone.
    expect((await resumeStaleSends(chorus.ctx, { limit: 100 })).outcomes.Sent ?? 0).toBe(0)
    chorus.clock.advance(61_000)
    const sweep = await resumeStaleSends(chorus.ctx, { limit: 100 })
    expect(sweep.outcomes.Sent).toBeGreaterThanOrEqual(1)
    expect(mailsTo(ws, await emailOf(ws, profileId))).toHaveLength(1)
    expect(await sendMessage(chorus.ctx, request)).toMatchObject({ kind: 'Sent', duplicate: true })
    expect(mailsTo(ws, await emailOf(ws, profileId))).toHaveLength(1)
  })

  it('records an SMS whose provider did not answer in time as unknown, and never resends it', async () => {
    const { ws } = await setUp()
    await addProvider(chorus, ws, { kind: 'aliyun_sms', settings: { endpoint: slow.url, accessKeyId: 'k', signName: '和声', timeoutMs: 200 }, secrets: { accessKeySecret: 's' } })
    const templateId = await addTemplate(chorus, ws, { name: 'sms', variants: { sms: { text: 'hi', templateCode: 'SMS_1', params: {} } } })
    const profileId = await identify(chorus, ws, `u-${Math.random()}`, { phone: '13800001234' })
    slowReplies = [{ delayMs: 1_000, json: { Code: 'OK', BizId: 'late', Message: 'OK' } }]
    const before = slow.requests.length
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'sms' as const, templateId, idempotencyKey: 'sms-timeout' }
    const first = await sendMessage(chorus.ctx, request)
    expect(first).toMatchObject({ kind: 'Unknown' })
    expect(first.kind === 'Unknown' && first.reason).toContain('did not answer within 0.2 s')
    expect(await sendMessage(chorus.ctx, request)).toMatchObject({ kind: 'Unknown', duplicate: true })
    expect(slow.requests.length - before).toBe(1)
  })

  it('resends a webhook that did not answer in time, with the same Idempotency-Key', async () => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    await addProvider(chorus, ws, { kind: 'webhook', settings: { url: `${slow.url}/hook`, timeoutMs: 200 }, secrets: { signingSecret: SECRET } })
    const templateId = await addTemplate(chorus, ws, { name: 'w', variants: { webhook: { fields: { a: 'b' } } } })
    const profileId = await identify(chorus, ws, `u-${Math.random()}`, {})
    slowReplies = [{ delayMs: 1_000, json: {} }, { json: { id: 'crm-1' } }]
    const before = slow.requests.length
    const request = { workspaceId: ws.workspaceId, profileId, channel: 'webhook' as const, templateId, idempotencyKey: 'hook-timeout' }
    expect(await sendMessage(chorus.ctx, request)).toMatchObject({ kind: 'Failed', retryable: true })
    expect(await sendMessage(chorus.ctx, request)).toMatchObject({ kind: 'Sent', providerMessageId: 'crm-1' })
    const calls = slow.requests.slice(before)
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual(['hook-timeout', 'hook-timeout'])
  })
})
