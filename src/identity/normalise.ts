/**
 * Identifier values are normalised before they link anything, so the same person written three
 * ways is one identifier: emails lower-cased and trimmed, phones in E.164 (+86 by default).
 */

const DIGITS_ONLY = /[^\d]/g

/**
 * Phone numbers to E.164. Chinese mobile numbers are the common case (11 digits starting with 1);
 * a leading `+` or `00` carries its own country code; anything else gets the default country.
 * Returns null when the result cannot be a phone number (fewer than 7 or more than 15 digits).
 *
 * @example normalisePhone('138-0013-8000') // '+8613800138000'
 * @example normalisePhone('+86 138 0013 8000') // '+8613800138000'
 */
export function normalisePhone(raw: string, defaultCountryCode = '86'): string | null {
  const trimmed = raw.trim()
  let digits: string
  if (trimmed.startsWith('+')) digits = trimmed.replace(DIGITS_ONLY, '')
  else {
    const plain = trimmed.replace(DIGITS_ONLY, '')
    if (plain.startsWith('00')) digits = plain.slice(2)
    else if (defaultCountryCode === '86' && /^861\d{10}$/.test(plain)) digits = plain
    else if (plain.startsWith('0')) digits = defaultCountryCode + plain.slice(1) // national trunk prefix
    else digits = defaultCountryCode + plain
  }
  if (digits.length < 7 || digits.length > 15) return null
  return `+${digits}`
}

export function normaliseEmail(raw: string): string | null {
  const value = raw.trim().toLowerCase()
  return /^[^\s@]+@[^\s@]+$/.test(value) ? value : null
}

/** Normalises a value by its type; null means it cannot identify anyone. */
export function normaliseIdentifierValue(type: string, raw: unknown, defaultCountryCode = '86'): string | null {
  if (raw === null || raw === undefined) return null
  if (typeof raw !== 'string' && typeof raw !== 'number') return null
  const text = String(raw).trim()
  if (text === '') return null
  switch (type) {
    case 'email':
      return normaliseEmail(text)
    case 'phone':
      return normalisePhone(text, defaultCountryCode)
    default:
      return text
  }
}
