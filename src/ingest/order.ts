/**
 * The order amount of an event (Segment or Sensors), when the event is a completed (paid) order.
 *
 * Segment names it `Order Completed`; Sensors has no reserved order event, so the rule is by name and property, kept small on
 * purpose:
 * - the event name matches `order … completed|paid`, `pay_order` / `PayOrder`, or
 *   `submit_order_paid` (any letter case; this covers Segment's `Order Completed` too);
 * - the amount is the first of `order_amount`, `total`, `revenue`, `value` that is a finite number
 *   (or a numeric string);
 * - the currency is `properties.currency` (an ISO 4217 code; `RMB`, `元` and `¥` read as CNY),
 *   or `CNY` when the event gives none. An unknown currency gives no order rather than a guess;
 *   the event itself is still stored with all its properties.
 *
 * The amount is stored in minor units with the currency's own ISO 4217 exponent — fen for CNY
 * (×100), yen for JPY (×1), fils for KWD (×1000) — rounded to the nearest unit, because money is
 * kept as integer minor units with its currency code.
 *
 * @example
 * orderFromEvent('PayOrder', { order_amount: 19.99 }) // { amountMinor: 1999, currency: 'CNY' }
 * orderFromEvent('ViewProduct', { total: 5 })         // null
 */
export function orderFromEvent(
  event: string | null,
  properties: Record<string, unknown>,
): { amountMinor: number; currency: string } | null {
  if (event === null || !ORDER_EVENT.test(event)) return null
  const amount = firstAmount(properties)
  if (amount === null) return null
  const currency = currencyOf(properties.currency)
  if (currency === null) return null
  return { amountMinor: Math.round(amount * 10 ** minorDigits(currency)), currency }
}

export const ORDER_EVENT = /order.*(completed|paid)|pay_?order|submit_?order_?paid/i

const AMOUNT_KEYS = ['order_amount', 'total', 'revenue', 'value'] as const

function firstAmount(properties: Record<string, unknown>): number | null {
  for (const key of AMOUNT_KEYS) {
    const value = properties[key]
    const amount = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
    if (typeof amount === 'number' && Number.isFinite(amount)) return amount
  }
  return null
}

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

const CNY_ALIASES = new Set(['RMB', '元', '¥', '￥'])

function currencyOf(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return 'CNY'
  if (typeof value !== 'string') return null
  const code = value.trim().toUpperCase()
  if (CNY_ALIASES.has(code)) return 'CNY'
  return KNOWN_CURRENCIES.has(code) ? code : null
}

// Building an Intl.NumberFormat costs tens of microseconds; orders are on the ingest hot path.
const digitsCache = new Map<string, number>()

function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency)
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    digitsCache.set(currency, digits)
  }
  return digits
}
