import { CHANNELS, loadContactProfile, resolveChannel, sendMessage, type Channel, type ChannelContext, type SendRequest as ChannelSendRequest, type SendOutcome as ChannelOutcome } from '../../channels/index.ts'
import type { MessageSpec } from '../definition/schema.ts'
import type { Category } from '../definition/schema.ts'
import type { ChannelChoice, MessageSender, SendOutcome, SendRequest } from '../ports.ts'

/**
 * The sender over the channels module: channel choice with fallback and consent
 * (`resolveChannel`, which also honours a person's `preferred_channel` trait), then `sendMessage`,
 * which stores the idempotency key before calling the provider, renders the template with tracked
 * links, checks consent again, and writes `Message Sent` / `Message Blocked` to the log itself.
 *
 * @example new ChannelsSender(ctx) // ctx: { database, clock }
 */
export class ChannelsSender implements MessageSender {
  readonly channels: readonly string[] = CHANNELS
  readonly #ctx: ChannelContext

  constructor(ctx: ChannelContext) {
    this.#ctx = ctx
  }

  async resolveChannel(input: { workspaceId: string; profileId: string; preferred: readonly string[]; category: Category }): Promise<ChannelChoice> {
    const person = await loadContactProfile(this.#ctx, input.workspaceId, input.profileId)
    if (!person) return { kind: 'unreachable', reason: 'ProfileNotFound' }
    const preferred = input.preferred.filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c))
    const choice = resolveChannel(person, preferred, { category: input.category })
    if (choice.kind === 'Reachable') return { kind: 'resolved', channel: choice.channel }
    // The reason people act on is the strongest one: do-not-contact over an opt-out over a missing address.
    const codes = choice.tried.map((t) => t.code)
    const reason = (['DoNotContact', 'Unsubscribed', 'NotOptedIn', 'NoRecipient', 'NoProvider'] as const).find((c) => codes.includes(c)) ?? codes[0] ?? 'NoChannel'
    return { kind: 'unreachable', reason, detail: choice.tried.map((t) => `${t.channel}: ${t.reason}`).join('; ') }
  }

  async send(request: SendRequest): Promise<SendOutcome> {
    const content = channelContent(request.channel as Channel, request.message)
    if (content.kind === 'Refused') return { kind: 'failed', retryable: false, reason: content.reason }
    const input: ChannelSendRequest = {
      workspaceId: request.workspaceId,
      profileId: request.profileId,
      channel: request.channel as Channel,
      category: request.category,
      idempotencyKey: request.idempotencyKey,
      ...content.template,
      ...(request.attribution.journeyId ? { journeyId: request.attribution.journeyId } : {}),
      ...(request.attribution.nodeId ? { nodeId: request.attribution.nodeId } : {}),
      ...(request.attribution.broadcastId ? { broadcastId: request.attribution.broadcastId } : {}),
      ...messageScope(request),
    }
    return outcomeOf(await sendMessage(this.#ctx, input), request.channel)
  }
}

function outcomeOf(outcome: ChannelOutcome, channel: string): SendOutcome {
  switch (outcome.kind) {
    case 'Sent':
      return { kind: 'sent', channel, providerMessageId: outcome.messageId, logged: true }
    case 'Blocked':
      return { kind: 'blocked', reason: outcome.code, logged: true }
    case 'Failed':
      return { kind: 'failed', retryable: outcome.retryable, reason: outcome.reason }
    case 'Unknown':
      // The provider may have delivered and cannot deduplicate: sending again could send twice.
      return { kind: 'failed', retryable: false, reason: `OutcomeUnknown: ${outcome.reason}` }
    case 'InFlight':
      return { kind: 'failed', retryable: true, reason: 'Another process is sending this message right now' }
  }
}

/**
 * What a journey or broadcast message's Liquid sees besides the person: the entry event
 * (`event.name`, `event.properties.*`), the journey (`journey.id`, `.version`, `.node`) and
 * `message.data`. Sends and previews build it here, so a preview renders what the send will.
 */
export function messageScope(request: Pick<SendRequest, 'context' | 'attribution' | 'message'>): Pick<ChannelSendRequest, 'event' | 'journey' | 'data'> {
  return {
    ...(typeof request.context.eventName === 'string' || request.context.event
      ? { event: { ...(typeof request.context.eventName === 'string' ? { name: request.context.eventName } : {}), properties: (request.context.event as Record<string, unknown>) ?? {} } }
      : {}),
    ...(request.attribution.journeyId ? { journey: { id: request.attribution.journeyId, version: request.attribution.version, node: request.attribution.nodeId } } : {}),
    ...(request.message.data ? { data: request.message.data } : {}),
  }
}

type Content = { kind: 'Template'; template: { templateId: string } | { template: NonNullable<ChannelSendRequest['template']> } } | { kind: 'Refused'; reason: string }

/**
 * A journey message as channels take it: a stored template, inline variants, or plain content
 * turned into the channel's variant. SMS and WeChat deliver only templates approved at the
 * provider, so plain content cannot go there.
 */
export function channelContent(channel: Channel, m: MessageSpec): Content {
  if (m.templateId) return { kind: 'Template', template: { templateId: m.templateId } }
  if (m.variants) return { kind: 'Template', template: { template: m.variants } }
  const text = m.text ?? ''
  switch (channel) {
    case 'email': {
      if (!m.subject) return { kind: 'Refused', reason: 'An email needs a subject: add message.subject, or use a template' }
      // The author's own words (Liquid included) go in as written; channels escapes what Liquid outputs.
      const html = m.html ?? `<p>${text}</p>${m.url ? `<p><a href="${m.url}">${m.url}</a></p>` : ''}`
      return { kind: 'Template', template: { template: { email: { subject: m.subject, html, ...(m.text ? { text: m.url ? `${text}\n${m.url}` : text } : {}) } } } }
    }
    case 'inbox':
      return { kind: 'Template', template: { template: { inbox: { title: m.subject ?? text, body: text || (m.subject ?? ''), ...(m.url ? { url: m.url } : {}), ...(m.data ? { data: m.data } : {}) } } } }
    case 'wecom':
      return { kind: 'Template', template: { template: { wecom: { text, ...(m.url ? { link: { title: m.subject ?? text, url: m.url } } : {}) } } } }
    case 'webhook': {
      const fields: Record<string, string> = { ...(m.data ?? {}) }
      if (m.subject !== undefined) fields.subject = m.subject
      if (m.text !== undefined) fields.text = m.text
      if (m.html !== undefined) fields.html = m.html
      if (m.url !== undefined) fields.url = m.url
      return { kind: 'Template', template: { template: { webhook: { fields } } } }
    }
    default:
      return { kind: 'Refused', reason: `${channel} delivers only templates approved at the provider: give message.templateId or message.variants.${channel}` }
  }
}
