import { appendSystemEvents } from '../ingest/index.ts'
import { newId } from '../platform/index.ts'
import type { Channel } from './channel.ts'
import { loadContactProfile, reachability, recipientFor, type BlockCode, type ContactProfile } from './contact.ts'
import { attributionOf, beginAttempt, findByKey, insertOutboxRow, markHandedOver, updateOutcome, type NewOutboxRow, type OutboxRow } from './outbox.ts'
import type { ChannelProvider, OutboundMessage, ProviderResult } from './provider.ts'
import { getProvider } from './provider-store.ts'
import { buildProvider } from './providers/build.ts'
import { providerIdentifierType } from './providers/configs.ts'
import { INBOX_PROVIDER_ID } from './providers/inbox.ts'
import { SendRequest, type ChannelContext, type SendOutcome } from './send-request.ts'
import { channelSettings } from './settings-store.ts'
import { TemplateRenderError } from './templates/liquid.ts'
import { renderVariant } from './templates/render.ts'
import { getTemplate } from './templates/template-store.ts'
import { LinkTracker } from './tracking/links.ts'
import { trackingToken } from './tracking/tokens.ts'
import { carriesUnsubscribeLink, unsubscribeUrl, withUnsubscribeFooter } from './tracking/unsubscribe-footer.ts'

/** How long one provider call may hold a key before another process may presume it dead. */
export const SEND_LEASE_MS = 120_000

/**
 * Sends one message exactly once per idempotency key. The outbox row is committed before the
 * provider is called, then marked `sending` in its own commit, then given the provider's answer
 * together with its `Message Sent` / `Message Failed` event. A retry with the same key:
 * - after `sent`, a non-retryable failure or a block, reports the earlier outcome and calls nothing;
 * - after a retryable failure, calls the provider again;
 * - finding the row still `pending` (the process died before the call), sends it;
 * - finding it `connecting` with a lapsed lease (died during an SMTP call before the hand-over),
 *   sends it: the server never took it;
 * - finding it `sending` with a lapsed lease (died during the call), resends only through a
 *   provider that deduplicates on the key (within its window), else marks it `unknown`.
 * Consent is checked before every call; a blocked send is recorded with its reason and a
 * `Message Blocked` event, never dropped.
 *
 * @example
 * const outcome = await sendMessage(ctx, {
 *   workspaceId, profileId, channel: 'email', templateId: 'tpl_…',
 *   idempotencyKey: `${runId}:${nodeId}:0`, journeyId, nodeId, event: { name: 'Order Completed', properties },
 * })
 * if (outcome.kind === 'Failed' && outcome.retryable) retryLaterWithTheSameKey()
 */
export async function sendMessage(ctx: ChannelContext, input: SendRequest): Promise<SendOutcome> {
  const request = SendRequest.parse(input)
  const db = ctx.database.db
  for (let round = 0; round < 3; round++) {
    const existing = await findByKey(db, request.workspaceId, request.idempotencyKey)
    if (!existing) {
      const prepared = await prepareSend(ctx, request)
      if (prepared.kind === 'Final') return prepared.outcome
      if (prepared.kind === 'Conflict') continue
      const outcome = await attempt(ctx, prepared.row, prepared.contact, false)
      if (outcome) return outcome
      continue
    }
    const outcome = await resume(ctx, existing)
    if (outcome) return outcome
  }
  const row = await findByKey(db, request.workspaceId, request.idempotencyKey)
  if (!row) throw new Error(`The outbox row for key ${request.idempotencyKey} vanished`)
  return { kind: 'InFlight', messageId: row.id }
}

export type Prepared = { kind: 'Prepared'; row: OutboxRow; contact: ContactProfile } | { kind: 'Final'; outcome: SendOutcome } | { kind: 'Conflict' }

/**
 * Everything before a provider call: consent, address and provider, rendering with tracked
 * links, and the committed outbox row (`pending`, or `blocked` / `failed` with the reason).
 * `sendMessage` starts with it; tests use it alone to stand for a process that died right after.
 *
 * @example const prepared = await prepareSend(ctx, request) // { kind: 'Prepared', row, contact }
 */
export async function prepareSend(ctx: ChannelContext, input: SendRequest): Promise<Prepared> {
  const request = SendRequest.parse(input)
  const db = ctx.database.db
  const now = ctx.clock.now()
  const row: NewOutboxRow = {
    id: newId('msg', now),
    workspaceId: request.workspaceId,
    idempotencyKey: request.idempotencyKey,
    profileId: request.profileId,
    channel: request.channel,
    category: request.category,
    providerId: null,
    providerKind: null,
    templateId: request.templateId ?? null,
    journeyId: request.journeyId ?? null,
    nodeId: request.nodeId ?? null,
    broadcastId: request.broadcastId ?? null,
    campaign: request.campaign ?? request.journeyId ?? request.broadcastId ?? request.templateId ?? null,
    recipient: null,
    content: null,
    links: [],
    status: 'pending',
    retryable: false,
    reasonCode: null,
    reason: null,
  }
  const contact = await loadContactProfile(ctx, request.workspaceId, request.profileId)
  if (!contact) return finalRow(ctx, row, 'blocked', 'ProfileNotFound', `No profile ${request.profileId} in this workspace`, false)
  row.profileId = contact.profileId

  let providerKind: string | null = null
  if (request.providerId && request.providerId !== INBOX_PROVIDER_ID) {
    const stored = await getProvider(db, request.workspaceId, request.providerId)
    if (!stored) return finalRow(ctx, row, 'failed', 'NoProvider', `No provider ${request.providerId} in this workspace`, true)
    if (stored.channel !== request.channel) return finalRow(ctx, row, 'failed', 'NoProvider', `Provider ${stored.id} sends ${stored.channel}, not ${request.channel}`, true)
    contact.reach[request.channel] = { ...contact.reach[request.channel], recipient: recipientFor(contact, request.channel, providerIdentifierType(stored.config)), providerId: stored.id }
    providerKind = stored.config.kind
  }
  const verdict = reachability(contact, request.channel, request.category)
  if (verdict.kind === 'Unreachable') {
    return verdict.code === 'NoProvider' ? finalRow(ctx, row, 'failed', verdict.code, verdict.reason, true) : finalRow(ctx, row, 'blocked', verdict.code, verdict.reason, true)
  }
  row.recipient = verdict.recipient
  row.providerId = verdict.providerId
  row.providerKind = providerKind ?? (verdict.providerId === INBOX_PROVIDER_ID ? 'inbox' : ((await getProvider(db, request.workspaceId, verdict.providerId))?.config.kind ?? null))

  let variants = request.template
  if (request.templateId) {
    const template = await getTemplate(db, request.workspaceId, request.templateId)
    if (!template) return finalRow(ctx, row, 'failed', 'TemplateNotFound', `No template ${request.templateId} in this workspace`, true)
    variants = template.variants
  }
  if (!variants?.[request.channel]) return finalRow(ctx, row, 'failed', 'NoVariant', `${request.templateId ? `Template ${request.templateId}` : 'The inline template'} has no ${request.channel} variant`, true)

  const settings = await channelSettings(db, request.workspaceId, now)
  const tracker = new LinkTracker((i) => `${settings.publicUrl}/r/${trackingToken(settings.secret, row.id, 'c', i)}`, settings.publicUrl)
  const unsubscribe = unsubscribeUrl(settings, row.id)
  try {
    const rendered = await renderVariant(
      variants,
      request.channel,
      {
        profile: { id: contact.profileId, traits: contact.traits },
        ...(request.event ? { event: request.event } : {}),
        ...(request.journey ? { journey: request.journey } : {}),
        ...(request.data ? { data: request.data } : {}),
        message: { id: row.id, channel: request.channel },
        unsubscribeUrl: unsubscribe,
      },
      request.track ? { tracker, ...(request.channel === 'email' ? { pixelUrl: `${settings.publicUrl}/o/${trackingToken(settings.secret, row.id, 'o')}.gif` } : {}) } : null,
    )
    // After tracking: the footer's link must unsubscribe, never become a click redirect.
    row.content = withUnsubscribeFooter(rendered.content, request.category, unsubscribe)
    row.links = tracker.links
  } catch (error) {
    if (error instanceof TemplateRenderError) return finalRow(ctx, row, 'failed', 'TemplateError', error.message, true)
    throw error
  }
  if (!(await insertOutboxRow(db, row, now))) return { kind: 'Conflict' }
  const stored = await findByKey(db, request.workspaceId, request.idempotencyKey)
  return { kind: 'Prepared', row: stored!, contact }
}

/** Records a send that ends before any provider call, with its event, in one transaction. */
async function finalRow(ctx: ChannelContext, row: NewOutboxRow, status: 'blocked' | 'failed', code: BlockCode | string, reason: string, profileKnown: boolean): Promise<Prepared> {
  const now = ctx.clock.now()
  const final: NewOutboxRow = { ...row, status, retryable: false, reasonCode: code, reason }
  const inserted = await ctx.database.db.transaction().execute(async (trx) => {
    if (!(await insertOutboxRow(trx, final, now))) return false
    if (profileKnown && final.profileId) {
      const event = status === 'blocked' ? 'Message Blocked' : 'Message Failed'
      const properties = { ...attributionOf(asRow(final, now)), reason, ...(status === 'blocked' ? { code } : { retryable: false, code }) }
      await appendSystemEvents(trx, ctx.database.dialect, final.workspaceId, [{ profileId: final.profileId, event, properties, timestamp: now, messageId: `${final.id}:${status}`, channel: final.channel, source: 'channels' }], now)
    }
    return true
  })
  if (!inserted) return { kind: 'Conflict' }
  const outcome: SendOutcome =
    status === 'blocked'
      ? { kind: 'Blocked', messageId: final.id, code: code as BlockCode, reason, duplicate: false }
      : { kind: 'Failed', messageId: final.id, retryable: false, reason, duplicate: false }
  return { kind: 'Final', outcome }
}

/**
 * A retry with a key already in the outbox (also what crash recovery calls for rows a dead process
 * left behind). Null: the row changed under us; read it again.
 */
export async function resume(ctx: ChannelContext, row: OutboxRow): Promise<SendOutcome | null> {
  const now = ctx.clock.now()
  switch (row.status) {
    case 'sent':
      return { kind: 'Sent', messageId: row.id, providerMessageId: row.providerMessageId ?? '', duplicate: true }
    case 'blocked':
      return { kind: 'Blocked', messageId: row.id, code: row.reasonCode as BlockCode, reason: row.reason ?? '', duplicate: true }
    case 'unknown':
      return { kind: 'Unknown', messageId: row.id, reason: row.reason ?? '', duplicate: true }
    case 'pending':
      return attempt(ctx, row, null, true)
    case 'failed':
      if (!row.retryable) return { kind: 'Failed', messageId: row.id, retryable: false, reason: row.reason ?? '', duplicate: true }
      if (row.reasonCode === 'OutcomeUnknown') return resendIfSafe(ctx, row, now)
      return attempt(ctx, row, null, true)
    case 'connecting':
      // Never handed over: the receiver has nothing, so sending again cannot send twice.
      if ((row.leaseUntil ?? 0) >= now) return { kind: 'InFlight', messageId: row.id }
      return attempt(ctx, row, null, true)
    case 'sending':
      if ((row.leaseUntil ?? 0) >= now) return { kind: 'InFlight', messageId: row.id }
      return resendIfSafe(ctx, row, now)
  }
}

/** The provider may have delivered: resend only when it deduplicates on the key, within its window. */
async function resendIfSafe(ctx: ChannelContext, row: OutboxRow, now: number): Promise<SendOutcome | null> {
  const provider = await providerFor(ctx, row)
  const idem = provider?.idempotency
  const safe = idem?.kind === 'key' && (idem.windowMs === null || now - (row.lastAttemptAt ?? 0) <= idem.windowMs)
  if (safe) return attempt(ctx, row, null, true)
  const reason = `The ${row.providerKind ?? row.channel} call for this message did not finish (the process stopped or the connection broke), and the provider cannot deduplicate a resend; it may or may not have been delivered, so Chorus does not send it again`
  await updateOutcome(ctx.database.db, row.id, { status: 'unknown', reasonCode: 'OutcomeUnknown', reason }, now)
  return { kind: 'Unknown', messageId: row.id, reason, duplicate: true }
}

async function providerFor(ctx: ChannelContext, row: OutboxRow): Promise<ChannelProvider | null> {
  if (row.providerId === INBOX_PROVIDER_ID) return buildProvider('inbox', ctx)
  if (!row.providerId) return null
  const stored = await getProvider(ctx.database.db, row.workspaceId, row.providerId)
  return stored ? buildProvider(stored, ctx) : null
}

const CONSENT_CODES: ReadonlySet<BlockCode> = new Set(['DoNotContact', 'Unsubscribed', 'NotOptedIn'])

/** One provider call for a row that may be sent. Null when another process took the row first. */
async function attempt(ctx: ChannelContext, row: OutboxRow, known: ContactProfile | null, duplicate: boolean): Promise<SendOutcome | null> {
  const db = ctx.database.db
  const contact = known ?? (row.profileId ? await loadContactProfile(ctx, row.workspaceId, row.profileId) : null)
  if (!contact) {
    await updateOutcome(db, row.id, { status: 'blocked', reasonCode: 'ProfileNotFound', reason: 'The profile no longer exists' }, ctx.clock.now())
    return { kind: 'Blocked', messageId: row.id, code: 'ProfileNotFound', reason: 'The profile no longer exists', duplicate }
  }
  const verdict = reachability(contact, row.channel, row.category)
  if (verdict.kind === 'Unreachable' && CONSENT_CODES.has(verdict.code)) return block(ctx, row, verdict.code, verdict.reason, duplicate)

  const provider = await providerFor(ctx, row)
  if (!provider) return finish(ctx, row, null, { kind: 'Failed', retryable: false, reason: `Provider ${row.providerId} was deleted` }, duplicate)
  const handsOver = provider.idempotency.kind === 'handover'
  if (!(await beginAttempt(db, row, ctx.clock.now(), SEND_LEASE_MS, handsOver ? 'connecting' : 'sending'))) return null
  const now = ctx.clock.now()
  const settings = await channelSettings(db, row.workspaceId, now)
  const message: OutboundMessage = {
    messageId: row.id,
    idempotencyKey: row.idempotencyKey,
    workspaceId: row.workspaceId,
    profileId: row.profileId,
    to: row.recipient ?? '',
    content: row.content!,
    attribution: { ...(row.journeyId ? { journeyId: row.journeyId } : {}), ...(row.nodeId ? { nodeId: row.nodeId } : {}), ...(row.broadcastId ? { broadcastId: row.broadcastId } : {}), ...(row.templateId ? { templateId: row.templateId } : {}), ...(row.campaign ? { campaign: row.campaign } : {}) },
  }
  if (carriesUnsubscribeLink(row.channel, row.category)) message.unsubscribeUrl = unsubscribeUrl(settings, row.id)
  let handedOver = !handsOver
  if (handsOver) {
    message.handOver = async () => (handedOver = await markHandedOver(db, row.id, row.attempts + 1, ctx.clock.now()))
  }
  let result: ProviderResult
  try {
    result = await provider.send(message)
  } catch (error) {
    result = { kind: 'Failed', retryable: true, outcomeUnknown: handedOver, reason: `The ${provider.kind} provider failed unexpectedly: ${(error as Error).message}` }
  }
  // Another process took the row over while this call was still connecting; it owns the outcome.
  if (result.kind === 'TakenOver') return null
  return finish(ctx, { ...row, attempts: row.attempts + 1 }, provider, result, duplicate)
}

async function block(ctx: ChannelContext, row: OutboxRow, code: BlockCode, reason: string, duplicate: boolean): Promise<SendOutcome> {
  const now = ctx.clock.now()
  await ctx.database.db.transaction().execute(async (trx) => {
    await updateOutcome(trx, row.id, { status: 'blocked', retryable: false, reasonCode: code, reason }, now)
    await appendSystemEvents(trx, ctx.database.dialect, row.workspaceId, [{ profileId: row.profileId!, event: 'Message Blocked', properties: { ...attributionOf(row), code, reason }, timestamp: now, messageId: `${row.id}:blocked`, channel: row.channel, source: 'channels' }], now)
  })
  return { kind: 'Blocked', messageId: row.id, code, reason, duplicate }
}

/** Records the provider's answer and its event in one transaction. */
async function finish(ctx: ChannelContext, row: OutboxRow, provider: ChannelProvider | null, result: Exclude<ProviderResult, { kind: 'TakenOver' }>, duplicate: boolean): Promise<SendOutcome> {
  const now = ctx.clock.now()
  const { dialect } = ctx.database
  return ctx.database.db.transaction().execute(async (trx): Promise<SendOutcome> => {
    const event = (name: string, id: string, extra: Record<string, unknown>) =>
      row.profileId
        ? appendSystemEvents(trx, dialect, row.workspaceId, [{ profileId: row.profileId, event: name, properties: { ...attributionOf(row), ...extra }, timestamp: now, messageId: id, channel: row.channel as Channel, source: 'channels' }], now)
        : Promise.resolve([])
    if (result.kind === 'Sent') {
      await updateOutcome(trx, row.id, { status: 'sent', retryable: false, reasonCode: null, reason: null, providerMessageId: result.providerMessageId, sentAt: now }, now)
      await event('Message Sent', `${row.id}:sent`, { provider: row.providerKind, providerMessageId: result.providerMessageId })
      return { kind: 'Sent', messageId: row.id, providerMessageId: result.providerMessageId, duplicate }
    }
    if (result.outcomeUnknown && provider?.idempotency.kind !== 'key') {
      await updateOutcome(trx, row.id, { status: 'unknown', retryable: false, reasonCode: 'OutcomeUnknown', reason: result.reason }, now)
      return { kind: 'Unknown', messageId: row.id, reason: result.reason, duplicate }
    }
    const code = result.outcomeUnknown ? 'OutcomeUnknown' : 'ProviderError'
    await updateOutcome(trx, row.id, { status: 'failed', retryable: result.retryable, reasonCode: code, reason: result.reason }, now)
    await event('Message Failed', `${row.id}:failed:${row.attempts}`, { provider: row.providerKind, reason: result.reason, retryable: result.retryable, attempt: row.attempts })
    return { kind: 'Failed', messageId: row.id, retryable: result.retryable, reason: result.reason, duplicate }
  })
}

function asRow(row: NewOutboxRow, now: number): OutboxRow {
  return { ...row, attempts: 0, providerMessageId: null, leaseUntil: null, lastAttemptAt: null, sentAt: null, deliveredAt: null, createdAt: now, updatedAt: now }
}
