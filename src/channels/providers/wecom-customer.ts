import type { z } from 'zod'
import { failed, sent, type ChannelProvider, type OutboundMessage, type ProviderResult } from '../provider.ts'
import type { WecomCustomerConfig } from './configs.ts'
import { AccessTokenSource, postWithToken, wechatError, type TokenStore } from './wechat-api.ts'
import { withoutTrailingSlash as base } from './http-call.ts'

const EXPLAIN: Record<number, string> = {
  60111: 'the sender userid does not exist',
}

/**
 * WeCom (企业微信) marketing to external contacts goes through 创建企业群发
 * `POST /cgi-bin/externalcontact/add_msg_template` (https://developer.work.weixin.qq.com/document/path/92135):
 * the only documented API for a company to message its customers (客户) on its own initiative.
 * `chat_type: single`, `external_userid: [one person]`, `sender` (the member whose customer they
 * are), text and an optional link attachment. WeCom creates a task the member confirms in their
 * client before it is delivered, and caps each customer at four company mass messages a month —
 * so `Sent` here means "task created" (`msgid`). A person the sender cannot reach comes back in
 * `fail_list` and is reported as failed. The API takes no deduplication key.
 *
 * The token comes from `GET /cgi-bin/gettoken?corpid=&corpsecret=` with the 客户联系 secret (or an
 * app's secret that is allowed to use customer contact).
 */
export class WecomCustomerProvider implements ChannelProvider {
  readonly kind = 'wecom_customer'
  readonly channel = 'wecom' as const
  readonly idempotency = { kind: 'none' } as const
  readonly #settings: z.infer<typeof WecomCustomerConfig>['settings']
  readonly #tokens: AccessTokenSource

  constructor(providerId: string, settings: z.infer<typeof WecomCustomerConfig>['settings'], secrets: z.infer<typeof WecomCustomerConfig>['secrets'], store: TokenStore, clock: { now(): number }) {
    this.#settings = settings
    const query = new URLSearchParams({ corpid: settings.corpId, corpsecret: secrets.corpSecret })
    this.#tokens = new AccessTokenSource({ providerId, store, clock, endpoint: { label: 'WeCom', url: `${base(settings.baseUrl)}/cgi-bin/gettoken?${query}`, timeoutMs: settings.timeoutMs } })
  }

  body(message: OutboundMessage): Record<string, unknown> {
    const content = message.content
    if (content.channel !== 'wecom') throw new Error(`WeCom customer messages carry wecom content, not ${content.channel}`)
    const sender = content.sender || this.#settings.sender
    const body: Record<string, unknown> = { chat_type: 'single', external_userid: [message.to], allow_select: false, text: { content: content.text } }
    if (sender) body.sender = sender
    if (content.link) body.attachments = [{ msgtype: 'link', link: content.link }]
    return body
  }

  async send(message: OutboundMessage): Promise<ProviderResult> {
    if (message.content.channel !== 'wecom') return failed(false, `WeCom customer messages carry wecom content, not ${message.content.channel}`)
    if (!message.content.sender && !this.#settings.sender) return failed(false, 'WeCom needs a sender: set the provider\'s sender or the template\'s sender (the member userid whose customer the person is)')
    const outcome = await postWithToken(
      this.#tokens,
      'WeCom add_msg_template',
      (token) => `${base(this.#settings.baseUrl)}/cgi-bin/externalcontact/add_msg_template?access_token=${encodeURIComponent(token)}`,
      this.body(message),
      this.#settings.timeoutMs,
    )
    if (outcome.kind === 'Failed') return outcome.result
    const { reply } = outcome
    if (reply.errcode !== 0) return wechatError('WeCom add_msg_template', reply.errcode!, reply.errmsg, EXPLAIN)
    if (reply.fail_list?.includes(message.to)) return failed(false, `WeCom cannot reach ${message.to} from this sender (fail_list): not their customer, or over the monthly limit`)
    return sent(String(reply.msgid ?? ''))
  }
}
