import { FACT_FIELDS, type TouchFacts } from '../measurement/index.ts'

/** The key of events that are not touches (orders, product views, navigation inside a visit). */
export const NOT_A_TOUCH = ''

/**
 * Long free-text facts (a campaign name pasted with its whole brief) are cut here: counts are
 * keyed by their facts, and PostgreSQL refuses b-tree keys over ~2.7 kB.
 */
const MAX_FACT_LENGTH = 200

/**
 * Touch facts as a stable text key: a JSON object of the facts that have a value, in
 * {@link FACT_FIELDS} order, so counts can be stored per distinct facts and classified with the
 * channel rules in force when they are read. Named fields keep old keys readable when a fact is added.
 *
 * @example factsKey({ origin: 'arrival', type: 'page', source: 'baidu', medium: 'cpc', clickIds: [], … }) // '{"origin":"arrival","type":"page","source":"baidu","medium":"cpc"}'
 */
export function factsKey(facts: TouchFacts | null): string {
  if (facts === null) return NOT_A_TOUCH
  const present: Record<string, string | string[]> = {}
  for (const field of FACT_FIELDS) {
    if (field === 'clickId') {
      if (facts.clickIds.length > 0) present.clickId = facts.clickIds.map(cut)
      continue
    }
    const value = facts[field]
    if (value !== null && value !== '') present[field] = cut(value)
  }
  return JSON.stringify(present)
}

/** The facts of a key made by {@link factsKey}, or `null` for {@link NOT_A_TOUCH}. */
export function factsOfKey(key: string): TouchFacts | null {
  if (key === NOT_A_TOUCH) return null
  const present = JSON.parse(key) as Record<string, unknown>
  const facts: Record<string, unknown> = {}
  for (const field of FACT_FIELDS) {
    if (field === 'clickId') facts.clickIds = Array.isArray(present.clickId) ? present.clickId : []
    else facts[field] = typeof present[field] === 'string' ? present[field] : null
  }
  return facts as unknown as TouchFacts
}

function cut(value: string): string {
  return value.length > MAX_FACT_LENGTH ? value.slice(0, MAX_FACT_LENGTH) : value
}
