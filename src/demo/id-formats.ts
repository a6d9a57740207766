import type { Rng } from './prng.ts'

/**
 * How each source writes the same phone number. Real exports disagree on separators and country
 * codes, which is exactly what identity resolution has to see through.
 */
export const PHONE_STYLES = {
  /** CRM import and POS tills: the bare national number. */
  plain: (digits: string) => digits,
  /** The brand site's sign-up form, formatted for display. */
  spacedInternational: (digits: string) => `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`,
  /** Tmall's order export. */
  dashedCountry: (digits: string) => `86-${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`,
  /** JD's order export. */
  dashedNational: (digits: string) => `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`,
  /** WeChat's getPhoneNumber, as the mini program binds it. */
  e164: (digits: string) => `+86${digits}`,
} as const

export type PhoneStyle = keyof typeof PHONE_STYLES

/**
 * @example formatPhone('13800138000', 'dashedCountry') // '86-138-0013-8000'
 */
export function formatPhone(digits: string, style: PhoneStyle): string {
  return PHONE_STYLES[style](digits)
}

/** Emails as a person typed them: some sources keep capitals the person used. */
export function emailAsTyped(email: string, capitalised: boolean): string {
  if (!capitalised) return email
  const [local = '', domain = ''] = email.split('@')
  const parts = local.split('.').map((part) => part.charAt(0).toUpperCase() + part.slice(1))
  return `${parts.join('.')}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}`
}

const OPENID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** A WeChat openid/unionid-shaped id: 28 characters starting with `o`. */
export function wechatId(rng: Rng): string {
  let out = 'o'
  for (let i = 0; i < 27; i++) out += OPENID_ALPHABET[rng.int(OPENID_ALPHABET.length)]
  return out
}

/**
 * The anonymous id `sa-sdk-miniprogram` stores on first launch
 * (`Date.now() + '-' + 7 digits + '-' + hex fraction + '-' + 8 digits`).
 */
export function sensorsAnonymousId(rng: Rng, atMs: number): string {
  return `${atMs}-${rng.between(1_000_000, 9_999_999)}-${rng.hex(14)}-${rng.digits(8)}`
}

/**
 * `_track_id` as the mini-program SDK draws it: three and two random digits then the last four
 * digits of the clock — a 9-digit number that is not unique on its own, only with distinct_id,
 * time and event.
 */
export function sensorsTrackId(rng: Rng, atMs: number): number {
  return Number(`${rng.between(100, 999)}${rng.between(10, 99)}${String(atMs).slice(-4)}`)
}

/** Segment message ids in the style of each library, with random bits from the stream. */
export function browserMessageId(rng: Rng, atMs: number): string {
  return `ajs-next-${atMs}-${rng.uuid()}`
}

export function serverMessageId(rng: Rng, atMs: number): string {
  return `node-next-${atMs}-${rng.uuid()}`
}
