import { createHash, timingSafeEqual } from 'node:crypto'
import type { Receipt } from './receipts.ts'
import { childText, XmlRejected, type XmlElement } from './wechat-xml.ts'

/**
 * WeChat's push signature (服务器配置 / 消息推送, "验证消息的确来自微信服务器"): the SHA-1 hex of the
 * account's Token, the `timestamp` and the `nonce` sorted as strings and concatenated.
 *
 * @example wechatSignature('chorus2026', '1714000000', '83721') // 40 hex characters
 */
export function wechatSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex')
}

export function verifyWechatSignature(token: string, query: { signature?: string; timestamp?: string; nonce?: string }): boolean {
  if (!query.signature || !query.timestamp || !query.nonce) return false
  const expected = Buffer.from(wechatSignature(token, query.timestamp, query.nonce))
  const given = Buffer.from(query.signature.toLowerCase())
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * Delivery receipts in a WeChat push, or none when the push is something else (the server URL
 * also receives people's messages and other events):
 *
 * - `TEMPLATESENDJOBFINISH` after an Official Account template message: `MsgID`, and `Status`
 *   `success`, `failed:user block` (the person refuses the account's messages) or
 *   `failed: system failed`;
 * - `subscribe_msg_sent_event` after mini-program subscribe messages: a `List` per message under
 *   `SubscribeMsgSentEvent`, each with `MsgID`, `ErrorCode` (0 = delivered) and `ErrorStatus`.
 *
 * `CreateTime` (epoch seconds) dates the report.
 *
 * @throws XmlRejected when the push is encrypted (安全模式): only plaintext and compatible modes can be read
 */
export function wechatReceipts(root: XmlElement, providerId: string): Receipt[] {
  const type = childText(root, 'MsgType')
  if (type === undefined && childText(root, 'Encrypt') !== undefined) throw new XmlRejected('the push is encrypted; set the message encryption mode to plaintext (明文模式) or compatible (兼容模式)')
  if (type !== 'event') return []
  const created = Number(childText(root, 'CreateTime'))
  const at = Number.isFinite(created) && created > 0 ? { at: created * 1000 } : {}
  const event = childText(root, 'Event')
  if (event === 'TEMPLATESENDJOBFINISH') {
    const msgId = childText(root, 'MsgID')?.trim()
    const status = childText(root, 'Status')?.trim()
    if (!msgId || !status) return []
    if (status === 'success') return [{ providerId, providerMessageId: msgId, delivered: true, ...at }]
    // "failed:user block", "failed: system failed": kept as WeChat wrote it.
    return [{ providerId, providerMessageId: msgId, delivered: false, code: status, ...at }]
  }
  if (event === 'subscribe_msg_sent_event') {
    const list = root.children.find((c) => c.name === 'SubscribeMsgSentEvent')?.children.filter((c) => c.name === 'List') ?? []
    const receipts: Receipt[] = []
    for (const item of list) {
      const msgId = childText(item, 'MsgID')?.trim()
      const code = childText(item, 'ErrorCode')?.trim()
      if (!msgId || code === undefined) continue
      const status = childText(item, 'ErrorStatus')?.trim()
      if (code === '0') receipts.push({ providerId, providerMessageId: msgId, delivered: true, ...at })
      else receipts.push({ providerId, providerMessageId: msgId, delivered: false, code, ...(status ? { description: status } : {}), ...at })
    }
    return receipts
  }
  return []
}
