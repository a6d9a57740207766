import { currencyDigits } from '../../format/format.ts'

/** Major units typed by a person (1,234.5) to integer minor units, or null when not a number. */
export function toMinor(text: string, currency: string): number | null {
  const value = Number(text.replace(/[,\s¥￥]/g, ''))
  if (text.trim() === '' || !Number.isFinite(value)) return null
  return Math.round(value * 10 ** currencyDigits(currency))
}

/** Minor units as a plain number to edit (no grouping, no symbol). */
export function toMajorText(minor: number | undefined | null, currency: string): string {
  if (minor === undefined || minor === null) return ''
  return String(minor / 10 ** currencyDigits(currency))
}
