import { sql } from 'kysely'
import type { ChannelCondition, ComputedCondition, LastPerformedCondition, NotPerformedCondition, PerformedCondition, PropertyCondition, RfmCondition } from './definition.ts'
import { RFM_DEFAULTS } from './definition.ts'
import { compileComparison } from './compile-comparison.ts'
import { aggregateTest, eventRows, latestPerPerson, PERSON, sqlOp, type CompileContext } from './compile-context.ts'
import { minorUnits } from './currency.ts'
import type { Sql } from './sql-dialect.ts'
import { DAY_MS, durationMs, isoDateMs } from './time-values.ts'

/** Conditions on the event log: what people did, when, and what it was worth. */

function windowFilters(ctx: CompileContext, window: { within?: string; between?: { from: string; to: string } }): Sql[] {
  if (window.within) return [sql`e.timestamp >= ${ctx.now - durationMs(window.within)}`]
  if (window.between) return [sql`e.timestamp >= ${isoDateMs(window.between.from)!}`, sql`e.timestamp < ${isoDateMs(window.between.to)!}`]
  return []
}

function propertyFilters(ctx: CompileContext, column: Sql, where: PropertyCondition[] | undefined): Sql[] {
  return (where ?? []).map(({ property, ...test }) => compileComparison(ctx.dialect, { column, path: ['properties', ...property.split('.')] }, test, ctx.now))
}

export function compilePerformed(ctx: CompileContext, c: PerformedCondition['performed']): Sql {
  const rows = eventRows(ctx, [sql`e.event = ${c.event}`, ...windowFilters(ctx, c), ...propertyFilters(ctx, sql`e.payload`, c.where)])
  const count = c.count ?? { op: '>=', value: 1 }
  // "At least once" needs no counting: membership of the set of people with a matching event.
  if ((count.op === '>=' && count.value === 1) || (count.op === '>' && count.value === 0)) return sql`p.id in (select ${PERSON} ${rows})`
  return aggregateTest(rows, sql`count(*)`, count.op, count.value)
}

export function compileNotPerformed(ctx: CompileContext, c: NotPerformedCondition['notPerformed']): Sql {
  const rows = eventRows(ctx, [sql`e.event = ${c.event}`, ...windowFilters(ctx, c), ...propertyFilters(ctx, sql`e.payload`, c.where)])
  return sql`p.id not in (select ${PERSON} ${rows})`
}

/** The person's latest event of that name (ties broken by log order) passes every test. */
export function compileLastPerformed(ctx: CompileContext, c: LastPerformedCondition['lastPerformed']): Sql {
  const tests = [...propertyFilters(ctx, sql`latest.payload`, c.where)]
  if (c.within) tests.push(sql`latest.ts >= ${ctx.now - durationMs(c.within)}`)
  return latestPerPerson({
    rows: eventRows(ctx, [sql`e.event = ${c.event}`]),
    columns: sql`e.payload as payload, e.timestamp as ts`,
    order: sql`e.timestamp desc, e.seq desc`,
    test: tests.length ? sql.join(tests, sql` and `) : sql`true`,
  })
}

/** Completed orders (the ingest order rule fills `order_minor`), optionally in one currency. */
function orderRows(ctx: CompileContext, filters: Sql[]): Sql {
  return eventRows(ctx, [sql`e.order_minor is not null`, ...filters])
}

export function compileComputed(ctx: CompileContext, c: ComputedCondition): Sql {
  const window = windowFilters(ctx, c)
  switch (c.computed) {
    case 'order_count':
      return aggregateTest(orderRows(ctx, window), sql`count(*)`, c.op, c.value)
    case 'lifetime_revenue': {
      const currency = c.currency ?? ctx.currency
      return aggregateTest(orderRows(ctx, [sql`e.order_currency = ${currency}`, ...window]), sql`sum(e.order_minor)`, c.op, minorUnits(c.value, currency))
    }
    case 'days_since_last_order':
      return sql`p.id in (select ${PERSON} ${orderRows(ctx, [])} group by ${PERSON} having ${recencyTest(ctx.now, c.op, c.value)})`
  }
}

/**
 * Whole days since the last order, `floor((now − last) / 1 day)`, compared without dividing:
 * `days ≥ N` ⇔ `last ≤ now − N days`, `days ≤ N` ⇔ `last > now − (N+1) days`. People with no order
 * have no recency and never match.
 */
function recencyTest(now: number, op: ComputedCondition['op'], n: number): Sql {
  const last = sql`max(e.timestamp)`
  const atLeast = (days: number) => sql`${last} <= ${now - days * DAY_MS}`
  const atMost = (days: number) => sql`${last} > ${now - (days + 1) * DAY_MS}`
  switch (op) {
    case '>=':
      return atLeast(n)
    case '>':
      return atLeast(n + 1)
    case '<=':
      return atMost(n)
    case '<':
      return n === 0 ? sql`false` : atMost(n - 1)
    case '=':
      return sql`(${atLeast(n)} and ${atMost(n)})`
    case '!=':
      return sql`not (${atLeast(n)} and ${atMost(n)})`
  }
}

/**
 * RFM (Hughes, *Strategic Database Marketing*, 1994) with fixed cut points instead of quintiles:
 * with quintiles one person's purchase would move everyone else's score, and membership could no
 * longer be kept up to date person by person. Each part scores 1–5; `score` is their sum.
 * Only people with an order in the window have a score.
 */
export function compileRfm(ctx: CompileContext, c: RfmCondition): Sql {
  const window = c.rfm.window ?? RFM_DEFAULTS.window
  const currency = c.rfm.currency ?? ctx.currency
  const recency = c.rfm.recency ?? RFM_DEFAULTS.recency
  const frequency = c.rfm.frequency ?? RFM_DEFAULTS.frequency
  const monetary = (c.rfm.monetary ?? RFM_DEFAULTS.monetary).map((m) => minorUnits(m, currency))
  // Recency: 5 when the last order is within the first cut (in days), down to 1 past the last.
  const r = sql`(case ${sql.join(
    recency.map((days, i) => sql`when max(e.timestamp) >= ${ctx.now - days * DAY_MS} then ${sql.lit(5 - i)}`),
    sql` `,
  )} else 1 end)`
  // Frequency and monetary: 1 below the first cut, up to 5 at or above the last.
  const rising = (value: Sql, cuts: readonly number[]) =>
    sql`(case ${sql.join(
      [...cuts].reverse().map((cut, i) => sql`when ${value} >= ${cut} then ${sql.lit(5 - i)}`),
      sql` `,
    )} else 1 end)`
  const f = rising(sql`count(*)`, frequency)
  const m = rising(sql`sum(case when e.order_currency = ${currency} then e.order_minor else 0 end)`, monetary)
  const part = c.part ?? 'score'
  const score = part === 'recency' ? r : part === 'frequency' ? f : part === 'monetary' ? m : sql`(${r} + ${f} + ${m})`
  const rows = orderRows(ctx, [sql`e.timestamp >= ${ctx.now - durationMs(window)}`])
  return sql`p.id in (select ${PERSON} ${rows} group by ${PERSON} having ${score} ${sqlOp(c.op)} ${c.value})`
}

/** Came through one of the channels (in the window), or — with `first` — was acquired through one. */
export function compileChannel(ctx: CompileContext, c: ChannelCondition['channel']): Sql {
  if (c.first) {
    return latestPerPerson({
      rows: eventRows(ctx, [sql`e.channel is not null`]),
      columns: sql`e.channel as channel`,
      order: sql`e.timestamp asc, e.seq asc`,
      test: ctx.dialect.inList(sql`latest.channel`, c.in),
    })
  }
  return sql`p.id in (select ${PERSON} ${eventRows(ctx, [ctx.dialect.inList(sql`e.channel`, c.in), ...windowFilters(ctx, c)])})`
}
