import { sql, type Kysely, type RawBuilder } from 'kysely'
import { chunked, readJson, type Schema } from '../../platform/index.ts'
import type { EventRow } from './event-row.ts'
import { isNavigationInsideVisit } from './landing-url.ts'
import { eventRowOf } from './payload-row.ts'
import { MARKETPLACE_CHANNELS, STORE_CHANNELS, TOUCH_EVENT_NAMES } from './touch-kinds.ts'

export interface LogScanOptions {
  db: Kysely<Schema>
  workspaceId: string
  /** Events with `from <= timestamp < to` (epoch ms). */
  from: number
  to: number
  /** Event names of conversions, read besides the touchpoint candidates. */
  conversionEvents: readonly string[]
  /** Payload paths (`properties.total`) to read into `EventRow.extra`. */
  extraPaths: readonly string[]
  /** Events per page of the scan (memory holds one page). Default 20,000. */
  pageSize?: number
  /** Only events up to this sequence number (a scan that is extended later must know what it covered). */
  maxSeq?: number
}

/** A person (canonical profile plus every profile merged into it) and their events in time order. */
export interface PersonEvents {
  personId: string
  /** The canonical profile and its merged profiles that have events in the range. */
  profileIds: string[]
  /** The canonical profile and every profile merged into it. */
  allProfileIds: string[]
  rows: EventRow[]
}

interface Cursor {
  profileId: string
  inclusive: boolean
}

/**
 * Streams the people of a workspace with their events in a time range, in pages: one pass over
 * the events index `(workspace_id, profile_id, timestamp)` in profile order, keyset-paginated so
 * memory holds one page (never the period) and the database never sorts the period. Only events
 * that can be touchpoints or conversions are read (pages, screens, app launches, messages,
 * exposures, store and marketplace events, the conversion events), with the payload fields the
 * classification needs extracted in the database.
 *
 * Merged profiles: events keep the profile id they were written with, so a person's events sit
 * under several ids. A page's canonical profiles fetch their merged profiles' events in one extra
 * query and merge them in time order; events met under a merged id are skipped there. A person
 * whose canonical profile has no events in the range is read once, at the first (by id) of its
 * merged profiles that has some.
 *
 * @example
 * for await (const people of scanPeople({ db, dialect, workspaceId, from, to, conversionEvents: ['Order Completed'], extraPaths: [] })) {
 *   for (const person of people) console.log(person.personId, person.rows.length)
 * }
 */
export async function* scanPeople(options: LogScanOptions): AsyncGenerator<PersonEvents[]> {
  const pageSize = options.pageSize ?? 20_000
  let cursor: Cursor | null = null
  for (;;) {
    const page = await readRows(options, cursor, pageSize)
    if (page.fetched === 0) return
    let rows = page.rows
    let present = page.profileIds
    if (page.fetched === pageSize) {
      const last = page.lastProfileId!
      if (page.firstProfileId === last) {
        // One person fills the page: read all of that profile, then move past it.
        rows = (await readProfiles(options, [last])).rows
        cursor = { profileId: last, inclusive: false }
      } else {
        // The last profile may go on in the next page: read it there whole.
        let cut = rows.length
        while (cut > 0 && rows[cut - 1]!.profileId === last) cut--
        rows = rows.slice(0, cut)
        present = new Set(present)
        present.delete(last)
        cursor = { profileId: last, inclusive: true }
      }
    } else {
      cursor = null
    }
    yield await peopleOfPage(options, rows, present)
    if (cursor === null) return
  }
}

/**
 * The people of one page. `present` holds every profile the page's query returned, including
 * those whose rows were all navigation inside a visit (not kept in `rows`): whether a person is
 * read on this page is decided on what the database has, so a person is read exactly once, and
 * is left out only when none of their profiles has a row worth classifying.
 */
async function peopleOfPage(options: LogScanOptions, rows: EventRow[], present: ReadonlySet<string>): Promise<PersonEvents[]> {
  const byProfile = new Map<string, EventRow[]>()
  for (const row of rows) {
    let list = byProfile.get(row.profileId)
    if (!list) byProfile.set(row.profileId, (list = []))
    list.push(row)
  }
  const ids = [...present]
  const mergedInto = new Map<string, string>()
  for (const part of chunked(ids)) {
    const found = await options.db
      .selectFrom('profiles')
      .select(['id', 'merged_into'])
      .where('workspace_id', '=', options.workspaceId)
      .where('id', 'in', part)
      .where('merged_into', 'is not', null)
      .execute()
    for (const p of found) mergedInto.set(p.id, p.merged_into!)
  }

  // People read in this page: canonical profiles seen here, and people whose canonical profile
  // has no events in the range and whose first merged profile with events is on this page.
  const persons = ids.filter((id) => !mergedInto.has(id))
  const headless = [...new Set([...mergedInto.values()].filter((c) => !present.has(c)))]
  const members = await membersOf(options, [...persons, ...headless])
  if (headless.length > 0) {
    const withEvents = await profilesWithEvents(options, headless)
    const pending = headless.filter((c) => !withEvents.has(c))
    const active = await profilesWithEvents(options, pending.flatMap((c) => members.get(c) ?? []))
    for (const canonical of pending) {
      const first = (members.get(canonical) ?? []).filter((m) => active.has(m)).sort()[0]
      if (first !== undefined && present.has(first)) persons.push(canonical)
    }
  }

  const memberIds = persons.flatMap((p) => members.get(p) ?? [])
  const memberRows = memberIds.length > 0 ? (await readProfiles(options, memberIds)).rows : []
  const memberRowsByProfile = new Map<string, EventRow[]>()
  for (const row of memberRows) {
    let list = memberRowsByProfile.get(row.profileId)
    if (!list) memberRowsByProfile.set(row.profileId, (list = []))
    list.push(row)
  }

  const people = persons.map((personId) => {
    const lists: EventRow[][] = []
    const profileIds: string[] = []
    const own = byProfile.get(personId)
    if (own) {
      lists.push(own)
      profileIds.push(personId)
    }
    for (const member of members.get(personId) ?? []) {
      const list = memberRowsByProfile.get(member)
      if (list) {
        lists.push(list)
        profileIds.push(member)
      }
    }
    const merged = lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq)
    return { personId, profileIds, allProfileIds: [personId, ...(members.get(personId) ?? [])], rows: merged }
  })
  return people.filter((person) => person.rows.length > 0)
}

/** Merged profiles of each canonical profile. */
export async function membersOf(options: LogScanOptions, canonical: string[]): Promise<Map<string, string[]>> {
  const members = new Map<string, string[]>()
  for (const part of chunked(canonical)) {
    const found = await options.db
      .selectFrom('profiles')
      .select(['id', 'merged_into'])
      .where('workspace_id', '=', options.workspaceId)
      .where('merged_into', 'in', part)
      .execute()
    for (const p of found) {
      let list = members.get(p.merged_into!)
      if (!list) members.set(p.merged_into!, (list = []))
      list.push(p.id)
    }
  }
  return members
}

/** Which of these profiles have a candidate event in the range. */
async function profilesWithEvents(options: LogScanOptions, profileIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (const part of chunked(profileIds, 1000)) {
    const query = sql<{ profile_id: string }>`select distinct "profile_id" from "events" where ${baseWhere(options)} and "profile_id" in (${sql.join(part)})`
    for (const row of (await query.execute(options.db)).rows) found.add(row.profile_id)
  }
  return found
}

function readRows(options: LogScanOptions, cursor: Cursor | null, limit: number): Promise<RowsRead> {
  const after = cursor === null ? sql`"profile_id" is not null` : cursor.inclusive ? sql`"profile_id" >= ${cursor.profileId}` : sql`"profile_id" > ${cursor.profileId}`
  return selectRows(options, after, limit)
}

async function readProfiles(options: LogScanOptions, profileIds: readonly string[]): Promise<RowsRead> {
  const read: RowsRead = { rows: [], fetched: 0, firstProfileId: null, lastProfileId: null, profileIds: new Set() }
  for (const part of chunked(profileIds, 1000)) {
    const next = await selectRows(options, sql`"profile_id" in (${sql.join(part)})`, null)
    for (const row of next.rows) read.rows.push(row)
    read.fetched += next.fetched
  }
  return read
}

/**
 * The candidate events of these profiles in the scan's range (up to its `maxSeq`), in profile,
 * time, seq order.
 *
 * @example await eventsOfProfiles({ ...options, maxSeq: kept.coveredSeq }, ['prf_1'])
 */
export async function eventsOfProfiles(options: LogScanOptions, profileIds: readonly string[]): Promise<EventRow[]> {
  return profileIds.length === 0 ? [] : (await readProfiles(options, profileIds)).rows
}

/**
 * The conversion events of these profiles before `before` (epoch ms), with the same fields as the
 * scan, so a caller can tell whether a person had converted before the range (new customers).
 *
 * @example await conversionsBefore(options, person.allProfileIds, options.from)
 */
export async function conversionsBefore(options: LogScanOptions, profileIds: readonly string[], before: number): Promise<EventRow[]> {
  if (options.conversionEvents.length === 0) return []
  const base = sql`"workspace_id" = ${options.workspaceId} and "timestamp" < ${before} and "event" in (${sql.join([...options.conversionEvents])})`
  const rows: EventRow[] = []
  for (const part of chunked(profileIds, 1000)) for (const row of (await selectRows(options, sql`"profile_id" in (${sql.join(part)})`, null, base)).rows) rows.push(row)
  return rows
}

/**
 * Which of these profiles have any conversion event before `before` — enough when a conversion
 * has no property filters, and cheaper than reading the events.
 *
 * @example await profilesConvertedBefore(options, person.allProfileIds, options.from)
 */
export async function profilesConvertedBefore(options: LogScanOptions, profileIds: readonly string[], before: number): Promise<Set<string>> {
  const found = new Set<string>()
  if (options.conversionEvents.length === 0) return found
  for (const part of chunked(profileIds, 1000)) {
    const query = sql<{ profile_id: string }>`select distinct "profile_id" from "events" where "workspace_id" = ${options.workspaceId} and "profile_id" in (${sql.join(part)}) and "timestamp" < ${before} and "event" in (${sql.join([...options.conversionEvents])})`
    for (const row of (await query.execute(options.db)).rows) found.add(row.profile_id)
  }
  return found
}

function baseWhere(options: LogScanOptions): RawBuilder<unknown> {
  const names = [...new Set([...TOUCH_EVENT_NAMES, ...options.conversionEvents])]
  const channels = [...STORE_CHANNELS, ...MARKETPLACE_CHANNELS]
  const upTo = options.maxSeq === undefined ? sql`` : sql` and "seq" <= ${options.maxSeq}`
  return sql`"workspace_id" = ${options.workspaceId} and "timestamp" >= ${options.from} and "timestamp" < ${options.to}${upTo}
    and ("type" in ('page', 'screen') or "event" in (${sql.join(names)}) or "channel" in (${sql.join(channels)}))`
}

/** The events appended after a scan: `after < seq <= upTo`. */
export interface AppendedEvents {
  /** Candidate events in the scan's time range, as the scan reads them (profile, time, seq order). */
  rows: EventRow[]
  /** Profiles with a conversion event dated before the scan's range (their first-ever conversion may have moved). */
  earlierConverters: Set<string>
}

/**
 * The events of the workspace appended since a scan that covered up to `after`, read by sequence
 * number. On SQLite the read is pinned to the rowid range: the planner would otherwise walk the
 * workspace's part of an events index, which is the whole scan again.
 *
 * @example await appendedEvents(options, 'sqlite', kept.coveredSeq, latestSeq)
 */
export async function appendedEvents(options: LogScanOptions, dialect: string, after: number, upTo: number): Promise<AppendedEvents> {
  const range = sql`"seq" > ${after} and "seq" <= ${upTo}`
  const from = dialect === 'sqlite' ? sql`"events" not indexed` : sql`"events"`
  const read = await selectRows(options, sql`"profile_id" is not null and ${range}`, null, baseWhere({ ...options, maxSeq: undefined }), from)
  const earlierConverters = new Set<string>()
  if (options.conversionEvents.length > 0) {
    const query = sql<{ profile_id: string }>`select distinct "profile_id" from ${from} where ${range} and "workspace_id" = ${options.workspaceId}
      and "profile_id" is not null and "timestamp" < ${options.from} and "event" in (${sql.join([...options.conversionEvents])})`
    for (const row of (await query.execute(options.db)).rows) earlierConverters.add(row.profile_id)
  }
  return { rows: read.rows, earlierConverters }
}

/** Rows read by one query: those worth classifying, and how many the database returned. */
interface RowsRead {
  rows: EventRow[]
  fetched: number
  firstProfileId: string | null
  lastProfileId: string | null
  /** Every profile the database returned rows of, kept or not. */
  profileIds: Set<string>
}

async function selectRows(options: LogScanOptions, where: RawBuilder<unknown>, limit: number | null, base = baseWhere(options), from = sql`"events"`): Promise<RowsRead> {
  const query = sql<RawEvent>`select "seq", "profile_id", "timestamp", "type", "event", "order_minor", "order_currency", "payload"
    from ${from} where ${base} and ${where}
    order by "profile_id", "timestamp", "seq"${limit === null ? sql`` : sql` limit ${limit}`}`
  const result = await query.execute(options.db)
  const conversionEvents = new Set(options.conversionEvents)
  const rows: EventRow[] = []
  for (const r of result.rows) {
    // Pages inside a visit are most of a log's page views: recognised from the text, not parsed.
    if ((r.type === 'page' || r.type === 'screen') && typeof r.payload === 'string' && !conversionEvents.has(r.event ?? '') && isNavigationInsideVisit(r.type, r.payload)) continue
    rows.push(toEventRow(r, options.extraPaths))
  }
  const raw = result.rows
  const profileIds = new Set<string>()
  for (const r of raw) profileIds.add(r.profile_id)
  return { rows, fetched: raw.length, firstProfileId: raw[0]?.profile_id ?? null, lastProfileId: raw.at(-1)?.profile_id ?? null, profileIds }
}

interface RawEvent {
  seq: number | string
  profile_id: string
  timestamp: number | string
  type: string
  event: string | null
  order_minor: number | string | null
  order_currency: string | null
  payload: unknown
}

/**
 * The payload is parsed here rather than picked apart in SQL: on SQLite, twenty `json_extract`s
 * per row cost several times a single `JSON.parse` in Node (measured on the bench log), and the
 * same code then serves both databases (PostgreSQL's driver hands jsonb over parsed).
 */
function toEventRow(r: RawEvent, extraPaths: readonly string[]): EventRow {
  const payload = readJson<Record<string, unknown>>(r.payload, {})
  return eventRowOf(payload, {
    seq: Number(r.seq),
    profileId: r.profile_id,
    timestamp: Number(r.timestamp),
    type: r.type,
    event: r.event,
    orderMinor: r.order_minor === null ? null : Number(r.order_minor),
    orderCurrency: r.order_currency,
    extraPaths,
  })
}
