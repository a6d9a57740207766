import { sql, type RawBuilder } from 'kysely'
import type { DialectName } from '../platform/index.ts'

export type Sql = RawBuilder<unknown>

/** A JSON value inside a JSON column: `p.traits` at `['address', 'city']`. */
export interface JsonSource {
  column: Sql
  path: readonly string[]
}

/**
 * Every place where the audience SQL differs between SQLite and PostgreSQL, and nowhere else.
 * JSON paths and values are always bound parameters: SQLite gets a JSON path string
 * (`$."address"."city"`), PostgreSQL a `text[]` for `#>` / `#>>`.
 */
export interface AudienceDialect {
  readonly name: DialectName
  /** The value exists and is not JSON null. */
  present(src: JsonSource): Sql
  isString(src: JsonSource): Sql
  isArray(src: JsonSource): Sql
  /** The value as text (meaningful when it is a string). */
  text(src: JsonSource): Sql
  /** The value when it is a JSON number, else NULL. */
  number(src: JsonSource): Sql
  /** Epoch milliseconds: a JSON number as is, an ISO date string parsed (UTC without offset), else NULL. */
  epochMs(src: JsonSource): Sql
  /** Type-exact equality: the string "300" is not the number 300. */
  equals(src: JsonSource, value: string | number | boolean): Sql
  /** Type-exact equality with any of the values, bound as one parameter. */
  equalsAny(src: JsonSource, values: ReadonlyArray<string | number>): Sql
  /** The value is an array holding this element. */
  arrayHas(src: JsonSource, value: string | number): Sql
  contains(text: Sql, needle: string): Sql
  startsWith(text: Sql, prefix: string): Sql
  /** `column IN (list)` with the whole list as one bound parameter. */
  inList(column: Sql, values: readonly string[]): Sql
  /** The code point of the k-th character (1-based), 0 past the end. */
  charCode(text: Sql, k: number): Sql
}

const sqlite: AudienceDialect = {
  name: 'sqlite',
  present: (s) => sql`coalesce(json_type(${s.column}, ${sqlitePath(s)}), 'null') <> 'null'`,
  isString: (s) => sql`json_type(${s.column}, ${sqlitePath(s)}) = 'text'`,
  isArray: (s) => sql`json_type(${s.column}, ${sqlitePath(s)}) = 'array'`,
  text: (s) => sql`json_extract(${s.column}, ${sqlitePath(s)})`,
  number: (s) => sql`(case when json_type(${s.column}, ${sqlitePath(s)}) in ('integer', 'real') then json_extract(${s.column}, ${sqlitePath(s)}) end)`,
  epochMs: (s) => {
    const p = sqlitePath(s)
    // julianday() is NULL for text that is no date, so bad values never match.
    return sql`(case json_type(${s.column}, ${p})
      when 'integer' then json_extract(${s.column}, ${p})
      when 'real' then json_extract(${s.column}, ${p})
      when 'text' then cast(round((julianday(json_extract(${s.column}, ${p})) - 2440587.5) * 86400000) as integer) end)`
  },
  equals: (s, value) => {
    const p = sqlitePath(s)
    if (typeof value === 'boolean') return sql`json_type(${s.column}, ${p}) = ${value ? 'true' : 'false'}`
    const type = typeof value === 'string' ? sql`= 'text'` : sql`in ('integer', 'real')`
    return sql`(json_type(${s.column}, ${p}) ${type} and json_extract(${s.column}, ${p}) = ${value})`
  },
  equalsAny: (s, values) => {
    const p = sqlitePath(s)
    // Neither side has a column affinity, so `IN` compares without conversions: "300" ≠ 300.
    return sql`(json_type(${s.column}, ${p}) in ('text', 'integer', 'real') and json_extract(${s.column}, ${p}) in (select value from json_each(${JSON.stringify(values)})))`
  },
  arrayHas: (s, value) => {
    const type = typeof value === 'string' ? sql`= 'text'` : sql`in ('integer', 'real')`
    return sql`exists (select 1 from json_each(${s.column}, ${sqlitePath(s)}) as j where j.type ${type} and j.value = ${value})`
  },
  contains: (text, needle) => sql`instr(${text}, ${needle}) > 0`,
  startsWith: (text, prefix) => sql`substr(${text}, 1, length(${prefix})) = ${prefix}`,
  inList: (column, values) => sql`${column} in (select value from json_each(${JSON.stringify(values)}))`,
  charCode: (text, k) => sql`coalesce(unicode(substr(${text}, ${sql.lit(k)}, 1)), 0)`,
}

const postgres: AudienceDialect = {
  name: 'postgres',
  present: (s) => sql`coalesce(jsonb_typeof(${s.column} #> ${pgPath(s)}), 'null') <> 'null'`,
  isString: (s) => sql`jsonb_typeof(${s.column} #> ${pgPath(s)}) = 'string'`,
  isArray: (s) => sql`jsonb_typeof(${s.column} #> ${pgPath(s)}) = 'array'`,
  text: (s) => sql`(${s.column} #>> ${pgPath(s)})`,
  number: (s) => sql`(case when jsonb_typeof(${s.column} #> ${pgPath(s)}) = 'number' then (${s.column} #>> ${pgPath(s)})::numeric end)`,
  // chorus_epoch_ms (migration 003-audiences) returns NULL instead of raising on text that is no date.
  epochMs: (s) => sql`(case jsonb_typeof(${s.column} #> ${pgPath(s)})
      when 'number' then (${s.column} #>> ${pgPath(s)})::numeric
      when 'string' then chorus_epoch_ms(${s.column} #>> ${pgPath(s)}) end)`,
  equals: (s, value) => sql`(${s.column} #> ${pgPath(s)}) = cast(${JSON.stringify(value)} as jsonb)`,
  equalsAny: (s, values) => sql`(${s.column} #> ${pgPath(s)}) = any(cast(${values.map((v) => JSON.stringify(v))} as jsonb[]))`,
  arrayHas: (s, value) => sql`(${s.column} #> ${pgPath(s)}) @> cast(${JSON.stringify([value])} as jsonb)`,
  contains: (text, needle) => sql`strpos(${text}, ${needle}) > 0`,
  startsWith: (text, prefix) => sql`starts_with(${text}, ${prefix})`,
  inList: (column, values) => sql`${column} = any(cast(${[...values]} as text[]))`,
  charCode: (text, k) => sql`ascii(substr(${text}, ${sql.lit(k)}, 1))`,
}

export function audienceDialect(name: DialectName): AudienceDialect {
  return name === 'postgres' ? postgres : sqlite
}

function sqlitePath(s: JsonSource): string {
  // Segments are validated (letters, digits, _ - and a leading $), so they never hold a quote.
  return `$${s.path.map((segment) => `."${segment}"`).join('')}`
}

function pgPath(s: JsonSource): Sql {
  return sql`cast(${[...s.path]} as text[])`
}
