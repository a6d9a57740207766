import { FACT_FIELDS, type TouchFacts } from '../measurement/index.ts'

/** The key of events that are not touches (orders, product views, navigation inside a visit). */
export const NOT_A_TOUCH = ''

/**
 * Long free-text facts (a campaign name pasted with its whole brief) are cut here: counts are
 * keyed by their facts, and PostgreSQL refuses b-tree keys over ~2.7 kB.
 */
const MAX_FACT_LENGTH = 200

/**
 * Touch facts as a stable text key (a JSON array in {@link FACT_FIELDS} order), so counts can be
 * stored per distinct facts and classified with the channel rules in force when they are read.
 *
 * @example factsKey({ origin: 'arrival', type: 'page', source: 'baidu', medium: 'cpc', … }) // '["arrival","page",null,"baidu","cpc",…]'
 */
export function factsKey(facts: TouchFacts | null): string {
  if (facts === null) return NOT_A_TOUCH
  return JSON.stringify(
    FACT_FIELDS.map((field) => {
      if (field === 'clickId') return facts.clickIds.map(cut)
      const value = facts[field]
      return value === null ? null : cut(value)
    }),
  )
}

/** The facts of a key made by {@link factsKey}, or `null` for {@link NOT_A_TOUCH}. */
export function factsOfKey(key: string): TouchFacts | null {
  if (key === NOT_A_TOUCH) return null
  const values = JSON.parse(key) as unknown[]
  const facts: Record<string, unknown> = {}
  FACT_FIELDS.forEach((field, i) => {
    if (field === 'clickId') facts.clickIds = values[i] ?? []
    else facts[field] = values[i] ?? null
  })
  return facts as unknown as TouchFacts
}

function cut(value: string): string {
  return value.length > MAX_FACT_LENGTH ? value.slice(0, MAX_FACT_LENGTH) : value
}
