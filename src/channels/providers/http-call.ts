import { failed, type ProviderResult } from '../provider.ts'

export const DEFAULT_TIMEOUT_MS = 10_000

/** A configured base URL without its trailing slashes, ready for `${base}/path`. */
export const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '')

/** What came back from a provider's HTTP API, or why nothing usable did. */
export type HttpAnswer =
  | { kind: 'Answer'; status: number; body: unknown; text: string }
  | { kind: 'NoAnswer'; result: ProviderResult }

// Errors raised before any byte of the request left this machine: resending cannot duplicate.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL'])

/**
 * One HTTP exchange with a provider's API, classified for the outbox: a refused connection is
 * retryable and certainly not delivered; a timeout or a reset after the request went out leaves the
 * outcome unknown; otherwise the status and the body (parsed as JSON when it is JSON) come back.
 *
 * @example
 * const answer = await callProvider('Aliyun SMS', url, { method: 'POST', headers, body })
 * if (answer.kind === 'NoAnswer') return answer.result
 */
export async function callProvider(label: string, url: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs?: number }): Promise<HttpAnswer> {
  const timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS
  let response: Response
  try {
    response = await fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' })
  } catch (error) {
    return { kind: 'NoAnswer', result: classifyFetchError(label, url, error, timeoutMs, init.method === 'GET') }
  }
  let text: string
  try {
    text = await response.text()
  } catch (error) {
    return { kind: 'NoAnswer', result: classifyFetchError(label, url, error, timeoutMs, init.method === 'GET') }
  }
  let body: unknown = null
  if (text) {
    try {
      body = JSON.parse(text)
    } catch {
      body = null
    }
  }
  return { kind: 'Answer', status: response.status, body, text }
}

function classifyFetchError(label: string, url: string, error: unknown, timeoutMs: number, safe: boolean): ProviderResult {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  const code = err.cause?.code
  const host = safeHost(url)
  if (code && NOT_SENT.has(code)) return failed(true, `${label} at ${host} could not be reached (${code})`)
  // Fetch refuses ports browsers block (https://fetch.spec.whatwg.org/#port-blocking) before connecting.
  if (err.cause?.message === 'bad port') return failed(false, `${label} at ${host}: fetch refuses this port; use another`)
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return failed(true, `${label} at ${host} did not answer within ${timeoutMs / 1000} s`, !safe)
  }
  return failed(true, `${label} at ${host}: the connection failed mid-request (${code ?? err.cause?.message ?? err.message ?? 'unknown error'})`, !safe)
}

/**
 * Maps an HTTP status without a usable provider answer to a result. 429 and 408 are refusals worth
 * retrying. A bare 5xx (no answer in the API's own shape, so likely from a gateway in front of it)
 * may come after the vendor accepted the message: retryable, but the outcome is unknown, so only
 * providers that deduplicate are called again.
 */
export function statusFailure(label: string, status: number, text: string): ProviderResult {
  const detail = `${label} answered HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`
  if (status >= 500) return failed(true, detail, true)
  return failed(status === 429 || status === 408, detail)
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
