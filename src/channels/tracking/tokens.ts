import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Tokens in the links Chorus puts in messages: `<messageId>.<kind><index>.<mac>`, where kind is
 * `c` (click on link #index), `o` (open pixel) or `u` (unsubscribe), and mac is the first 128 bits
 * of HMAC-SHA256 under the workspace's secret, base64url. The message row says which workspace
 * (and so which secret) to check against; a token that does not verify is answered 404, exactly
 * like one that names no message, so forging reveals nothing. Each use is keyed by a distinct
 * prefix so one token can never be replayed as another kind.
 */
export type TokenKind = 'c' | 'o' | 'u'

export interface TrackingToken {
  messageId: string
  kind: TokenKind
  index: number
}

const MAC_BYTES = 16

function mac(secret: Buffer, purpose: string, payload: string): string {
  return createHmac('sha256', secret).update(`chorus:${purpose}:${payload}`, 'utf8').digest().subarray(0, MAC_BYTES).toString('base64url')
}

/** @example trackingToken(secret, 'msg_01jd…', 'c', 0) // 'msg_01jd….c0.Qm9v…' */
export function trackingToken(secret: Buffer, messageId: string, kind: TokenKind, index = 0): string {
  const payload = `${messageId}.${kind}${index}`
  return `${payload}.${mac(secret, 'track', payload)}`
}

/** Splits a token without checking it; null for anything not shaped like one. */
export function parseTrackingToken(token: string): (TrackingToken & { mac: string }) | null {
  const match = token.match(/^([a-z]{2,8}_[0-9a-z]{10,40})\.([cou])(\d{1,4})\.([A-Za-z0-9_-]{22})$/)
  if (!match) return null
  return { messageId: match[1]!, kind: match[2] as TokenKind, index: Number(match[3]), mac: match[4]! }
}

export function verifyTrackingToken(secret: Buffer, token: TrackingToken & { mac: string }): boolean {
  return safeEqual(mac(secret, 'track', `${token.messageId}.${token.kind}${token.index}`), token.mac)
}

/**
 * The key a provider's delivery callbacks carry (`?key=`): the workspace id and a MAC over it, so
 * Chorus knows the workspace and that the caller was given the URL by its admin.
 */
export function receiptKey(secret: Buffer, workspaceId: string): string {
  return `${workspaceId}.${mac(secret, 'receipts', workspaceId)}`
}

/** Splits a receipt key into its workspace id and MAC; check the MAC with `verifyReceiptKey`. */
export function parseReceiptKey(key: string): { workspaceId: string; mac: string } | null {
  const at = key.lastIndexOf('.')
  if (at <= 0) return null
  return { workspaceId: key.slice(0, at), mac: key.slice(at + 1) }
}

export function verifyReceiptKey(secret: Buffer, parsed: { workspaceId: string; mac: string }): boolean {
  return safeEqual(mac(secret, 'receipts', parsed.workspaceId), parsed.mac)
}

/** The key an app's server uses to vouch for the person whose inbox the app reads. */
export function inboxKey(secret: Buffer): string {
  return createHmac('sha256', secret).update('chorus:inbox', 'utf8').digest('hex')
}

/**
 * @example inboxUserHash(inboxKey, 'user_id', 'u-1') // hex; send as X-Chorus-User-Hash
 */
export function inboxUserHash(key: string, type: string, value: string): string {
  return createHmac('sha256', key).update(`${type}:${value}`, 'utf8').digest('hex')
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
