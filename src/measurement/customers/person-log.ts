import { sql, type Kysely } from 'kysely'
import { readJson, type Schema } from '../../platform/index.ts'
import type { MatcherScope } from './event-matcher.ts'

/**
 * The event log as people see it. Events keep the profile id they were written with; a person is
 * the canonical profile plus every profile merged into it (`profiles.merged_into` always points at
 * the survivor), so each event is attributed to `coalesce(merged_into, id)` of its profile. A
 * profile created and merged within one ingest batch never gets a row of its own; its events are
 * followed through the merge audit (`merges`) to the survivor instead. Events with no profile
 * (blocked placeholder ids) belong to nobody and are skipped.
 *
 * The log is read in keyset pages by `seq`, so memory holds one page of payloads at a time.
 */
export interface PersonEvent {
  seq: number
  timestamp: number
  /** The canonical profile id. */
  person: string
  type: string
  event: string | null
  /** The ingest-time channel (`events.channel`). */
  channel: string | null
  orderMinor: number | null
  orderCurrency: string | null
  /** Written by Chorus itself (Audience Entered, Message Sent…): no source, user or anonymous id. */
  system: boolean
  properties?: Record<string, unknown>
  /** The stored payload, when the scan asked for it (`withPayload`). */
  payload?: Record<string, unknown>
}

export interface LogScan {
  workspaceId: string
  /** Inclusive lower bound on `timestamp` (epoch ms). */
  from?: number
  /** Exclusive upper bound on `timestamp`. */
  to?: number
  /** Restrict to what these matchers can match; all events when absent. */
  scope?: MatcherScope
  /** Parse and attach every event's payload (touch classification needs the page and campaign). */
  withPayload?: boolean
  /** Only these canonical people (their merged profiles included). */
  people?: ReadonlySet<string>
  pageSize?: number
}

/**
 * Yields pages of person-resolved events in log order.
 *
 * @example for await (const page of scanPersonEvents(db, { workspaceId, from, to })) handle(page)
 */
export async function* scanPersonEvents(db: Kysely<Schema>, scan: LogScan): AsyncGenerator<PersonEvent[]> {
  const pageSize = scan.pageSize ?? 5000
  const withPayload = (scan.scope?.needsProperties ?? false) || scan.withPayload === true
  const resolver = new MergedProfileResolver(db, scan.workspaceId)
  let after = 0
  for (;;) {
    let query = db
      .selectFrom('events as e')
      .leftJoin('profiles as p', 'p.id', 'e.profile_id')
      .select(['e.seq', 'e.timestamp', 'e.type', 'e.event', 'e.channel', 'e.order_minor', 'e.order_currency', 'e.user_id', 'e.anonymous_id', 'e.source_id', 'e.profile_id'])
      .select(sql<string | null>`coalesce(p.merged_into, p.id)`.as('person'))
      .where('e.workspace_id', '=', scan.workspaceId)
      .where('e.profile_id', 'is not', null)
      .where('e.seq', '>', after)
    if (withPayload) query = query.select('e.payload')
    if (scan.from !== undefined) query = query.where('e.timestamp', '>=', scan.from)
    if (scan.to !== undefined) query = query.where('e.timestamp', '<', scan.to)
    const scope = scan.scope
    if (scope && scope.names !== null) {
      const names = scope.names
      query = query.where((eb) => {
        const any = []
        if (names.length > 0) any.push(eb('e.event', 'in', names))
        if (scope.types.length > 0) any.push(eb('e.type', 'in', scope.types))
        if (scope.orders) any.push(eb('e.order_minor', 'is not', null))
        return any.length > 0 ? eb.or(any) : eb.val(false)
      })
    }
    const rows = (await query.orderBy('e.seq').limit(pageSize).execute()) as Array<Record<string, unknown>>
    if (rows.length === 0) return
    after = Number(rows[rows.length - 1]!.seq)
    const orphans = rows.filter((r) => r.person === null).map((r) => r.profile_id as string)
    if (orphans.length > 0) await resolver.resolve(orphans)
    const page: PersonEvent[] = []
    for (const r of rows) {
      const person = (r.person as string | null) ?? resolver.get(r.profile_id as string)
      if (person === null) continue
      if (scan.people && !scan.people.has(person)) continue
      const e: PersonEvent = {
        seq: Number(r.seq),
        timestamp: Number(r.timestamp),
        person,
        type: r.type as string,
        event: (r.event as string | null) ?? null,
        channel: (r.channel as string | null) ?? null,
        orderMinor: r.order_minor === null || r.order_minor === undefined ? null : Number(r.order_minor),
        orderCurrency: (r.order_currency as string | null) ?? null,
        system: r.user_id === null && r.anonymous_id === null && r.source_id === null,
      }
      if (scan.withPayload) {
        e.payload = readJson<Record<string, unknown>>(r.payload, {})
        e.properties = (e.payload.properties as Record<string, unknown> | undefined) ?? {}
      } else if (withPayload && (scope!.propertiesFor === null || (e.event !== null && scope!.propertiesFor.has(e.event)))) {
        const payload = readJson<Record<string, unknown>>(r.payload, {})
        e.properties = (payload.properties as Record<string, unknown> | undefined) ?? {}
      }
      page.push(e)
    }
    yield page
    if (rows.length < pageSize) return
  }
}

/**
 * Every matching event grouped by person, each person's events in time order (ties by `seq`).
 *
 * @example const timelines = await loadTimelines(db, { workspaceId, from, to, scope })
 */
export async function loadTimelines(db: Kysely<Schema>, scan: LogScan): Promise<Map<string, PersonEvent[]>> {
  const byPerson = new Map<string, PersonEvent[]>()
  for await (const page of scanPersonEvents(db, scan)) {
    for (const e of page) {
      let list = byPerson.get(e.person)
      if (!list) byPerson.set(e.person, (list = []))
      list.push(e)
    }
  }
  for (const list of byPerson.values()) list.sort(byTime)
  return byPerson
}

export function byTime(a: PersonEvent, b: PersonEvent): number {
  return a.timestamp - b.timestamp || a.seq - b.seq
}

/**
 * The canonical person of each profile id given (merged ids map to their survivor, also through
 * the merge audit; unknown ids are left out).
 *
 * @example const people = await canonicalPeople(db, workspaceId, ['prf_01…', 'prf_01…'])
 */
export async function canonicalPeople(db: Kysely<Schema>, workspaceId: string, profileIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const unique = [...new Set(profileIds)]
  const resolver = new MergedProfileResolver(db, workspaceId)
  for (let i = 0; i < unique.length; i += 5000) {
    const part = unique.slice(i, i + 5000)
    const rows = await db.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('id', 'in', part).execute()
    for (const r of rows) out.set(r.id, r.merged_into ?? r.id)
    const missing = part.filter((id) => !out.has(id))
    await resolver.resolve(missing)
    for (const id of missing) {
      const person = resolver.get(id)
      if (person !== null) out.set(id, person)
    }
  }
  return out
}

/**
 * Finds the person of profile ids that have no row, through the merge audit: each was merged into
 * a survivor (possibly itself merged later, possibly also without a row). Answers are cached for
 * the scan.
 */
class MergedProfileResolver {
  readonly #db: Kysely<Schema>
  readonly #workspaceId: string
  readonly #known = new Map<string, string | null>()

  constructor(db: Kysely<Schema>, workspaceId: string) {
    this.#db = db
    this.#workspaceId = workspaceId
  }

  get(profileId: string): string | null {
    return this.#known.get(profileId) ?? null
  }

  async resolve(profileIds: readonly string[]): Promise<void> {
    const pending = [...new Set(profileIds)].filter((id) => !this.#known.has(id))
    if (pending.length === 0) return
    // Each unresolved id follows its chain of survivors until one has a profile row.
    const current = new Map(pending.map((id) => [id, id]))
    for (let depth = 0; depth < 16 && current.size > 0; depth++) {
      const merges = await this.#db
        .selectFrom('merges')
        .select(['merged_id', 'survivor_id'])
        .where('workspace_id', '=', this.#workspaceId)
        .where('kind', '=', 'merged')
        .where('merged_id', 'in', [...new Set(current.values())])
        .execute()
      const survivorOf = new Map(merges.map((m) => [m.merged_id!, m.survivor_id!]))
      const survivors = [...new Set(survivorOf.values())]
      const rows = survivors.length === 0 ? [] : await this.#db.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', this.#workspaceId).where('id', 'in', survivors).execute()
      const canonical = new Map(rows.map((r) => [r.id, r.merged_into ?? r.id]))
      for (const [original, at] of [...current]) {
        const survivor = survivorOf.get(at)
        if (survivor === undefined) {
          this.#known.set(original, null)
          current.delete(original)
        } else if (canonical.has(survivor)) {
          this.#known.set(original, canonical.get(survivor)!)
          current.delete(original)
        } else current.set(original, survivor)
      }
    }
    for (const original of current.keys()) this.#known.set(original, null)
  }
}
