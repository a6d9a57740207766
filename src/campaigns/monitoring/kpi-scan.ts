import { sql, SqliteAdapter, type Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import type { KpiQuery } from './log-kpis.ts'
import { emptyTally, type KpiRow, type KpiTally, type Measure } from './kpi-tally.ts'

type Db = Kysely<Schema>

const person = sql`coalesce(p.merged_into, e.profile_id)`
const visitor = sql`coalesce(p.merged_into, e.profile_id, e.anonymous_id)`
const profileOf = sql`left join profiles p on p.workspace_id = e.workspace_id and p.id = e.profile_id`

function inList(values: readonly string[]) {
  return sql.join(values.map((v) => sql`${v}`))
}

/**
 * The tally of a window read whole: the same queries as `log-kpis.ts`, answering who was counted
 * instead of how many, and bounded to the events with `seq <= maxSeq` so that what is appended
 * later is added exactly once when the tally is extended.
 */
export async function scanTally(db: Db, q: KpiQuery, measures: readonly Measure[], maxSeq: number): Promise<KpiTally> {
  const tally = emptyTally(measures)
  const window = sql`e.workspace_id = ${q.workspaceId} and e.timestamp >= ${q.from} and e.timestamp < ${q.to} and e.seq <= ${maxSeq}`
  const scoped = q.sources && q.sources.length > 0 ? sql`${window} and lower(e.channel) in (${inList(q.sources.map((s) => s.toLowerCase()))})` : window
  const reads: Promise<void>[] = []
  if (tally.reach) {
    const reach = tally.reach
    reads.push(
      sql<{ person: string }>`select distinct ${person} as person from events e ${profileOf} where ${scoped} and e.profile_id is not null`
        .execute(db)
        .then((r) => r.rows.forEach((row) => reach.add(row.person))),
    )
  }
  if (tally.traffic) {
    const traffic = tally.traffic
    reads.push(
      sql<{ source: string; visitor: string | null; views: number | string }>`select coalesce(e.channel, 'direct') as source, ${visitor} as visitor, count(*) as views
        from events e ${profileOf} where ${scoped} and e.type in ('page', 'screen') group by coalesce(e.channel, 'direct'), ${visitor}`
        .execute(db)
        .then((r) => {
          for (const row of r.rows) {
            let visitors = traffic.get(row.source)
            if (!visitors) traffic.set(row.source, (visitors = new Map()))
            visitors.set(row.visitor, Number(row.views))
          }
        }),
    )
  }
  if (tally.leads && q.leadEvents.length > 0) {
    const leads = tally.leads
    reads.push(
      sql<{ person: string | null }>`select distinct ${person} as person from events e ${profileOf} where ${window} and e.event in (${inList(q.leadEvents)})`
        .execute(db)
        .then((r) => r.rows.forEach((row) => row.person !== null && leads.add(row.person))),
    )
  }
  if (tally.conversions && q.conversionEvents.length > 0) {
    const conversions = tally.conversions
    reads.push(
      sql<{ person: string | null; n: number | string }>`select ${person} as person, count(*) as n from events e ${profileOf}
        where ${window} and e.event in (${inList(q.conversionEvents)}) group by ${person}`
        .execute(db)
        .then((r) => r.rows.forEach((row) => conversions.set(row.person, Number(row.n)))),
    )
  }
  if (tally.revenue) {
    const revenue = tally.revenue
    reads.push(
      sql<{ person: string | null; currency: string | null; orders: number | string; amount: number | string }>`select ${person} as person, e.order_currency as currency,
          count(*) as orders, sum(e.order_minor) as amount
        from events e ${profileOf} where ${window} and e.order_minor is not null group by ${person}, e.order_currency`
        .execute(db)
        .then((r) => {
          for (const row of r.rows) {
            let currencies = revenue.get(row.person)
            if (!currencies) revenue.set(row.person, (currencies = new Map()))
            currencies.set(row.currency, { orders: Number(row.orders), amount: Number(row.amount) })
          }
        }),
    )
  }
  if (tally.newCustomers) {
    const newCustomers = tally.newCustomers
    reads.push(
      sql<{ person: string }>`select person from (
          select ${person} as person, min(e.timestamp) as first_order from events e ${profileOf}
          where e.workspace_id = ${q.workspaceId} and e.order_minor is not null and e.seq <= ${maxSeq}
          group by ${person}
        ) firsts where person is not null and first_order >= ${q.from} and first_order < ${q.to}`
        .execute(db)
        .then((r) => r.rows.forEach((row) => newCustomers.add(row.person))),
    )
  }
  await Promise.all(reads)
  return tally
}

type RawRow = {
  person: string | null
  visitor: string | null
  orphan: number | string | boolean
  timestamp: number | string
  type: string
  event: string | null
  channel: string | null
  order_minor: number | string | null
  order_currency: string | null
}

const rowColumns = sql`${person} as person, ${visitor} as visitor, case when e.profile_id is not null and p.id is null then 1 else 0 end as orphan,
  e.timestamp as timestamp, e.type as type, e.event as event, e.channel as channel, e.order_minor as order_minor, e.order_currency as order_currency`

function toRows(raw: readonly RawRow[]): KpiRow[] | null {
  const rows: KpiRow[] = []
  for (const r of raw) {
    // A profile gone while its event is still read: an erasure committed during the read.
    if (Number(r.orphan) === 1 || r.orphan === true) return null
    rows.push({
      person: r.person,
      visitor: r.visitor,
      timestamp: Number(r.timestamp),
      type: r.type,
      event: r.event,
      channel: r.channel,
      orderMinor: r.order_minor === null ? null : Number(r.order_minor),
      orderCurrency: r.order_currency,
    })
  }
  return rows
}

/**
 * The workspace's events appended with `after < seq <= upTo`, whenever they are dated (a
 * late-arriving event dated inside the window, an order dated before it that makes someone's
 * first order earlier). Read by sequence number, an indexed range of what arrived since; SQLite
 * is told so, since the workspace's indexes would have it walk the whole workspace. Null when one
 * of them belongs to a profile erased while this read went on.
 */
export async function appendedKpiRows(db: Db, workspaceId: string, after: number, upTo: number): Promise<KpiRow[] | null> {
  const events = db.getExecutor().adapter instanceof SqliteAdapter ? sql`events e not indexed` : sql`events e`
  const r = await sql<RawRow>`select ${rowColumns} from ${events} ${profileOf}
    where e.seq > ${after} and e.seq <= ${upTo} and e.workspace_id = ${workspaceId}`.execute(db)
  return toRows(r.rows)
}

/**
 * The events with `seq <= maxSeq` dated in [from, to): the stretch a running campaign's window
 * has grown by since a tally was kept (a few minutes of the workspace's index on time).
 */
export async function stretchKpiRows(db: Db, workspaceId: string, from: number, to: number, maxSeq: number): Promise<KpiRow[] | null> {
  const r = await sql<RawRow>`select ${rowColumns} from events e ${profileOf}
    where e.workspace_id = ${workspaceId} and e.timestamp >= ${from} and e.timestamp < ${to} and e.seq <= ${maxSeq}`.execute(db)
  return toRows(r.rows)
}

/**
 * Each of these people's first order ever among the events with `seq <= maxSeq`, across every
 * profile merged into them (people with no order are absent). Their profiles are found first, by
 * id and by `merged_into`, then only those profiles' orders are read through the orders-by-person
 * index: joining profiles to the workspace's orders instead walked every order it has.
 */
export async function firstOrders(db: Db, workspaceId: string, people: readonly string[], maxSeq: number): Promise<Map<string, number>> {
  const firsts = new Map<string, number>()
  const ids = [...new Set(people)]
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500)
    const profiles = [
      ...(await db.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('id', 'in', part).execute()),
      ...(await db.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('merged_into', 'in', part).execute()),
    ]
    const personOf = new Map(profiles.map((p) => [p.id, p.merged_into ?? p.id]))
    for (let j = 0; j < profiles.length; j += 500) {
      const r = await sql<{ profile_id: string; first_order: number | string }>`select e.profile_id, min(e.timestamp) as first_order from events e
        where e.workspace_id = ${workspaceId} and e.profile_id in (${inList(profiles.slice(j, j + 500).map((p) => p.id))})
          and e.order_minor is not null and e.seq <= ${maxSeq}
        group by e.profile_id`.execute(db)
      for (const row of r.rows) {
        const person = personOf.get(row.profile_id)!
        const at = Number(row.first_order)
        if (!(firsts.get(person)! <= at)) firsts.set(person, at)
      }
    }
  }
  return firsts
}
