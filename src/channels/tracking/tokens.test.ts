import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { inboxKey, inboxUserHash, parseReceiptKey, parseTrackingToken, receiptKey, trackingToken, verifyReceiptKey, verifyTrackingToken } from './tokens.ts'

const secret = randomBytes(32)
const messageId = 'msg_01jd4k7w2m9q8r7s6t5v4w3x2y'

describe('tracking tokens', () => {
  it('round-trips and verifies under the same secret only', () => {
    const token = trackingToken(secret, messageId, 'c', 3)
    expect(token).toMatch(/^msg_01jd4k7w2m9q8r7s6t5v4w3x2y\.c3\.[A-Za-z0-9_-]{22}$/)
    const parsed = parseTrackingToken(token)!
    expect(parsed).toMatchObject({ messageId, kind: 'c', index: 3 })
    expect(verifyTrackingToken(secret, parsed)).toBe(true)
    expect(verifyTrackingToken(randomBytes(32), parsed)).toBe(false)
  })

  it('does not verify a token changed to another kind or link', () => {
    const parsed = parseTrackingToken(trackingToken(secret, messageId, 'c', 0))!
    expect(verifyTrackingToken(secret, { ...parsed, kind: 'u' })).toBe(false)
    expect(verifyTrackingToken(secret, { ...parsed, index: 1 })).toBe(false)
  })

  it('rejects malformed tokens', () => {
    for (const bad of ['', 'msg_x', `${messageId}.c0`, `${messageId}.x0.${'A'.repeat(22)}`, `${messageId}.c0.${'A'.repeat(21)}`, `../${messageId}.c0.${'A'.repeat(22)}`]) {
      expect(parseTrackingToken(bad)).toBeNull()
    }
  })

  it('binds receipt keys to their workspace', () => {
    const key = receiptKey(secret, 'ws_1')
    expect(verifyReceiptKey(secret, parseReceiptKey(key)!)).toBe(true)
    expect(verifyReceiptKey(secret, { ...parseReceiptKey(key)!, workspaceId: 'ws_2' })).toBe(false)
  })

  it('derives the inbox user hash from the inbox key', () => {
    const key = inboxKey(secret)
    expect(inboxUserHash(key, 'user_id', 'u-1')).not.toBe(inboxUserHash(key, 'user_id', 'u-2'))
    expect(inboxUserHash(key, 'user_id', 'u-1')).toMatch(/^[0-9a-f]{64}$/)
  })
})
