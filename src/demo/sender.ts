import { setTimeout as sleep } from 'node:timers/promises'
import type { HttpRequest } from './wire.ts'

export interface RetryPolicy {
  /** Attempts for failures that count: 5xx, 408, network errors, 429 without Retry-After. */
  maxAttempts: number
  /** First backoff; doubles per counted failure up to `maxDelayMs`. */
  baseDelayMs: number
  maxDelayMs: number
  /** Total time a batch may wait on 429 + Retry-After before the run gives up. */
  maxRateLimitWaitMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 30_000, maxRateLimitWaitMs: 600_000 }

export interface Delivery {
  status: number
  /** Requests made for this batch, the successful one included. */
  attempts: number
  /** The answer's JSON, or null when it had none. */
  answer: unknown
}

/** A batch that could not be delivered; the message says what to do about it. */
export class DemoDeliveryError extends Error {
  override readonly name = 'DemoDeliveryError'
  readonly status: number | null
  readonly url: string

  constructor(message: string, url: string, status: number | null) {
    super(message)
    this.url = url
    this.status = status
  }
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{
  status: number
  headers: { get(name: string): string | null }
  text(): Promise<string>
}>

/**
 * Posts one batch until the server takes it, the way analytics-node retries
 * (https://github.com/segmentio/analytics-next/tree/master/packages/node): 2xx is done; 429 waits
 * for Retry-After (not counted against attempts, bounded in total time); 5xx except 501/505, 408
 * and network errors back off exponentially; any other status is final. `build` is called per
 * attempt so the envelope's `sentAt` is fresh, while the payloads — and their ids — stay the same.
 *
 * @example
 * await deliver(() => toHttpRequest(batch, target, Date.now()), { fetch: globalThis.fetch })
 */
export async function deliver(
  build: () => HttpRequest,
  options: { fetch: FetchLike; retry?: RetryPolicy; signal?: AbortSignal },
): Promise<Delivery> {
  const retry = options.retry ?? DEFAULT_RETRY
  let attempts = 0
  let counted = 0
  let rateLimitedMs = 0
  for (;;) {
    options.signal?.throwIfAborted()
    const request = build()
    attempts++
    let status: number
    let retryAfterMs: number | null = null
    let text = ''
    try {
      const response = await options.fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: options.signal })
      status = response.status
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'))
      text = await response.text()
    } catch (error) {
      if (options.signal?.aborted) throw error
      counted++
      if (counted >= retry.maxAttempts) {
        throw new DemoDeliveryError(`Could not reach ${request.url} after ${attempts} attempts (${(error as Error).message}); is Chorus running at this base URL?`, request.url, null)
      }
      await sleep(backoff(retry, counted), undefined, { signal: options.signal })
      continue
    }
    if (status >= 200 && status < 300) return { status, attempts, answer: parseJson(text) }
    if (status === 429 && retryAfterMs !== null) {
      rateLimitedMs += retryAfterMs
      if (rateLimitedMs > retry.maxRateLimitWaitMs) {
        throw new DemoDeliveryError(`${request.url} kept answering 429 for ${Math.round(rateLimitedMs / 1000)} s; the server is overloaded — try a lower concurrency`, request.url, 429)
      }
      await sleep(retryAfterMs, undefined, { signal: options.signal })
      continue
    }
    if (status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505)) {
      counted++
      if (counted >= retry.maxAttempts) {
        throw new DemoDeliveryError(`${request.url} answered ${status} ${attempts} times; last answer: ${text.slice(0, 300)}`, request.url, status)
      }
      await sleep(retryAfterMs ?? backoff(retry, counted), undefined, { signal: options.signal })
      continue
    }
    const hint = status === 401 || status === 403 ? ' — check the write key (and the Sensors project name)' : ''
    throw new DemoDeliveryError(`${request.url} refused the batch with ${status}${hint}: ${text.slice(0, 300)}`, request.url, status)
  }
}

function backoff(retry: RetryPolicy, failures: number): number {
  return Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (failures - 1))
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in milliseconds. */
export function parseRetryAfter(value: string | null): number | null {
  if (value === null || value.trim() === '') return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now())
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
