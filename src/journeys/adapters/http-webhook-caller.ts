import type { WebhookCall, WebhookCaller, WebhookResult } from '../ports.ts'

/**
 * Calls a journey webhook node's URL with `fetch`: JSON body, the node's headers, and the send's
 * `Idempotency-Key` so a receiver can recognise a repeat after a crash. 2xx is success; 5xx, 408,
 * 429 and network errors may be retried; other 4xx are the receiver saying no.
 *
 * @example await new HttpWebhookCaller().call({ url, method: 'POST', headers: {}, body: { coupon: 'X' }, idempotencyKey })
 */
export class HttpWebhookCaller implements WebhookCaller {
  readonly #timeoutMs: number

  constructor(options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000
  }

  async call(request: WebhookCall): Promise<WebhookResult> {
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: { 'content-type': 'application/json', 'idempotency-key': request.idempotencyKey, 'user-agent': 'Chorus-Journeys/1', ...request.headers },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
      const text = await response.text()
      if (response.ok) return { kind: 'ok', status: response.status }
      return { kind: 'failed', retryable: response.status >= 500 || response.status === 408 || response.status === 429, reason: `${request.url} answered ${response.status}: ${text.slice(0, 200)}` }
    } catch (error) {
      return { kind: 'failed', retryable: true, reason: `${request.url} unreachable: ${(error as Error).message}` }
    }
  }
}
