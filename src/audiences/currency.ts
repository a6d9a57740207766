// Building an Intl.NumberFormat costs tens of microseconds; compiling a definition may ask often.
const digitsCache = new Map<string, number>()

/**
 * A major-unit amount (what people write: ¥300) in the integer minor units the log stores, with
 * the currency's own ISO 4217 exponent — fen for CNY (×100), yen for JPY (×1) — the rule ingest
 * uses for `events.order_minor`.
 *
 * @example minorUnits(300, 'CNY') // 30000
 */
export function minorUnits(amount: number, currency: string): number {
  let digits = digitsCache.get(currency)
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    digitsCache.set(currency, digits)
  }
  return Math.round(amount * 10 ** digits)
}
