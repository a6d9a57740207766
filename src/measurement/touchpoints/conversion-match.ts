import { minorDigits } from '../spend/currency.ts'
import { conversionPaths, type ConversionDefinition, type ConversionFilter } from './conversion-definition.ts'
import type { EventRow } from './event-row.ts'

/** A conversion found on an event: its value in the definition's currency (minor units). */
export interface MatchedConversion {
  valueMinor: number
  /** The order was in another currency, so its value was left out. */
  currencyMismatch: boolean
}

/**
 * Decides whether an event is a conversion of one definition and what it is worth. The payload
 * fields it needs are read by the scan into `EventRow.extra`, in the order of {@link paths}.
 *
 * @example
 * const matcher = new ConversionMatcher(defaultConversion())
 * matcher.match(row) // { valueMinor: 4940, currencyMismatch: false } for an Order Completed of ¥49.40
 */
export class ConversionMatcher {
  readonly definition: ConversionDefinition
  /** Payload paths the scan must read into `EventRow.extra`. */
  readonly paths: string[]
  readonly #events: Set<string>
  readonly #tests: ((row: EventRow) => boolean)[]
  readonly #valueIndex: number
  readonly #scale: number

  constructor(definition: ConversionDefinition) {
    this.definition = definition
    this.paths = conversionPaths(definition)
    this.#events = new Set(definition.events)
    this.#tests = definition.filters.map((f) => compileFilter(f, this.paths.indexOf(f.property)))
    const value = definition.value
    this.#valueIndex = value.from === 'property' ? this.paths.indexOf(value.property) : -1
    this.#scale = value.from === 'property' && value.unit === 'major' ? 10 ** minorDigits(definition.currency) : 1
  }

  get events(): readonly string[] {
    return this.definition.events
  }

  match(row: EventRow): MatchedConversion | null {
    if (row.event === null || !this.#events.has(row.event)) return null
    for (const test of this.#tests) if (!test(row)) return null
    const value = this.definition.value
    if (value.from === 'none') return { valueMinor: 0, currencyMismatch: false }
    if (value.from === 'order_amount') {
      if (row.orderMinor === null) return { valueMinor: 0, currencyMismatch: false }
      if (row.orderCurrency !== null && row.orderCurrency !== this.definition.currency) return { valueMinor: 0, currencyMismatch: true }
      return { valueMinor: Math.max(0, row.orderMinor), currencyMismatch: false }
    }
    const amount = Number(row.extra[this.#valueIndex])
    const valueMinor = Number.isFinite(amount) && amount > 0 ? Math.round(amount * this.#scale) : 0
    return { valueMinor, currencyMismatch: false }
  }
}

function compileFilter(filter: ConversionFilter, index: number): (row: EventRow) => boolean {
  const read = (row: EventRow) => row.extra[index] ?? null
  const asText = (v: string | number | boolean) => String(v)
  switch (filter.op) {
    case 'exists':
      return (row) => read(row) !== null
    case 'absent':
      return (row) => read(row) === null
    case 'eq':
      return (row) => read(row) === asText(filter.value as string)
    case 'neq':
      return (row) => read(row) !== asText(filter.value as string)
    case 'in': {
      const set = new Set((filter.value as (string | number)[]).map(asText))
      return (row) => set.has(read(row) ?? '\u0000none')
    }
    case 'not_in': {
      const set = new Set((filter.value as (string | number)[]).map(asText))
      return (row) => !set.has(read(row) ?? '\u0000none')
    }
    case 'contains': {
      const needle = asText(filter.value as string)
      return (row) => (read(row) ?? '').includes(needle)
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = filter.value as number
      const op = filter.op
      return (row) => {
        const text = read(row)
        const n = text === null ? NaN : Number(text)
        if (!Number.isFinite(n)) return false
        return op === 'gt' ? n > bound : op === 'gte' ? n >= bound : op === 'lt' ? n < bound : n <= bound
      }
    }
  }
}
