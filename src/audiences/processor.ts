import type { Kysely, Transaction } from 'kysely'
import type { Clock, DialectName, LogEvent, LogProcessor, Schema } from '../platform/index.ts'
import { AUDIENCE_ENTERED, AUDIENCE_EXITED, addMembers, removeMembers, MembershipChanges } from './membership-writer.ts'
import { flushMembershipEvents, reevaluate, type EvaluationScope } from './reevaluate.ts'
import { workspaceAudiences, type Audience } from './store.ts'
import { workspaceFacts } from './workspace-facts.ts'
import { MAX_SWEEP_INTERVAL_MS } from './sweep-timing.ts'

export const AUDIENCE_PROCESSOR = 'audiences'

/**
 * Real-time membership: reads new events from the log and, per batch, re-evaluates only the
 * people the batch touched, only for the audiences those events can change — one query per
 * audience — and writes the difference with its `Audience Entered` / `Audience Exited` events in
 * the transaction that advances the processor's cursor (exactly once).
 *
 * An event can change an audience when it is named by the audience's conditions, is an order
 * (computed fields, RFM), carries a channel, or is an identify (traits); consent and
 * do-not-contact changes arrive as the channels module's `Subscribed` / `Unsubscribed` /
 * `Do Not Contact Set` / `Do Not Contact Cleared` events; a person who gained an identifier in the
 * batch is re-checked for `reachable`. A person seen for the first time, or merged in this
 * batch, is evaluated for every audience; memberships of profiles merged away move to the survivor.
 *
 * @example new ProcessorRunner({ database, clock, logger, processors: [audienceProcessor({ dialect: database.dialect, clock })] })
 */
export function audienceProcessor(options: { dialect: DialectName; clock: Clock }): LogProcessor {
  return {
    name: AUDIENCE_PROCESSOR,
    batchSize: 1_000,
    handle: (events, trx) => handleEvents(trx, options.dialect, options.clock.now(), events),
  }
}

async function handleEvents(trx: Transaction<Schema>, dialect: DialectName, now: number, events: LogEvent[]): Promise<void> {
  const byWorkspace = new Map<string, LogEvent[]>()
  for (const e of events) {
    if (e.profileId === null) continue
    const list = byWorkspace.get(e.workspaceId)
    if (list) list.push(e)
    else byWorkspace.set(e.workspaceId, [e])
  }
  for (const [workspaceId, list] of byWorkspace) {
    const audiences = await workspaceAudiences(trx, workspaceId)
    if (audiences.length === 0) continue
    const scope: EvaluationScope = { trx, dialect, workspaceId, now, ...(await workspaceFacts(trx, workspaceId)), audiences }
    await handleWorkspace(scope, list)
  }
}

async function handleWorkspace(scope: EvaluationScope, events: LogEvent[]): Promise<void> {
  const { trx, workspaceId } = scope
  const people = await peopleOf(trx, workspaceId, events)
  const persons = [...new Set(people.personOf.values())]
  const merged = await mergedInBatch(trx, workspaceId, persons, events)
  const changes = new MembershipChanges()
  const seeds = new Map<string, Set<string>>()
  const seed = (audienceId: string, person: string) => {
    let set = seeds.get(audienceId)
    if (!set) seeds.set(audienceId, (set = new Set()))
    set.add(person)
  }

  const live = scope.audiences.filter((a) => a.kind === 'dynamic' && a.status === 'active')
  const linked = live.some((a) => a.deps!.identities) ? await linkedInBatch(trx, workspaceId, people.personOf, events) : new Set<string>()
  for (const e of events) {
    const person = people.personOf.get(e.profileId!)
    if (!person) continue // deleted since
    const everything = merged.has(person) || (people.createdAt.get(person) ?? 0) >= e.receivedAt
    for (const audience of live) if (everything || canChange(audience, e, linked.has(person))) seed(audience.id, person)
  }

  await moveMergedMemberships(scope, persons, changes, seed)
  await lowerNextChecks(scope, live, events)
  await reevaluate(scope, seeds, changes)
  await flushMembershipEvents(scope, changes)
}

/** Whether this event can change this audience's membership for its person (`linked`: they gained an identifier in this batch). */
function canChange(audience: Audience, e: LogEvent, linked: boolean): boolean {
  const deps = audience.deps!
  if (e.event !== null && deps.events.has(e.event)) {
    // An audience's own entry and exit events never re-trigger it: no membership loops.
    const own = (e.event === AUDIENCE_ENTERED || e.event === AUDIENCE_EXITED) && (e.payload.properties as Record<string, unknown> | undefined)?.audienceId === audience.id
    if (!own) return true
  }
  if (deps.orders && e.orderMinor !== null) return true
  if (deps.channels && e.channel !== null) return true
  // Identify calls link and unlink identifiers; any call can link one (context.traits, externalIds).
  if (deps.identities && (e.type === 'identify' || linked)) return true
  return deps.traits && e.type === 'identify'
}

/**
 * People who gained an identifier from this batch's events: identities are written with the time
 * ingest wrote the message, never before the message was received, so an identifier of the person
 * created at or after the earliest receipt among their events may be one of these events' doing.
 */
async function linkedInBatch(trx: Kysely<Schema>, workspaceId: string, personOf: Map<string, string>, events: LogEvent[]): Promise<Set<string>> {
  const since = new Map<string, number>()
  for (const e of events) {
    const person = personOf.get(e.profileId!)
    if (person && e.receivedAt < (since.get(person) ?? Number.POSITIVE_INFINITY)) since.set(person, e.receivedAt)
  }
  if (since.size === 0) return new Set()
  const earliest = Math.min(...since.values())
  const rows = await trx
    .selectFrom('identities')
    .select(['profile_id', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', [...since.keys()])
    .where('created_at', '>=', earliest)
    .execute()
  return new Set(rows.filter((r) => Number(r.created_at) >= since.get(r.profile_id)!).map((r) => r.profile_id))
}

/** The surviving person of each event's profile, and when each person's profile was created. */
async function peopleOf(trx: Kysely<Schema>, workspaceId: string, events: LogEvent[]) {
  const ids = [...new Set(events.map((e) => e.profileId!))]
  const personOf = new Map<string, string>()
  const createdAt = new Map<string, number>()
  const rows = await trx.selectFrom('profiles').select(['id', 'merged_into', 'created_at']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute()
  for (const r of rows) {
    personOf.set(r.id, r.merged_into ?? r.id)
    if (r.merged_into === null) createdAt.set(r.id, Number(r.created_at))
  }
  const survivors = [...new Set(rows.filter((r) => r.merged_into !== null).map((r) => r.merged_into!))].filter((id) => !createdAt.has(id))
  if (survivors.length > 0) {
    const more = await trx.selectFrom('profiles').select(['id', 'created_at']).where('workspace_id', '=', workspaceId).where('id', 'in', survivors).execute()
    for (const r of more) createdAt.set(r.id, Number(r.created_at))
  }
  return { personOf, createdAt }
}

/** People who absorbed another profile because of an event in this batch (the merge audit says which). */
async function mergedInBatch(trx: Kysely<Schema>, workspaceId: string, persons: string[], events: LogEvent[]): Promise<Set<string>> {
  if (persons.length === 0) return new Set()
  const messageIds = new Set(events.map((e) => e.messageId))
  const rows = await trx
    .selectFrom('merges')
    .select(['survivor_id', 'message_id'])
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'merged')
    .where('survivor_id', 'in', persons)
    .execute()
  return new Set(rows.filter((r) => r.message_id !== null && messageIds.has(r.message_id)).map((r) => r.survivor_id!))
}

/**
 * Membership follows the surviving profile: a member whose profile was merged away leaves (its
 * own `Audience Exited`), and the survivor is evaluated for a dynamic audience or, for a static
 * one, takes the place.
 */
async function moveMergedMemberships(scope: EvaluationScope, persons: string[], changes: MembershipChanges, seed: (audienceId: string, person: string) => void): Promise<void> {
  if (persons.length === 0) return
  const rows = await scope.trx
    .selectFrom('audience_members as m')
    .innerJoin('profiles as q', 'q.id', 'm.profile_id')
    .select(['m.audience_id', 'm.profile_id', 'q.merged_into'])
    .where('m.workspace_id', '=', scope.workspaceId)
    .where('q.workspace_id', '=', scope.workspaceId)
    .where('q.merged_into', 'in', persons)
    .execute()
  const byId = new Map(scope.audiences.map((a) => [a.id, a]))
  for (const r of rows) {
    const audience = byId.get(r.audience_id)
    if (!audience) continue
    await removeMembers(scope.trx, audience, [r.profile_id], scope.now, changes)
    if (audience.kind === 'static') await addMembers(scope.trx, scope.dialect, audience, [r.merged_into!], scope.now, changes)
    else seed(audience.id, r.merged_into!)
  }
}

/**
 * A back-dated event (an import) can put an edge of a time-dependent audience sooner than its
 * planned sweep: bring the sweep forward to it.
 */
async function lowerNextChecks(scope: EvaluationScope, audiences: Audience[], events: LogEvent[]): Promise<void> {
  for (const audience of audiences) {
    let soonest = Number.POSITIVE_INFINITY
    for (const edge of audience.deps!.edges) {
      for (const e of events) {
        const matches = 'event' in edge.source ? e.event === edge.source.event : e.orderMinor !== null
        if (!matches) continue
        const boundary = e.timestamp + edge.offsetMs + 1
        if (boundary > scope.now && boundary < soonest) soonest = boundary
      }
    }
    // The planned sweep is never more than the maximum interval away: nothing later can be sooner.
    if (soonest >= scope.now + MAX_SWEEP_INTERVAL_MS) continue
    await scope.trx
      .updateTable('audiences')
      .set({ next_check_at: soonest })
      .where('id', '=', audience.id)
      .where((eb) => eb.or([eb('next_check_at', 'is', null), eb('next_check_at', '>', soonest)]))
      .execute()
  }
}
