/**
 * ISO 4217 minor units: how many decimals a currency's amounts have (CNY 2, JPY 0, KWD 3), from
 * the platform's Intl data, so money converts to integer minor units with the currency's own
 * exponent.
 */
const KNOWN = new Set(Intl.supportedValuesOf('currency'))
const digitsCache = new Map<string, number>()

/** Whether `code` is an ISO 4217 currency code the platform knows. */
export function isCurrency(code: string): boolean {
  return KNOWN.has(code)
}

/**
 * @example minorDigits('CNY') // 2
 * @example minorDigits('JPY') // 0
 */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency)
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    digitsCache.set(currency, digits)
  }
  return digits
}

/**
 * Minor units as a decimal amount in major units, e.g. for display.
 *
 * @example majorAmount(3086, 'CNY') // 30.86
 */
export function majorAmount(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency)
}
