import { sql } from 'kysely'
import type { PropertyCondition, TraitCondition } from './definition.ts'
import type { AudienceDialect, JsonSource, Sql } from './sql-dialect.ts'
import { durationMs, isoDateMs } from './time-values.ts'

// Omit over each member of the union, so narrowing on `op` still finds `value`.
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
export type Comparison = Without<TraitCondition, 'trait'> | Without<PropertyCondition, 'property'>

/**
 * One trait or property comparison as a boolean that is never NULL: a missing value, or one of
 * another JSON type, simply does not match (so `not_equals` and `not_*` match people without the
 * value). Every value is a bound parameter.
 *
 * @example compileComparison(dialect, { column: sql`p.traits`, path: ['plan'] }, { op: 'equals', value: 'pro' }, now)
 */
export function compileComparison(d: AudienceDialect, src: JsonSource, c: Comparison, now: number): Sql {
  return sql`coalesce((${comparison(d, src, c, now)}), false)`
}

function comparison(d: AudienceDialect, src: JsonSource, c: Comparison, now: number): Sql {
  switch (c.op) {
    case 'equals':
      return d.equals(src, c.value)
    case 'not_equals':
      return sql`not coalesce(${d.equals(src, c.value)}, false)`
    case 'in':
      return d.equalsAny(src, c.value)
    case 'not_in':
      return sql`not coalesce(${d.equalsAny(src, c.value)}, false)`
    case 'contains':
      return contains(d, src, c.value)
    case 'not_contains':
      return sql`not coalesce(${contains(d, src, c.value)}, false)`
    case 'starts_with':
      return sql`(${d.isString(src)} and ${d.startsWith(d.text(src), String(c.value))})`
    case 'gt':
      return sql`${d.number(src)} > ${c.value}`
    case 'gte':
      return sql`${d.number(src)} >= ${c.value}`
    case 'lt':
      return sql`${d.number(src)} < ${c.value}`
    case 'lte':
      return sql`${d.number(src)} <= ${c.value}`
    case 'between': {
      const [low, high] = c.value
      if (typeof low === 'number') return sql`${d.number(src)} between ${low} and ${high as number}`
      return sql`${d.epochMs(src)} between ${isoDateMs(low)!} and ${isoDateMs(high as string)!}`
    }
    case 'exists':
      return d.present(src)
    case 'not_exists':
      return sql`not (${d.present(src)})`
    case 'before':
      return sql`${d.epochMs(src)} < ${isoDateMs(c.value)!}`
    case 'after':
      return sql`${d.epochMs(src)} > ${isoDateMs(c.value)!}`
    case 'within_last':
      return sql`${d.epochMs(src)} between ${now - durationMs(c.value)} and ${now}`
    case 'within_next':
      return sql`${d.epochMs(src)} between ${now} and ${now + durationMs(c.value)}`
  }
}

/** A string holding the text, or an array holding the element. */
function contains(d: AudienceDialect, src: JsonSource, needle: string | number): Sql {
  return sql`(case when ${d.isArray(src)} then ${d.arrayHas(src, needle)} when ${d.isString(src)} then ${d.contains(d.text(src), String(needle))} else false end)`
}
