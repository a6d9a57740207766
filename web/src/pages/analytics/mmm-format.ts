import { currencyDigits } from '../../format/format.ts'
import { useFormat } from '../../format/use-format.ts'

/**
 * The media-mix API speaks in major units (yuan per day) and in the model's outcome (revenue in
 * major units, or a count): these turn both into the locale's text.
 */
export function useMmmFormat(currency: string, outcome: 'revenue' | 'conversions') {
  const format = useFormat()
  const scale = 10 ** currencyDigits(currency)
  const money = (major: number) => format.money(Math.round(major * scale), currency)
  return {
    format,
    money,
    moneyCompact: (major: number) => format.moneyCompact(Math.round(major * scale), currency),
    outcome: (value: number) => (outcome === 'revenue' ? money(value) : format.number(value, 1)),
    ratio: (value: number | null | undefined, digits = 2) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : format.number(value, digits)),
  }
}
