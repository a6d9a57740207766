import type { z } from 'zod'
import { failed, sent, type ChannelProvider, type OutboundMessage, type ProviderResult } from '../provider.ts'
import type { WebhookConfig } from './configs.ts'
import { callProvider, statusFailure } from './http-call.ts'
import { signWebhook } from './webhook-signature.ts'

/**
 * A generic signed webhook: Chorus POSTs the rendered fields as JSON to the configured URL with
 * `X-Chorus-Signature` (see `webhook-signature.ts`) and `Idempotency-Key`. Receivers are asked to
 * deduplicate on that key, which lets Chorus resend a message whose outcome is unknown; any 2xx
 * is success, and a JSON answer's `id` becomes the provider message id.
 *
 * @example
 * new WebhookProvider({ url: 'https://crm.example.com/hooks/chorus' }, { signingSecret }, clock)
 */
export class WebhookProvider implements ChannelProvider {
  readonly kind = 'webhook'
  readonly channel = 'webhook' as const
  readonly idempotency = { kind: 'key', windowMs: null } as const
  readonly #settings: z.infer<typeof WebhookConfig>['settings']
  readonly #secrets: z.infer<typeof WebhookConfig>['secrets']
  readonly #clock: { now(): number }

  constructor(settings: z.infer<typeof WebhookConfig>['settings'], secrets: z.infer<typeof WebhookConfig>['secrets'], clock: { now(): number }) {
    this.#settings = settings
    this.#secrets = secrets
    this.#clock = clock
  }

  /** The JSON body for one message. */
  payload(message: OutboundMessage): string {
    if (message.content.channel !== 'webhook') throw new Error(`Webhooks carry webhook content, not ${message.content.channel}`)
    return JSON.stringify({
      id: message.messageId,
      type: 'message',
      idempotencyKey: message.idempotencyKey,
      profileId: message.profileId,
      to: message.to,
      fields: message.content.fields,
      attribution: message.attribution ?? {},
      sentAt: new Date(this.#clock.now()).toISOString(),
    })
  }

  async send(message: OutboundMessage): Promise<ProviderResult> {
    if (message.content.channel !== 'webhook') return failed(false, `Webhooks carry webhook content, not ${message.content.channel}`)
    const body = this.payload(message)
    const signature = signWebhook(body, this.#secrets.signingSecret, Math.floor(this.#clock.now() / 1000))
    const answer = await callProvider('Webhook', this.#settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-chorus-signature': signature, 'idempotency-key': message.idempotencyKey, 'user-agent': 'Chorus-Webhook/1' },
      body,
      timeoutMs: this.#settings.timeoutMs,
    })
    if (answer.kind === 'NoAnswer') return answer.result
    if (answer.status >= 200 && answer.status < 300) {
      const id = (answer.body as { id?: unknown } | null)?.id
      return sent(typeof id === 'string' || typeof id === 'number' ? String(id) : message.messageId)
    }
    return statusFailure('Webhook', answer.status, answer.text)
  }
}
