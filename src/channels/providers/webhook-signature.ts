import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Webhook signatures, in the scheme Stripe made familiar:
 *
 *   X-Chorus-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${raw body}`)>
 *
 * The timestamp is signed with the body, so a receiver that rejects signatures older than a few
 * minutes (300 s by default here) also rejects replays of captured requests; dedupe on the
 * `Idempotency-Key` header (or the body's `id`) covers retries inside that window.
 */
export const SIGNATURE_HEADER = 'x-chorus-signature'
export const DEFAULT_TOLERANCE_SECONDS = 300

/** @example signWebhook('{"id":"msg_1"}', secret, 1767225600) // 't=1767225600,v1=5c0f…' */
export function signWebhook(body: string, secret: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')
  return `t=${timestampSeconds},v1=${mac}`
}

export type WebhookVerification = { kind: 'Valid'; timestamp: number } | { kind: 'Invalid'; reason: string }

/**
 * For receivers: checks a signature header against the raw body (as bytes arrived, before any
 * JSON parsing) and the current time.
 *
 * @example
 * const check = verifyWebhook(req.headers['x-chorus-signature'], rawBody, secret, Date.now() / 1000)
 * if (check.kind === 'Invalid') return res.status(400).end(check.reason)
 */
export function verifyWebhook(header: string | undefined, body: string, secret: string, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): WebhookVerification {
  if (!header) return { kind: 'Invalid', reason: 'no X-Chorus-Signature header' }
  const parts = new Map<string, string[]>()
  for (const piece of header.split(',')) {
    const at = piece.indexOf('=')
    if (at <= 0) continue
    const key = piece.slice(0, at).trim()
    parts.set(key, [...(parts.get(key) ?? []), piece.slice(at + 1).trim()])
  }
  const timestamp = Number(parts.get('t')?.[0])
  if (!Number.isInteger(timestamp)) return { kind: 'Invalid', reason: 'the signature has no t=<unix seconds>' }
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { kind: 'Invalid', reason: `the signature is ${Math.round(Math.abs(nowSeconds - timestamp))} s old; more than ${toleranceSeconds} s` }
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex'))
  // Several v1 values may be present while a secret is being rotated; any match is enough.
  for (const candidate of parts.get('v1') ?? []) {
    const given = Buffer.from(candidate)
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { kind: 'Valid', timestamp }
  }
  return { kind: 'Invalid', reason: 'no v1 signature matches the body' }
}
