import type { Identifier } from '../message.ts'
import type { SensorsRecord } from './record-schema.ts'

/**
 * ID-Mapping 3.0 identity keys (Sensors "全域用户关联") mapped to Chorus's typed identifiers.
 * Keys not listed here keep their own meaning as a custom type, named by the key without its
 * `$identity_` prefix (`$identity_mp_id` → `mp_id`, `$identity_member_no` → `member_no`).
 */
const KNOWN_IDENTITY_TYPES: Readonly<Record<string, string>> = {
  $identity_login_id: 'user_id',
  $identity_anonymous_id: 'anonymous_id',
  $identity_cookie_id: 'anonymous_id',
  $identity_android_id: 'device_id',
  $identity_android_uuid: 'device_id',
  $identity_idfv: 'device_id',
  $identity_mp_openid: 'wechat_openid',
  $identity_mp_unionid: 'wechat_unionid',
  $identity_mobile: 'phone',
  $identity_email: 'email',
}

/** `$identity_mp_<appid>_openid`: the openid of one particular mini program (openids are per app). */
const PER_APP_OPENID = /^\$identity_mp_.+_openid$/

/**
 * @example
 * identifierTypeForIdentityKey('$identity_mp_wx1234_openid') // 'wechat_openid'
 * identifierTypeForIdentityKey('$identity_member_no')        // 'member_no'
 */
export function identifierTypeForIdentityKey(key: string): string {
  const known = KNOWN_IDENTITY_TYPES[key]
  if (known !== undefined) return known
  if (PER_APP_OPENID.test(key)) return 'wechat_openid'
  if (key.startsWith('$identity_') && key.length > '$identity_'.length) return key.slice('$identity_'.length)
  return key.replace(/^\$+/, '')
}

/** The identities map of a record as typed identifiers, in the order the SDK listed them. */
export function identifiersFromIdentities(identities: SensorsRecord['identities']): Identifier[] {
  const found = new IdentifierList()
  for (const [key, value] of Object.entries(identities ?? {})) {
    if (value !== undefined) found.add(identifierTypeForIdentityKey(key), value)
  }
  return found.items
}

export interface RecordIdentity {
  /** Everything that names this person on the record (deduplicated by type and value). */
  identifiers: Identifier[]
  userId: string | null
  anonymousId: string | null
}

/**
 * Who a record is about.
 *
 * With ID-Mapping 3.0 the `identities` map is the source; the top-level ids the SDKs also send
 * are added, since older and mixed-version SDKs send only those:
 * - `login_id` → `user_id`; without it, `distinct_id` is the login id when the record says so
 *   (`properties.$is_login_id: true`, the documented ID-Mapping 1/2 flag) or is a
 *   `track_signup` (whose `distinct_id` is by definition the new login id);
 * - `anonymous_id` → `anonymous_id`; `track_signup`'s `original_id` → `anonymous_id`;
 * - `distinct_id`, when it is none of the above values, → `anonymous_id`.
 *
 * `userId` is the first `user_id`; `anonymousId` the first `anonymous_id`, else the
 * `distinct_id` when it is not the login id.
 *
 * @example
 * resolveRecordIdentity({ type: 'track', distinct_id: 'u1', login_id: 'u1', anonymous_id: 'c9' })
 * // { identifiers: [{ type: 'user_id', value: 'u1' }, { type: 'anonymous_id', value: 'c9' }],
 * //   userId: 'u1', anonymousId: 'c9' }
 */
export function resolveRecordIdentity(record: SensorsRecord): RecordIdentity {
  const found = new IdentifierList()
  for (const identifier of identifiersFromIdentities(record.identities)) found.add(identifier.type, identifier.value)

  const distinctId = record.distinct_id ?? null
  const saysLogin = record.type === 'track_signup' || record.properties?.$is_login_id === true
  const loginId = record.login_id ?? (saysLogin ? distinctId : null)
  if (loginId !== null) found.add('user_id', loginId)
  if (record.anonymous_id !== undefined) found.add('anonymous_id', record.anonymous_id)
  if (record.type === 'track_signup' && record.original_id !== undefined) found.add('anonymous_id', record.original_id)
  if (distinctId !== null && !found.hasValue(distinctId)) found.add('anonymous_id', distinctId)

  const userId = found.first('user_id')
  const anonymousId = found.first('anonymous_id') ?? (distinctId !== null && distinctId !== userId ? distinctId : null)
  return { identifiers: found.items, userId, anonymousId }
}

/** An ordered, duplicate-free list of identifiers. */
class IdentifierList {
  readonly items: Identifier[] = []
  readonly #keys = new Set<string>()
  readonly #values = new Set<string>()

  add(type: string, value: string): void {
    const key = `${type}\u0000${value}`
    if (this.#keys.has(key)) return
    this.#keys.add(key)
    this.#values.add(value)
    this.items.push({ type, value })
  }

  hasValue(value: string): boolean {
    return this.#values.has(value)
  }

  first(type: string): string | null {
    return this.items.find((identifier) => identifier.type === type)?.value ?? null
  }
}
