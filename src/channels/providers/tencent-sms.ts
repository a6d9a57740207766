import type { z } from 'zod'
import { failed, sent, type ChannelProvider, type OutboundMessage, type ProviderResult } from '../provider.ts'
import type { TencentSmsConfig } from './configs.ts'
import { callProvider, statusFailure } from './http-call.ts'
import { signTc3 } from './tc3-signature.ts'

export const TENCENT_SMS_VERSION = '2021-01-11'

/**
 * Tencent Cloud SMS `SendSms` (API 2021-01-11, https://cloud.tencent.com/document/api/382/55981),
 * signed with TC3-HMAC-SHA256. Chorus's message id goes in `SessionContext`, which Tencent echoes.
 * The API has no idempotency key, so an unknown outcome is never retried automatically.
 *
 * @example
 * new TencentSmsProvider({ endpoint: 'https://sms.tencentcloudapi.com', secretId, smsSdkAppId: '1400006666', signName: '和声', region: 'ap-guangzhou' }, { secretKey }, clock)
 */
export class TencentSmsProvider implements ChannelProvider {
  readonly kind = 'tencent_sms'
  readonly channel = 'sms' as const
  readonly idempotency = { kind: 'none' } as const
  readonly #settings: z.infer<typeof TencentSmsConfig>['settings']
  readonly #secrets: z.infer<typeof TencentSmsConfig>['secrets']
  readonly #clock: { now(): number }

  constructor(settings: z.infer<typeof TencentSmsConfig>['settings'], secrets: z.infer<typeof TencentSmsConfig>['secrets'], clock: { now(): number }) {
    this.#settings = settings
    this.#secrets = secrets
    this.#clock = clock
  }

  /** The JSON body and signed headers for one message. */
  request(message: OutboundMessage): { url: string; body: string; headers: Record<string, string> } {
    const content = message.content
    if (content.channel !== 'sms') throw new Error(`Tencent SMS sends sms, not ${content.channel}`)
    const params = orderedParams(content.params)
    if (!Array.isArray(params)) throw new Error(params.error)
    const body = JSON.stringify({
      PhoneNumberSet: [message.to],
      SmsSdkAppId: this.#settings.smsSdkAppId,
      SignName: this.#settings.signName,
      TemplateId: content.templateCode,
      TemplateParamSet: params,
      SessionContext: message.messageId,
    })
    const url = new URL(this.#settings.endpoint)
    const timestamp = Math.floor(this.#clock.now() / 1000)
    const contentType = 'application/json; charset=utf-8'
    const { authorization } = signTc3({ secretId: this.#settings.secretId, secretKey: this.#secrets.secretKey, service: 'sms', host: url.host, contentType, payload: body, timestamp })
    return {
      url: `${url.origin}/`,
      body,
      headers: {
        authorization,
        'content-type': contentType,
        'x-tc-action': 'SendSms',
        'x-tc-timestamp': String(timestamp),
        'x-tc-version': TENCENT_SMS_VERSION,
        'x-tc-region': this.#settings.region,
      },
    }
  }

  async send(message: OutboundMessage): Promise<ProviderResult> {
    if (message.content.channel !== 'sms') return failed(false, `Tencent SMS sends sms, not ${message.content.channel}`)
    const params = orderedParams(message.content.params)
    if (!Array.isArray(params)) return failed(false, params.error)
    const { url, body, headers } = this.request(message)
    const answer = await callProvider('Tencent Cloud SMS', url, { method: 'POST', headers, body, timeoutMs: this.#settings.timeoutMs })
    if (answer.kind === 'NoAnswer') return answer.result
    const reply = (answer.body as { Response?: TencentReply } | null)?.Response
    if (!reply) return statusFailure('Tencent Cloud SMS', answer.status, answer.text)
    if (reply.Error) return failed(retryableCode(reply.Error.Code), `Tencent Cloud SMS refused: ${reply.Error.Code} ${reply.Error.Message ?? ''}`.trim())
    const status = reply.SendStatusSet?.[0]
    if (!status) return failed(false, 'Tencent Cloud SMS answered without a SendStatusSet')
    if (status.Code === 'Ok' && status.SerialNo) return sent(status.SerialNo)
    return failed(retryableCode(status.Code), `Tencent Cloud SMS refused ${status.PhoneNumber ?? message.to}: ${status.Code} ${status.Message ?? ''}`.trim())
  }
}

interface TencentReply {
  Error?: { Code: string; Message?: string }
  SendStatusSet?: Array<{ SerialNo?: string; PhoneNumber?: string; Code: string; Message?: string }>
  RequestId?: string
}

// InternalError.* and rate limits may pass later (https://cloud.tencent.com/document/api/382/55981#6.-错误码);
// a daily or per-number limit only lifts the next day, but lifts: still worth a later retry.
function retryableCode(code: string): boolean {
  return code.startsWith('InternalError') || code === 'RequestLimitExceeded' || code.startsWith('LimitExceeded')
}

/**
 * Tencent takes template variables as an ordered list for the template's {1}, {2}… placeholders,
 * so variables are named by position. (Names cannot carry the order: PostgreSQL's jsonb, where
 * templates are stored, does not keep object keys in the order they were written.)
 *
 * @example orderedParams({ '2': 'b', '1': 'a' }) // ['a', 'b']
 */
export function orderedParams(params: Record<string, string>): string[] | { error: string } {
  const keys = Object.keys(params)
  const named = keys.filter((k) => !/^\d+$/.test(k))
  if (named.length > 0) return { error: `Tencent SMS template variables go by position: name them "1", "2"… (not ${named.map((k) => JSON.stringify(k)).join(', ')})` }
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => params[k]!)
}
