import { sql } from 'kysely'
import type { Channel } from '../channels/index.ts'
import type { Condition, ConsentCondition, RandomCondition } from './definition.ts'
import { compileComparison } from './compile-comparison.ts'
import { latestPerPerson, mergedProfiles, personOf, type CompileContext } from './compile-context.ts'
import { compileChannel, compileComputed, compileLastPerformed, compileNotPerformed, compilePerformed, compileRfm } from './compile-events.ts'
import { BUCKETS, randomBucketSql } from './random-bucket.ts'
import type { Sql } from './sql-dialect.ts'

export type { CompileContext, PeopleScope } from './compile-context.ts'

/**
 * A definition as one parameterised query over surviving profiles (`select p.id as id …`): every
 * trait path and value is a bound parameter, and every identifier in the SQL is fixed here. With
 * `ctx.scope` the query looks only at those people — the real-time path's "one query per audience
 * for the people a batch touched".
 *
 * @example
 * const query = compileAudienceQuery({ trait: 'plan', op: 'equals', value: 'pro' }, { dialect: audienceDialect('sqlite'), workspaceId, now, currency: 'CNY', scope: null })
 * const rows = (await query.execute(db)).rows // [{ id: 'prf_…' }, …]
 */
export function compileAudienceQuery(definition: Condition, ctx: CompileContext): Sql {
  const where = [sql`p.workspace_id = ${ctx.workspaceId}`, sql`p.merged_into is null`]
  if (ctx.scope) where.push(ctx.dialect.inList(sql`p.id`, ctx.scope.persons))
  where.push(compileCondition(definition, ctx))
  return sql`with ${mergedProfiles(ctx)} select p.id as id from profiles as p where ${sql.join(where, sql` and `)}`
}

/** A condition as a boolean over the profile row `p` that is never NULL. */
export function compileCondition(c: Condition, ctx: CompileContext): Sql {
  if ('all' in c) return sql`(${sql.join(c.all.map((x) => compileCondition(x, ctx)), sql` and `)})`
  if ('any' in c) return sql`(${sql.join(c.any.map((x) => compileCondition(x, ctx)), sql` or `)})`
  if ('not' in c) return sql`not (${compileCondition(c.not, ctx)})`
  if ('trait' in c) {
    const { trait, ...test } = c
    return compileComparison(ctx.dialect, { column: sql`p.traits`, path: trait.split('.') }, test, ctx.now)
  }
  if ('performed' in c) return compilePerformed(ctx, c.performed)
  if ('notPerformed' in c) return compileNotPerformed(ctx, c.notPerformed)
  if ('lastPerformed' in c) return compileLastPerformed(ctx, c.lastPerformed)
  if ('computed' in c) return compileComputed(ctx, c)
  if ('rfm' in c) return compileRfm(ctx, c)
  if ('channel' in c) return compileChannel(ctx, c.channel)
  if ('consent' in c) return compileConsent(ctx, c.consent)
  if ('reachable' in c) return compileReachable(ctx, c.reachable)
  if ('audience' in c) return compileMembership(ctx, c.audience)
  return compileRandom(ctx, c.random)
}

/**
 * The person's consent for a channel, read from `channel_consents` (kept by the channels module)
 * the way it reads it: across merged profiles the most recent statement wins, an unsubscribe
 * winning a tie. `unknown` is everyone without a statement either way.
 */
function compileConsent(ctx: CompileContext, c: ConsentCondition['consent']): Sql {
  if (c.state === 'unknown') return sql`not (${latestConsent(ctx, c.channel, sql`latest.state <> 'unknown'`)})`
  return latestConsent(ctx, c.channel, sql`latest.state = ${c.state}`)
}

/** People whose latest consent statement for the channel passes `test` (on `latest.state`). */
function latestConsent(ctx: CompileContext, channel: string, test: Sql): Sql {
  const where = [sql`c.workspace_id = ${ctx.workspaceId}`, sql`c.channel = ${channel}`]
  if (ctx.scope) where.push(ctx.dialect.inList(sql`c.profile_id`, ctx.scope.profiles))
  return latestPerPerson({
    rows: sql`from channel_consents as c left join merged as q on q.id = c.profile_id where ${sql.join(where, sql` and `)}`,
    person: personOf('c'),
    columns: sql`c.state as state`,
    order: sql`c.updated_at desc, case when c.state = 'unsubscribed' then 0 else 1 end`,
    test,
  })
}

/**
 * A marketing message on the channel could reach the person, by the rules the channels module
 * sends by (contact.ts): an identifier of a type the channel's address rule names, on the person's
 * profile (merges move identifiers to the survivor); no do-not-contact flag on any of their
 * profiles; not unsubscribed from the channel, and subscribed where the workspace requires opt-in.
 * Whether a provider is configured is the workspace's matter, not the person's, and is not tested.
 */
function compileReachable(ctx: CompileContext, channel: Channel): Sql {
  const rule = ctx.reach[channel]
  const tests: Sql[] = []
  if (rule.types.length > 0) {
    const identities = sql`from identities as i where i.workspace_id = ${ctx.workspaceId} and ${ctx.dialect.inList(sql`i.type`, rule.types)}`
    // A few people: a probe of the per-profile index each. Everyone: one pass over the identities.
    tests.push(ctx.scope ? sql`exists (select 1 ${identities} and i.profile_id = p.id)` : sql`p.id in (select i.profile_id ${identities})`)
  }
  const flagged = [sql`d.workspace_id = ${ctx.workspaceId}`]
  if (ctx.scope) flagged.push(ctx.dialect.inList(sql`d.profile_id`, ctx.scope.profiles))
  tests.push(sql`p.id not in (select ${personOf('d')} from channel_do_not_contact as d left join merged as q on q.id = d.profile_id where ${sql.join(flagged, sql` and `)})`)
  if (rule.requireOptIn) tests.push(latestConsent(ctx, channel, sql`latest.state = 'subscribed'`))
  else tests.push(sql`not (${latestConsent(ctx, channel, sql`latest.state = 'unsubscribed'`)})`)
  return sql`(${sql.join(tests, sql` and `)})`
}

function compileMembership(ctx: CompileContext, audienceId: string): Sql {
  // A few people: a primary-key probe each. Everyone: one pass over the member list.
  if (ctx.scope) return sql`exists (select 1 from audience_members as m where m.audience_id = ${audienceId} and m.profile_id = p.id)`
  return sql`p.id in (select m.profile_id from audience_members as m where m.audience_id = ${audienceId})`
}

function compileRandom(ctx: CompileContext, c: RandomCondition['random']): Sql {
  const [from, to] = c.percent
  const low = Math.round((from * BUCKETS) / 100)
  const high = Math.round((to * BUCKETS) / 100)
  return sql`${randomBucketSql(ctx.dialect, sql`p.id`, c.seed)} between ${low} and ${high - 1}`
}
