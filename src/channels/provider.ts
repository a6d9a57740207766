import { z } from 'zod'
import type { Channel } from './channel.ts'

/**
 * What a provider gets to deliver: content already rendered (Liquid, MJML, tracked links), one
 * recipient, and the keys that tie it to the outbox. One shape per channel.
 */
export const EmailContent = z.object({
  channel: z.literal('email'),
  subject: z.string(),
  html: z.string(),
  text: z.string().optional(),
})
export type EmailContent = z.infer<typeof EmailContent>

export const SmsContent = z.object({
  channel: z.literal('sms'),
  /** The text as the person will read it (without the provider's 【signature】); for length and previews. */
  text: z.string(),
  /** The approved template at the provider: Aliyun TemplateCode, Tencent TemplateId. */
  templateCode: z.string(),
  /** Template variables. Tencent takes them as an ordered list: numeric keys sort numerically. */
  params: z.record(z.string(), z.string()),
})
export type SmsContent = z.infer<typeof SmsContent>

export const WechatTemplateContent = z.object({
  channel: z.literal('wechat'),
  templateId: z.string(),
  url: z.string().optional(),
  miniprogram: z.object({ appid: z.string(), pagepath: z.string().optional() }).optional(),
  data: z.record(z.string(), z.string()),
})
export type WechatTemplateContent = z.infer<typeof WechatTemplateContent>

export const WechatSubscribeContent = z.object({
  channel: z.literal('wechat_mini'),
  templateId: z.string(),
  page: z.string().optional(),
  miniprogramState: z.enum(['developer', 'trial', 'formal']).optional(),
  lang: z.enum(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']).optional(),
  data: z.record(z.string(), z.string()),
})
export type WechatSubscribeContent = z.infer<typeof WechatSubscribeContent>

export const WecomContent = z.object({
  channel: z.literal('wecom'),
  text: z.string(),
  link: z.object({ title: z.string(), url: z.string(), desc: z.string().optional(), picurl: z.string().optional() }).optional(),
  /** The member (成员 userid) whose customer the person is; defaults to the provider's sender. */
  sender: z.string().optional(),
})
export type WecomContent = z.infer<typeof WecomContent>

export const WebhookContent = z.object({
  channel: z.literal('webhook'),
  fields: z.record(z.string(), z.string()),
})
export type WebhookContent = z.infer<typeof WebhookContent>

export const InboxContent = z.object({
  channel: z.literal('inbox'),
  title: z.string(),
  body: z.string(),
  url: z.string().optional(),
  data: z.record(z.string(), z.string()).default({}),
})
export type InboxContent = z.infer<typeof InboxContent>

export const RenderedContent = z.discriminatedUnion('channel', [
  EmailContent,
  SmsContent,
  WechatTemplateContent,
  WechatSubscribeContent,
  WecomContent,
  WebhookContent,
  InboxContent,
])
export type RenderedContent = z.infer<typeof RenderedContent>

export interface OutboundMessage {
  /** Chorus's message id (`msg_…`): the outbox row, the tracking tokens and the log events use it. */
  messageId: string
  /** The caller's key for this send; passed to providers that can deduplicate on it. */
  idempotencyKey: string
  workspaceId: string
  profileId: string | null
  /** Address on the channel: email address, E.164 phone, openid, external_userid, profile id. */
  to: string
  content: RenderedContent
  /** For marketing email: the one-click unsubscribe address (RFC 8058). */
  unsubscribeUrl?: string
  /** Attribution passed along to receivers that want it (webhook). */
  attribution?: { journeyId?: string; nodeId?: string; broadcastId?: string; templateId?: string; campaign?: string }
  /**
   * For `handover` providers: called at the last moment before the receiver may take the message
   * (SMTP: before the `.` that ends DATA), and committed by the outbox. False means another process
   * has taken the message over: stop without delivering and answer `TakenOver`.
   */
  handOver?: () => Promise<boolean>
}

/**
 * The one answer a provider gives. `retryable` says whether sending again may succeed (a 5xx, a
 * throttle, a refused connection). `outcomeUnknown` says the request may have reached the provider
 * and no answer came back (a timeout mid-request): the message may or may not have gone out.
 */
export type ProviderResult =
  | { kind: 'Sent'; providerMessageId: string }
  | { kind: 'Failed'; retryable: boolean; reason: string; outcomeUnknown?: boolean }
  | { kind: 'TakenOver' }

/**
 * Whether a provider can be called twice with the same key and deliver once. `key` providers get
 * the idempotency key passed through; `windowMs` is how long the provider remembers it (null:
 * forever, e.g. our own inbox). `handover` providers cannot deduplicate but call
 * `message.handOver()` at their point of no return, so a call interrupted before it is repeated
 * safely. With `none` (and after a hand-over), a send whose outcome is unknown is never repeated
 * automatically.
 */
export type ProviderIdempotency = { kind: 'none' } | { kind: 'key'; windowMs: number | null } | { kind: 'handover' }

/**
 * The port every delivery provider implements.
 *
 * @example
 * const result = await provider.send({ messageId, idempotencyKey, workspaceId, profileId, to: 'li@example.com', content })
 * if (result.kind === 'Failed' && result.retryable) scheduleRetry()
 */
export interface ChannelProvider {
  readonly kind: string
  readonly channel: Channel
  readonly idempotency: ProviderIdempotency
  send(message: OutboundMessage): Promise<ProviderResult>
}

export const sent = (providerMessageId: string): ProviderResult => ({ kind: 'Sent', providerMessageId })
export const failed = (retryable: boolean, reason: string, outcomeUnknown?: boolean): ProviderResult =>
  outcomeUnknown ? { kind: 'Failed', retryable, reason, outcomeUnknown } : { kind: 'Failed', retryable, reason }
