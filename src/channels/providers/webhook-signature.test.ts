import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhook } from './webhook-signature.ts'

const secret = 'whsec_test_0123456789'
const body = '{"id":"msg_1","fields":{"text":"你好"}}'

describe('webhook signatures', () => {
  it('signs t.body with HMAC-SHA256 in hex', () => {
    const expected = createHmac('sha256', secret).update(`1767225600.${body}`).digest('hex')
    expect(signWebhook(body, secret, 1767225600)).toBe(`t=1767225600,v1=${expected}`)
  })

  it('verifies a fresh signature and rejects altered bodies, other secrets and replays', () => {
    const header = signWebhook(body, secret, 1767225600)
    expect(verifyWebhook(header, body, secret, 1767225600 + 10)).toEqual({ kind: 'Valid', timestamp: 1767225600 })
    expect(verifyWebhook(header, body.replace('你好', '再见'), secret, 1767225600)).toMatchObject({ kind: 'Invalid', reason: 'no v1 signature matches the body' })
    expect(verifyWebhook(header, body, 'whsec_other_secret', 1767225600)).toMatchObject({ kind: 'Invalid' })
    expect(verifyWebhook(header, body, secret, 1767225600 + 301)).toMatchObject({ kind: 'Invalid', reason: 'the signature is 301 s old; more than 300 s' })
    expect(verifyWebhook(undefined, body, secret, 1767225600)).toMatchObject({ kind: 'Invalid' })
  })

  it('accepts any of several v1 values, as during a secret rotation', () => {
    const header = `${signWebhook(body, 'whsec_old_secret_value', 100)},${signWebhook(body, secret, 100).split(',')[1]}`
    expect(verifyWebhook(header, body, secret, 100)).toMatchObject({ kind: 'Valid' })
  })
})
