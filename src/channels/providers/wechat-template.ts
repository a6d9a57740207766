import { createHash } from 'node:crypto'
import type { z } from 'zod'
import { failed, sent, type ChannelProvider, type OutboundMessage, type ProviderResult } from '../provider.ts'
import type { WechatTemplateConfig } from './configs.ts'
import { withoutTrailingSlash as base } from './http-call.ts'
import { AccessTokenSource, postWithToken, wechatError, type TokenStore } from './wechat-api.ts'
import { checkWechatFields } from './wechat-fields.ts'

const EXPLAIN: Record<number, string> = {
  40003: 'the openid is not a follower of this Official Account',
  40037: 'no such template_id',
  43004: 'the person does not follow the Official Account',
  47003: 'a data value breaks the template field rules',
}

/**
 * WeChat Official Account (公众号) template messages: `POST /cgi-bin/message/template/send`
 * (https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html)
 * with `touser`, `template_id`, `url` or `miniprogram`, and `data` as `{key: {value}}`.
 *
 * The API deduplicates on `client_msg_id` per openid for 10 minutes ("防重入id…10分钟有效"), so
 * Chorus passes a digest of the idempotency key there, and may resend a message whose outcome is
 * unknown within that window.
 *
 * @example
 * new WechatTemplateProvider('prv_…', { baseUrl: 'https://api.weixin.qq.com', appId, identifierType: 'wechat_openid' }, { appSecret }, tokens, clock)
 */
export class WechatTemplateProvider implements ChannelProvider {
  readonly kind = 'wechat_template'
  readonly channel = 'wechat' as const
  readonly idempotency = { kind: 'key', windowMs: 10 * 60_000 } as const
  readonly #settings: z.infer<typeof WechatTemplateConfig>['settings']
  readonly #tokens: AccessTokenSource

  constructor(providerId: string, settings: z.infer<typeof WechatTemplateConfig>['settings'], secrets: z.infer<typeof WechatTemplateConfig>['secrets'], store: TokenStore, clock: { now(): number }) {
    this.#settings = settings
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: settings.appId, secret: secrets.appSecret })
    this.#tokens = new AccessTokenSource({
      providerId,
      store,
      clock,
      endpoint: { label: 'WeChat Official Account', url: `${base(settings.baseUrl)}/cgi-bin/token?${query}`, timeoutMs: settings.timeoutMs },
    })
  }

  /** The request body for one message. */
  body(message: OutboundMessage): Record<string, unknown> {
    const content = message.content
    if (content.channel !== 'wechat') throw new Error(`WeChat template messages carry wechat content, not ${content.channel}`)
    const body: Record<string, unknown> = {
      touser: message.to,
      template_id: content.templateId,
      client_msg_id: clientMsgId(message.idempotencyKey),
      data: Object.fromEntries(Object.entries(content.data).map(([k, v]) => [k, { value: v }])),
    }
    if (content.url) body.url = content.url
    if (content.miniprogram) body.miniprogram = content.miniprogram
    return body
  }

  async send(message: OutboundMessage): Promise<ProviderResult> {
    if (message.content.channel !== 'wechat') return failed(false, `WeChat template messages carry wechat content, not ${message.content.channel}`)
    const problems = checkWechatFields(message.content.data)
    if (problems.length > 0) return failed(false, `WeChat template data: ${problems.join('; ')}`)
    const outcome = await postWithToken(
      this.#tokens,
      'WeChat template message',
      (token) => `${base(this.#settings.baseUrl)}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token)}`,
      this.body(message),
      this.#settings.timeoutMs,
    )
    if (outcome.kind === 'Failed') return outcome.result
    const { reply } = outcome
    if (reply.errcode === 0) return sent(String(reply.msgid ?? ''))
    return wechatError('WeChat template message', reply.errcode!, reply.errmsg, EXPLAIN)
  }
}

/**
 * `client_msg_id` is limited in length; a SHA-256 digest of the key (32 hex characters) is stable
 * across retries and fits.
 */
export function clientMsgId(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)
}
