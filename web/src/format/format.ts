/**
 * Numbers, money, dates and "how long ago" for the dashboard's two languages, all through Intl
 * (ECMA-402) so each locale's own conventions apply: `¥1,234.56`, `1.2亿`, `3天前` in zh-CN;
 * `CN¥1,234.56`, `120M`, `3 days ago` in English. Formatters are cached per locale and option
 * set, since building one costs far more than using it.
 */

export type Locale = 'zh-CN' | 'en'

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>()

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`
  let format = cache.get(key) as Intl.NumberFormat | undefined
  if (!format) cache.set(key, (format = new Intl.NumberFormat(locale, options)))
  return format
}

function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`
  let format = cache.get(key) as Intl.DateTimeFormat | undefined
  if (!format) cache.set(key, (format = new Intl.DateTimeFormat(locale, options)))
  return format
}

function relativeFormat(locale: Locale): Intl.RelativeTimeFormat {
  const key = `r|${locale}`
  let format = cache.get(key) as Intl.RelativeTimeFormat | undefined
  if (!format) cache.set(key, (format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })))
  return format
}

/** Decimal places of a currency's minor unit (ISO 4217): 2 for CNY and USD, 0 for JPY. */
export function currencyDigits(currency: string): number {
  return numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
}

/**
 * Money stored as integer minor units, shown in the locale's currency format.
 *
 * @example formatMoney(123456, 'CNY', 'zh-CN') // '¥1,234.56'
 */
export function formatMoney(amountMinor: number, currency: string, locale: Locale): string {
  const digits = currencyDigits(currency)
  return numberFormat(locale, { style: 'currency', currency }).format(amountMinor / 10 ** digits)
}

/**
 * Money in major units, abbreviated for KPI tiles and chart axes.
 *
 * @example formatMoneyCompact(123_456_789_00, 'CNY', 'zh-CN') // '¥1.2亿'
 */
export function formatMoneyCompact(amountMinor: number, currency: string, locale: Locale): string {
  const digits = currencyDigits(currency)
  // Below a thousand nothing is abbreviated, and one decimal place would read as a typo (¥879.5).
  if (Math.abs(amountMinor) < 1000 * 10 ** digits) return formatMoney(amountMinor, currency, locale)
  return numberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(amountMinor / 10 ** digits)
}

/** @example formatNumber(1234567.891, 'en') // '1,234,567.89' */
export function formatNumber(value: number, locale: Locale, maximumFractionDigits = 2): string {
  return numberFormat(locale, { maximumFractionDigits }).format(value)
}

/**
 * Large counts the way each language groups them: 万 and 亿 in Chinese, K/M/B in English.
 *
 * @example formatCompact(123_456_789, 'zh-CN') // '1.2亿'
 */
export function formatCompact(value: number, locale: Locale): string {
  return numberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value)
}

/** A ratio (0.123) as a percentage. @example formatPercent(0.1234, 'zh-CN') // '12.3%' */
export function formatPercent(ratio: number, locale: Locale, maximumFractionDigits = 1): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits }).format(ratio)
}

/** A signed change in percentage points or ratio, e.g. lift: '+12.3%' / '−4%'. */
export function formatSignedPercent(ratio: number, locale: Locale): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(ratio)
}

type Dateish = Date | string | number

const toDate = (value: Dateish) => (value instanceof Date ? value : new Date(value))

/** @example formatDate('2026-11-11T12:00:00Z', 'zh-CN', 'Asia/Shanghai') // '2026年11月11日' */
export function formatDate(value: Dateish, locale: Locale, timeZone?: string): string {
  return dateFormat(locale, { dateStyle: 'medium', timeZone }).format(toDate(value))
}

/** @example formatDateTime('2026-11-11T12:00:00Z', 'zh-CN', 'Asia/Shanghai') // '2026年11月11日 20:00' */
export function formatDateTime(value: Dateish, locale: Locale, timeZone?: string): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone, hourCycle: 'h23' }).format(toDate(value))
}

/** A short day label for chart axes. @example formatDay('2026-11-11', 'en', 'UTC') // 'Nov 11' */
export function formatDay(value: Dateish, locale: Locale, timeZone?: string): string {
  return dateFormat(locale, { month: 'short', day: 'numeric', timeZone }).format(toDate(value))
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
]

/**
 * How long ago (or from now) a moment is, in the largest whole unit: `3天前`, `3 days ago`,
 * `昨天`, `in 2 hours`.
 *
 * @example formatRelative(Date.now() - 3 * 86_400_000, 'zh-CN', Date.now()) // '3天前'
 */
export function formatRelative(value: Dateish, locale: Locale, now: number = Date.now()): string {
  const diff = toDate(value).getTime() - now
  const abs = Math.abs(diff)
  for (const [unit, ms] of UNITS) {
    if (abs >= ms || unit === 'second') return relativeFormat(locale).format(Math.trunc(diff / ms), unit)
  }
  return relativeFormat(locale).format(0, 'second')
}

/**
 * A duration in the language, from the `30d` / `12h` / `90m` / `2w` form definitions use.
 *
 * @example formatWindow('30d', 'zh-CN') // '30天'
 */
export function formatWindow(duration: string, locale: Locale): string {
  const match = /^(\d+)([mhdw])$/.exec(duration)
  if (!match) return duration
  const unit = ({ m: 'minute', h: 'hour', d: 'day', w: 'week' } as const)[match[2] as 'm' | 'h' | 'd' | 'w']
  return numberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(Number(match[1]))
}
