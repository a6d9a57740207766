import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { failed, sent, type ChannelProvider, type OutboundMessage, type ProviderResult } from '../provider.ts'
import { popSignature } from './aliyun-signature.ts'
import type { AliyunSmsConfig } from './configs.ts'
import { callProvider, statusFailure } from './http-call.ts'

// Codes worth retrying later: system errors and flow control
// (https://help.aliyun.com/zh/sms/developer-reference/api-error-codes).
const RETRYABLE = new Set(['isp.SYSTEM_ERROR', 'isv.BUSINESS_LIMIT_CONTROL', 'Throttling.User', 'Throttling', 'ServiceUnavailable', 'SignatureNonceUsed', 'InternalError'])

/**
 * Aliyun SMS `SendSms` (Dysmsapi 2017-05-25, RPC style), signed per Aliyun's POP signature
 * (see `aliyun-signature.ts`) and posted as a form. Chorus's message id goes in `OutId`, which
 * Aliyun echoes in delivery receipts (`out_id`). SendSms has no idempotency key — `OutId` is not
 * deduplicated — so an unknown outcome is never retried automatically.
 *
 * @example
 * new AliyunSmsProvider({ endpoint: 'https://dysmsapi.aliyuncs.com', accessKeyId, signName: '和声', regionId: 'cn-hangzhou' }, { accessKeySecret }, clock)
 */
export class AliyunSmsProvider implements ChannelProvider {
  readonly kind = 'aliyun_sms'
  readonly channel = 'sms' as const
  readonly idempotency = { kind: 'none' } as const
  readonly #settings: z.infer<typeof AliyunSmsConfig>['settings']
  readonly #secrets: z.infer<typeof AliyunSmsConfig>['secrets']
  readonly #now: () => number

  constructor(settings: z.infer<typeof AliyunSmsConfig>['settings'], secrets: z.infer<typeof AliyunSmsConfig>['secrets'], clock: { now(): number }) {
    this.#settings = settings
    this.#secrets = secrets
    this.#now = () => clock.now()
  }

  /** The signed form parameters for one message; exposed so tests can check them field by field. */
  requestParams(message: OutboundMessage, nonce: string = randomUUID()): Record<string, string> {
    const content = message.content
    if (content.channel !== 'sms') throw new Error(`Aliyun SMS sends sms, not ${content.channel}`)
    const params: Record<string, string> = {
      AccessKeyId: this.#settings.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      OutId: message.messageId,
      PhoneNumbers: aliyunPhoneNumber(message.to),
      RegionId: this.#settings.regionId,
      SignName: this.#settings.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: nonce,
      SignatureVersion: '1.0',
      TemplateCode: content.templateCode,
      TemplateParam: JSON.stringify(content.params),
      Timestamp: new Date(this.#now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    }
    params.Signature = popSignature('POST', params, this.#secrets.accessKeySecret)
    return params
  }

  async send(message: OutboundMessage): Promise<ProviderResult> {
    if (message.content.channel !== 'sms') return failed(false, `Aliyun SMS sends sms, not ${message.content.channel}`)
    const body = new URLSearchParams(this.requestParams(message)).toString()
    const answer = await callProvider('Aliyun SMS', `${this.#settings.endpoint.replace(/\/$/, '')}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
      body,
      timeoutMs: this.#settings.timeoutMs,
    })
    if (answer.kind === 'NoAnswer') return answer.result
    const reply = answer.body as { Code?: string; Message?: string; BizId?: string } | null
    if (reply?.Code === 'OK' && reply.BizId) return sent(reply.BizId)
    if (reply?.Code) return failed(RETRYABLE.has(reply.Code) || answer.status >= 500, `Aliyun SMS refused: ${reply.Code} ${reply.Message ?? ''}`.trim())
    return statusFailure('Aliyun SMS', answer.status, answer.text)
  }
}

/**
 * Aliyun wants mainland numbers as 11 digits and others as country code + number, without `+`.
 *
 * @example aliyunPhoneNumber('+8613800138000') // '13800138000'
 */
export function aliyunPhoneNumber(e164: string): string {
  const digits = e164.replace(/^\+/, '')
  return e164.startsWith('+86') ? digits.slice(2) : digits
}
