import { z } from 'zod'

/**
 * The channels Chorus delivers on. `wechat` is an Official Account (公众号) template message,
 * `wechat_mini` a mini-program subscribe message (订阅消息), `wecom` a WeCom (企业微信) message
 * to an external contact, `inbox` the in-app inbox apps read through the API.
 */
export const Channel = z.enum(['email', 'sms', 'wechat', 'wechat_mini', 'wecom', 'webhook', 'inbox'])
export type Channel = z.infer<typeof Channel>

export const CHANNELS: readonly Channel[] = Channel.options

/**
 * Identifier types that reach a person on each channel, most preferred first, when no provider
 * says otherwise (WeChat and WeCom providers name their own, because an openid belongs to one app).
 * `webhook` needs none: the receiving system gets the profile id.
 */
export const DEFAULT_IDENTIFIER_TYPES: Record<Channel, readonly string[]> = {
  email: ['email'],
  sms: ['phone'],
  wechat: ['wechat_openid'],
  wechat_mini: ['wechat_openid'],
  wecom: ['wecom_external_userid'],
  webhook: [],
  inbox: ['user_id', 'anonymous_id', 'device_id'],
}

/**
 * `utm_medium` per channel on tracked links. The values follow Google Analytics' default channel
 * group rules (medium `email` → Email, `sms` → SMS; `social` and `push` are matched by their own
 * rules), so clicks land in a sensible channel in any analytics tool, not only in Chorus.
 */
export const UTM_MEDIUM: Record<Channel, string> = {
  email: 'email',
  sms: 'sms',
  wechat: 'social',
  wechat_mini: 'social',
  wecom: 'social',
  webhook: 'referral',
  inbox: 'push',
}
