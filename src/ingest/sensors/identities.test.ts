import { describe, expect, it } from 'vitest'
import { identifierTypeForIdentityKey, resolveRecordIdentity } from './identities.ts'

describe('identifierTypeForIdentityKey', () => {
  it.each([
    ['$identity_login_id', 'user_id'],
    ['$identity_anonymous_id', 'anonymous_id'],
    ['$identity_cookie_id', 'anonymous_id'],
    ['$identity_android_id', 'device_id'],
    ['$identity_android_uuid', 'device_id'],
    ['$identity_idfv', 'device_id'],
    ['$identity_mp_openid', 'wechat_openid'],
    ['$identity_mp_wx8f2a3b4c5d_openid', 'wechat_openid'],
    ['$identity_mp_unionid', 'wechat_unionid'],
    ['$identity_mobile', 'phone'],
    ['$identity_email', 'email'],
    ['$identity_mp_id', 'mp_id'],
    ['$identity_ali_mp_id', 'ali_mp_id'],
    ['$identity_member_no', 'member_no'],
    ['crm_id', 'crm_id'],
  ])('maps %s to %s', (key, type) => {
    expect(identifierTypeForIdentityKey(key)).toBe(type)
  })
})

describe('resolveRecordIdentity', () => {
  it('uses distinct_id as the anonymous id before login', () => {
    expect(resolveRecordIdentity({ type: 'track', distinct_id: 'c1' })).toEqual({
      identifiers: [{ type: 'anonymous_id', value: 'c1' }],
      userId: null,
      anonymousId: 'c1',
    })
  })

  it('keeps the device id typed and still reports distinct_id as the anonymous id', () => {
    const identity = resolveRecordIdentity({
      type: 'track',
      distinct_id: '2a3d2f37563cb18a',
      identities: { $identity_android_id: '2a3d2f37563cb18a' },
    })
    expect(identity).toEqual({
      identifiers: [{ type: 'device_id', value: '2a3d2f37563cb18a' }],
      userId: null,
      anonymousId: '2a3d2f37563cb18a',
    })
  })

  it('takes login_id and anonymous_id from the top level when identities are absent', () => {
    expect(resolveRecordIdentity({ type: 'track', distinct_id: 'u1', login_id: 'u1', anonymous_id: 'c9' })).toEqual({
      identifiers: [
        { type: 'user_id', value: 'u1' },
        { type: 'anonymous_id', value: 'c9' },
      ],
      userId: 'u1',
      anonymousId: 'c9',
    })
  })

  it('lists each identifier once however many fields repeat it', () => {
    const identity = resolveRecordIdentity({
      type: 'track',
      distinct_id: 'u1',
      login_id: 'u1',
      identities: { $identity_login_id: 'u1', $identity_cookie_id: 'c9' },
      anonymous_id: 'c9',
    })
    expect(identity.identifiers).toEqual([
      { type: 'user_id', value: 'u1' },
      { type: 'anonymous_id', value: 'c9' },
    ])
  })
})
