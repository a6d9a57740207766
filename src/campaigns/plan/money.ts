/**
 * Money in plans is integer minor units with the campaign's currency (fen for CNY). Shown to
 * people with the currency's symbol and two decimals: `formatMoney(123456, 'CNY')` → `¥1,234.56`.
 */
const SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', GBP: '£', JPY: '¥', HKD: 'HK$' }
const ZERO_DECIMALS = new Set(['JPY', 'KRW'])

/**
 * @example formatMoney(-5000, 'CNY') // '-¥50.00'
 */
export function formatMoney(minor: number, currency: string): string {
  const digits = ZERO_DECIMALS.has(currency) ? 0 : 2
  const major = Math.abs(minor) / 10 ** digits
  const text = major.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  const symbol = SYMBOLS[currency]
  return `${minor < 0 ? '-' : ''}${symbol ?? `${currency} `}${text}`
}
