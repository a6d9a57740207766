import { sql, type Kysely, type RawBuilder } from 'kysely'
import { chunked, type Schema } from '../../platform/index.ts'
import { creditInto, type Conversion, type CreditQuery, type CreditTally, type Touch } from './last-touch.ts'

type Db = Kysely<Schema>

const person = sql`coalesce(p.merged_into, e.profile_id)`
const fromEvents = sql`events e left join profiles p on p.workspace_id = e.workspace_id and p.id = e.profile_id`

function inList(values: readonly string[]) {
  return sql.join(values.map((v) => sql`${v}`))
}

type ConversionRow = { person: string | null; ts: number | string; seq: number | string; amount: number | string | null; currency: string | null }
type TouchRow = { person: string; ts: number | string; seq: number | string; source: string }

const toConversion = (r: ConversionRow): Conversion => ({ person: r.person, ts: Number(r.ts), seq: Number(r.seq), amount: r.amount === null ? null : Number(r.amount), currency: r.currency })
const toTouch = (r: TouchRow): Touch => ({ person: r.person, ts: Number(r.ts), seq: Number(r.seq), source: r.source })

/**
 * Every conversion in [q.from, q.to) credited, per person: the window's conversions and every
 * touch in [q.from − lookback, q.to). With `maxSeq`, only the events with `seq <= maxSeq`, so that
 * what is appended later is added exactly once when the tally is extended.
 */
export async function scanCredits(db: Db, q: CreditQuery, maxSeq?: number): Promise<CreditTally> {
  const tally: CreditTally = new Map()
  if (q.conversionEvents.length === 0) return tally
  const bounded: RawBuilder<unknown> = maxSeq === undefined ? sql.raw('') : sql` and e.seq <= ${maxSeq}`
  const sources = [...q.sourceToChannel.keys()]
  const [conversions, touches] = await Promise.all([
    sql<ConversionRow>`select ${person} as person, e.timestamp as ts, e.seq as seq, e.order_minor as amount, e.order_currency as currency
      from ${fromEvents} where e.workspace_id = ${q.workspaceId} and e.timestamp >= ${q.from} and e.timestamp < ${q.to}
        and e.event in (${inList(q.conversionEvents)})${bounded}`.execute(db),
    sources.length === 0
      ? { rows: [] as TouchRow[] }
      : sql<TouchRow>`select ${person} as person, e.timestamp as ts, e.seq as seq, lower(e.channel) as source
          from ${fromEvents} where e.workspace_id = ${q.workspaceId} and e.timestamp >= ${q.from - q.lookbackMs} and e.timestamp < ${q.to}
            and e.profile_id is not null and lower(e.channel) in (${inList(sources)})${bounded}`.execute(db),
  ])
  creditInto(tally, q, conversions.rows.map(toConversion), touches.rows.map(toTouch))
  return tally
}

/**
 * The credits of these people alone (canonical profile ids), among the events with
 * `seq <= maxSeq`: their conversions in the window and their touches in
 * [q.from − lookback, q.to), read through their profiles rather than the window. Their profiles
 * are found first (a union of two index lookups) so that SQLite walks the per-person index of
 * events for each; joined the other way round it picks the (workspace, event) index and walks the
 * whole workspace. People with no conversion in the window are absent.
 */
export async function creditsOfPeople(db: Db, q: CreditQuery, people: readonly string[], maxSeq: number): Promise<CreditTally> {
  const tally: CreditTally = new Map()
  if (q.conversionEvents.length === 0 || people.length === 0) return tally
  const sources = [...q.sourceToChannel.keys()]
  const relevant = sources.length === 0 ? sql`e.event in (${inList(q.conversionEvents)})` : sql`(e.event in (${inList(q.conversionEvents)}) or lower(e.channel) in (${inList(sources)}))`
  const conversionEvents = new Set(q.conversionEvents)
  for (const part of chunked([...new Set(people)], 500)) {
    const r = await sql<ConversionRow & { event: string | null; source: string | null }>`select coalesce(p.merged_into, p.id) as person, e.timestamp as ts, e.seq as seq,
        e.event as event, lower(e.channel) as source, e.order_minor as amount, e.order_currency as currency
      from events e join profiles p on p.workspace_id = e.workspace_id and p.id = e.profile_id
      where e.workspace_id = ${q.workspaceId} and e.profile_id in (
          select id from profiles where workspace_id = ${q.workspaceId} and id in (${inList(part)})
          union all select id from profiles where workspace_id = ${q.workspaceId} and merged_into in (${inList(part)}))
        and e.timestamp >= ${q.from - q.lookbackMs} and e.timestamp < ${q.to} and e.seq <= ${maxSeq} and ${relevant}`.execute(db)
    const conversions: Conversion[] = []
    const touches: Touch[] = []
    for (const row of r.rows) {
      // One event can be both: a conversion that arrived from a campaign's source.
      if (row.event !== null && conversionEvents.has(row.event) && Number(row.ts) >= q.from) conversions.push(toConversion(row))
      if (row.source !== null && q.sourceToChannel.has(row.source)) touches.push(toTouch(row as TouchRow))
    }
    creditInto(tally, q, conversions, touches)
  }
  return tally
}

/**
 * The conversions with `seq <= maxSeq` dated in [from, to): the stretch a running campaign's
 * window has grown by since credits were kept. Only conversions, by the (workspace, event, time)
 * index: a touch in the stretch can only be credited for a conversion after it, in the stretch
 * too. Null when one belongs to a profile erased while this read went on.
 */
export async function stretchConversions(db: Db, q: CreditQuery, from: number, to: number, maxSeq: number): Promise<Conversion[] | null> {
  if (q.conversionEvents.length === 0) return []
  const r = await sql<ConversionRow & { orphan: number | string | boolean }>`select ${person} as person, e.timestamp as ts, e.seq as seq, e.order_minor as amount, e.order_currency as currency,
      case when e.profile_id is not null and p.id is null then 1 else 0 end as orphan
    from ${fromEvents} where e.workspace_id = ${q.workspaceId} and e.event in (${inList(q.conversionEvents)})
      and e.timestamp >= ${from} and e.timestamp < ${to} and e.seq <= ${maxSeq}`.execute(db)
  if (r.rows.some((row) => Number(row.orphan) === 1 || row.orphan === true)) return null
  return r.rows.map(toConversion)
}
