import { sql } from 'kysely'
import type { Channel, ReachRule } from '../channels/index.ts'
import type { CountOp } from './definition.ts'
import type { AudienceDialect, Sql } from './sql-dialect.ts'

/**
 * What a definition is compiled against. `scope` restricts the query to some people (canonical
 * profile ids) and the profiles that make them up (the canonical ids plus every profile merged
 * into them): the real-time path evaluates only the people a batch of events touched.
 */
export interface CompileContext {
  dialect: AudienceDialect
  workspaceId: string
  /** Evaluation time (epoch ms): relative windows end here. */
  now: number
  /** The workspace currency (lifetime revenue and RFM monetary default to it). */
  currency: string
  /** What reaching a person takes on each channel in this workspace (`reachable`), as the channels module says. */
  reach: Record<Channel, ReachRule>
  scope: PeopleScope | null
}

export interface PeopleScope {
  persons: readonly string[]
  profiles: readonly string[]
}

/**
 * The person an event (or consent or do-not-contact row) belongs to: its profile, or the profile that profile was
 * merged into. Merges are kept flat (`merged_into` always names the survivor), so one step is
 * enough. `q` is the `merged` list (see `mergedProfiles`), joined on the row's profile id.
 */
export function personOf(alias: 'e' | 'c' | 'd' = 'e'): Sql {
  return sql`coalesce(q.merged_into, ${sql.ref(`${alias}.profile_id`)})`
}
export const PERSON = personOf('e')

/**
 * `WITH merged AS MATERIALIZED (…)`: the workspace's merged-away profiles (only those of the
 * scoped people when there is a scope), read once per query. Event conditions join it to map an
 * event to its person: a probe into this short in-memory list instead of a look-up in the whole
 * profiles table for every event, which is what makes a full evaluation over millions of events
 * affordable.
 */
export function mergedProfiles(ctx: CompileContext): Sql {
  const where = [sql`workspace_id = ${ctx.workspaceId}`, sql`merged_into is not null`]
  if (ctx.scope) where.push(ctx.dialect.inList(sql`id`, ctx.scope.profiles))
  return sql`merged as materialized (select id, merged_into from profiles where ${sql.join(where, sql` and `)})`
}

/**
 * `FROM events e LEFT JOIN merged q … WHERE …` for the events a condition looks at. With a scope,
 * SQLite is told to walk the per-profile index: its planner, without statistics, could otherwise
 * prefer the event-name index and read every such event in the workspace for a handful of people.
 */
export function eventRows(ctx: CompileContext, filters: Sql[]): Sql {
  const scoped = ctx.scope !== null
  const table = scoped && ctx.dialect.name === 'sqlite' ? sql`events as e indexed by events_profile` : sql`events as e`
  const where = [sql`e.workspace_id = ${ctx.workspaceId}`, sql`e.profile_id is not null`, ...(scoped ? [ctx.dialect.inList(sql`e.profile_id`, ctx.scope!.profiles)] : []), ...filters]
  return sql`from ${table} left join merged as q on q.id = e.profile_id where ${sql.join(where, sql` and `)}`
}

export function sqlOp(op: CountOp): Sql {
  return sql.raw(op === '!=' ? '<>' : op)
}

export function compareNumbers(left: number, op: CountOp, right: number): boolean {
  switch (op) {
    case '=':
      return left === right
    case '!=':
      return left !== right
    case '>':
      return left > right
    case '>=':
      return left >= right
    case '<':
      return left < right
    case '<=':
      return left <= right
  }
}

/**
 * A test on an aggregate of each person's rows (a count, a sum). People with no rows have the
 * aggregate 0: when 0 passes the test (`count <= 2`, `= 0`) the condition is written as "not among
 * the people whose aggregate fails it", so people with no rows at all are included.
 */
export function aggregateTest(rows: Sql, aggregate: Sql, op: CountOp, value: number): Sql {
  if (!compareNumbers(0, op, value)) {
    return sql`p.id in (select ${PERSON} ${rows} group by ${PERSON} having ${aggregate} ${sqlOp(op)} ${value})`
  }
  return sql`p.id not in (select ${PERSON} ${rows} group by ${PERSON} having not (${aggregate} ${sqlOp(op)} ${value}))`
}

/** The latest (or first) row per person, from a windowed subquery; `test` reads `latest.*`. */
export function latestPerPerson(input: { rows: Sql; columns: Sql; order: Sql; test: Sql; person?: Sql }): Sql {
  const person = input.person ?? PERSON
  return sql`p.id in (select latest.person from (select ${person} as person, ${input.columns}, row_number() over (partition by ${person} order by ${input.order}) as rn ${input.rows}) as latest where latest.rn = 1 and ${input.test})`
}

export type { AudienceDialect }
