import type { z } from 'zod'
import { failed, sent, type ChannelProvider, type OutboundMessage, type ProviderResult } from '../provider.ts'
import type { WechatSubscribeConfig } from './configs.ts'
import { AccessTokenSource, postWithToken, wechatError, type TokenStore } from './wechat-api.ts'
import { checkWechatFields } from './wechat-fields.ts'
import { withoutTrailingSlash as base } from './http-call.ts'

const EXPLAIN: Record<number, string> = {
  40003: 'the openid is empty or not a user of this mini-program',
  40037: 'no such subscribe template',
  43101: 'the person has not subscribed to this template, or used up the one-time subscription',
  47003: 'a data value breaks the template field rules',
  41030: 'the page does not exist in the released mini-program',
}

/**
 * Mini-program subscribe messages (订阅消息): `POST /cgi-bin/message/subscribe/send`
 * (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html)
 * with `touser`, `template_id`, `page`, `miniprogram_state`, `lang` and `data` as
 * `{thing1: {value}, …}`. Field values are checked against WeChat's limits before sending.
 * The API takes no deduplication key, and a one-time subscription is spent by the first delivery,
 * so an unknown outcome is never retried automatically.
 */
export class WechatSubscribeProvider implements ChannelProvider {
  readonly kind = 'wechat_subscribe'
  readonly channel = 'wechat_mini' as const
  readonly idempotency = { kind: 'none' } as const
  readonly #settings: z.infer<typeof WechatSubscribeConfig>['settings']
  readonly #tokens: AccessTokenSource

  constructor(providerId: string, settings: z.infer<typeof WechatSubscribeConfig>['settings'], secrets: z.infer<typeof WechatSubscribeConfig>['secrets'], store: TokenStore, clock: { now(): number }) {
    this.#settings = settings
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: settings.appId, secret: secrets.appSecret })
    this.#tokens = new AccessTokenSource({
      providerId,
      store,
      clock,
      endpoint: { label: 'WeChat mini-program', url: `${base(settings.baseUrl)}/cgi-bin/token?${query}`, timeoutMs: settings.timeoutMs },
    })
  }

  body(message: OutboundMessage): Record<string, unknown> {
    const content = message.content
    if (content.channel !== 'wechat_mini') throw new Error(`Subscribe messages carry wechat_mini content, not ${content.channel}`)
    const body: Record<string, unknown> = {
      touser: message.to,
      template_id: content.templateId,
      data: Object.fromEntries(Object.entries(content.data).map(([k, v]) => [k, { value: v }])),
    }
    if (content.page) body.page = content.page
    const state = content.miniprogramState ?? this.#settings.miniprogramState
    if (state) body.miniprogram_state = state
    if (content.lang) body.lang = content.lang
    return body
  }

  async send(message: OutboundMessage): Promise<ProviderResult> {
    if (message.content.channel !== 'wechat_mini') return failed(false, `Subscribe messages carry wechat_mini content, not ${message.content.channel}`)
    const problems = checkWechatFields(message.content.data)
    if (problems.length > 0) return failed(false, `Subscribe message data: ${problems.join('; ')}`)
    const outcome = await postWithToken(
      this.#tokens,
      'WeChat subscribe message',
      (token) => `${base(this.#settings.baseUrl)}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`,
      this.body(message),
      this.#settings.timeoutMs,
    )
    if (outcome.kind === 'Failed') return outcome.result
    const { reply } = outcome
    // The API returns no message id; Chorus's own id stands in for it.
    if (reply.errcode === 0) return sent(reply.msgid !== undefined ? String(reply.msgid) : message.messageId)
    return wechatError('WeChat subscribe message', reply.errcode!, reply.errmsg, EXPLAIN)
  }
}
