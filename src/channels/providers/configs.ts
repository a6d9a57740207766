import { z } from 'zod'
import type { Channel } from '../channel.ts'

/**
 * Provider configurations, one schema per kind. `settings` are shown back in full; `secrets` are
 * stored in the workspace's database and only ever returned masked (see `maskSecrets`). Every
 * provider that talks HTTP takes its base URL, so a test or a proxy can stand in for the vendor.
 */
const timeoutMs = z.number().int().min(100).max(120_000).optional().describe('Give up on an answer after this many milliseconds (default 10,000)')
/**
 * The Token (令牌) of the account's message push / server configuration (服务器配置, 消息推送):
 * WeChat signs every push with it, delivery receipts included. WeChat allows 3–32 letters or digits.
 */
const pushToken = z
  .string()
  .regex(/^[A-Za-z0-9]{3,32}$/, 'The WeChat Token is 3 to 32 letters or digits, as in the account\'s server configuration')
  .optional()
  .describe('Token of the server configuration (服务器配置 / 消息推送): set it to receive delivery receipts at /api/v1/channels/receipts/wechat/<provider id>')
const identifierType = (fallback: string) =>
  z.string().min(1).default(fallback).describe('The identifier type that holds the address on this app; an openid belongs to one app, so name each app its own type when a person may have several')

export const SmtpConfig = z.object({
  kind: z.literal('smtp'),
  settings: z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(587),
    secure: z.boolean().default(false).describe('TLS from the first byte (port 465); otherwise STARTTLS per `starttls`'),
    starttls: z.enum(['required', 'opportunistic', 'off']).default('opportunistic'),
    user: z.string().optional(),
    from: z.string().min(3).describe('From header, e.g. "和声优品 <news@example.com>"'),
    replyTo: z.string().optional(),
    dkim: z.object({ domainName: z.string().min(1), keySelector: z.string().min(1) }).optional().describe('RFC 8058 one-click unsubscribe requires a DKIM signature that covers List-Unsubscribe'),
    timeoutMs,
  }),
  secrets: z.object({ password: z.string().optional(), dkimPrivateKey: z.string().optional() }).default({}),
})

export const AliyunSmsConfig = z.object({
  kind: z.literal('aliyun_sms'),
  settings: z.object({
    endpoint: z.url().default('https://dysmsapi.aliyuncs.com'),
    accessKeyId: z.string().min(1),
    signName: z.string().min(1).describe('短信签名, shown as 【signName】'),
    regionId: z.string().default('cn-hangzhou'),
    timeoutMs,
  }),
  secrets: z.object({ accessKeySecret: z.string().min(1) }),
})

export const TencentSmsConfig = z.object({
  kind: z.literal('tencent_sms'),
  settings: z.object({
    endpoint: z.url().default('https://sms.tencentcloudapi.com'),
    secretId: z.string().min(1),
    smsSdkAppId: z.string().min(1),
    signName: z.string().min(1),
    region: z.string().default('ap-guangzhou'),
    timeoutMs,
  }),
  secrets: z.object({ secretKey: z.string().min(1) }),
})

export const WechatTemplateConfig = z.object({
  kind: z.literal('wechat_template'),
  settings: z.object({ baseUrl: z.url().default('https://api.weixin.qq.com'), appId: z.string().min(1), identifierType: identifierType('wechat_openid'), timeoutMs }),
  secrets: z.object({ appSecret: z.string().min(1), token: pushToken }),
})

export const WechatSubscribeConfig = z.object({
  kind: z.literal('wechat_subscribe'),
  settings: z.object({
    baseUrl: z.url().default('https://api.weixin.qq.com'),
    appId: z.string().min(1),
    identifierType: identifierType('wechat_openid'),
    miniprogramState: z.enum(['developer', 'trial', 'formal']).optional(),
    timeoutMs,
  }),
  secrets: z.object({ appSecret: z.string().min(1), token: pushToken }),
})

export const WecomCustomerConfig = z.object({
  kind: z.literal('wecom_customer'),
  settings: z.object({
    baseUrl: z.url().default('https://qyapi.weixin.qq.com'),
    corpId: z.string().min(1),
    sender: z.string().optional().describe('Default member userid the message goes out from; a template may name one per person'),
    identifierType: identifierType('wecom_external_userid'),
    timeoutMs,
  }),
  secrets: z.object({ corpSecret: z.string().min(1) }),
})

export const WebhookConfig = z.object({
  kind: z.literal('webhook'),
  settings: z.object({ url: z.url(), timeoutMs }),
  secrets: z.object({ signingSecret: z.string().min(16, 'Use a signing secret of at least 16 characters') }),
})

export const ProviderConfig = z.discriminatedUnion('kind', [SmtpConfig, AliyunSmsConfig, TencentSmsConfig, WechatTemplateConfig, WechatSubscribeConfig, WecomCustomerConfig, WebhookConfig])
export type ProviderConfig = z.infer<typeof ProviderConfig>
export type ProviderKind = ProviderConfig['kind']

export const PROVIDER_CHANNEL: Record<ProviderKind | 'inbox', Channel> = {
  smtp: 'email',
  aliyun_sms: 'sms',
  tencent_sms: 'sms',
  wechat_template: 'wechat',
  wechat_subscribe: 'wechat_mini',
  wecom_customer: 'wecom',
  webhook: 'webhook',
  inbox: 'inbox',
}

/**
 * Secrets as the API shows them: the last four characters of long values, nothing of short ones.
 *
 * @example maskSecrets({ appSecret: 'f3a9c0b1d2e4' }) // { appSecret: '****d2e4' }
 */
export function maskSecrets(secrets: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(secrets)) {
    if (typeof value !== 'string' || value === '') continue
    out[name] = value.length >= 12 ? `****${value.slice(-4)}` : '****'
  }
  return out
}

/** The identifier type that holds a person's address for this provider. */
export function providerIdentifierType(config: ProviderConfig): string | null {
  return 'identifierType' in config.settings ? config.settings.identifierType : null
}
