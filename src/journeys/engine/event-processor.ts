import type { Kysely, Transaction } from 'kysely'
import { chunked, type DialectName, type LogEvent, type LogProcessor, type Schema } from '../../platform/index.ts'
import { appendSystemEvents } from '../../ingest/index.ts'
import { durationMs } from '../definition/duration.ts'
import type { Clock } from '../../platform/index.ts'
import { AUDIENCE_ENTERED, type CompiledJourney, type DefinitionCache, type WorkspaceCatalog } from './definitions.ts'
import { recordFacts } from './facts.ts'
import { matchesFilters } from './filters.ts'
import { EntryBatch } from './entries.ts'
import { runFromRow, transition, type Run } from './runs.ts'

/** Delivery events channels write to the log, and the metric each one counts. */
export const DELIVERY_EVENTS: Record<string, 'delivered' | 'opened' | 'clicked'> = {
  'Message Delivered': 'delivered',
  'Message Opened': 'opened',
  'Message Clicked': 'clicked',
}

export const EVENT_PROCESSOR = 'journeys.events'

/**
 * The journeys' window on the log. For each event, in `seq` order and inside the transaction that
 * advances the cursor (so each event is acted on exactly once):
 *
 * - wakes runs waiting for this event (the same rule as the timeout: after the run's mark, by the
 *   deadline), moving them to the event exit — token-guarded, so a timeout racing it loses;
 * - counts goal conversions for runs whose goal window is open (holdout runs included), and ends
 *   the run when the goal says so;
 * - ties delivery events (delivered, opened, clicked) back to the send, for node metrics;
 * - enters the person into every published journey whose entry matches (an event with property
 *   filters, or `Audience Entered` for the audience), honouring re-entry and one-run-at-a-time;
 *   entries are started together (`EntryBatch`) before the next event that looks at runs.
 *
 * @example new ProcessorRunner({ …, processors: [journeyEventProcessor({ database, clock, definitions })] })
 */
export function journeyEventProcessor(deps: { dialect: DialectName; clock: Clock; definitions: DefinitionCache }): LogProcessor {
  return {
    name: EVENT_PROCESSOR,
    batchSize: 1_000,
    async handle(events, trx) {
      const withProfile = events.filter((e) => e.profileId !== null && e.event !== null)
      if (withProfile.length === 0) return
      const catalogs = await deps.definitions.catalog(trx, [...new Set(withProfile.map((e) => e.workspaceId))])
      const relevant = withProfile.filter((e) => DELIVERY_EVENTS[e.event!] !== undefined || catalogs.get(e.workspaceId)?.eventNames.has(e.event!))
      if (relevant.length === 0) return
      const survivors = await survivorsOf(trx, relevant)
      const handler = new EventHandler(trx, deps)
      const entries = new EntryBatch(trx, deps.dialect)
      for (const event of relevant) {
        const person = survivors.get(event.profileId!) ?? event.profileId!
        const catalog = catalogs.get(event.workspaceId)
        // Entries wait to be started together, but never past an event that looks at runs.
        if (DELIVERY_EVENTS[event.event!] || catalog?.waitEvents.has(event.event!) || catalog?.goalEvents.has(event.event!)) await entries.flush()
        if (DELIVERY_EVENTS[event.event!]) await handler.delivery(event)
        if (!catalog) continue
        if (catalog.waitEvents.has(event.event!)) await handler.wake(event, person, catalog)
        if (catalog.goalEvents.has(event.event!)) await handler.goals(event, person, catalog)
        if (catalog.entryEvents.has(event.event!)) handler.enter(event, person, catalog, entries)
      }
      await entries.flush()
    },
  }
}

class EventHandler {
  readonly #trx: Transaction<Schema>
  readonly #dialect: DialectName
  readonly #clock: Clock
  readonly #definitions: DefinitionCache

  constructor(trx: Transaction<Schema>, deps: { dialect: DialectName; clock: Clock; definitions: DefinitionCache }) {
    this.#trx = trx
    this.#dialect = deps.dialect
    this.#clock = deps.clock
    this.#definitions = deps.definitions
  }

  async wake(event: LogEvent, person: string, catalog: WorkspaceCatalog): Promise<void> {
    const rows = await this.#runsOf(event.workspaceId, person)
      .where('state', '=', 'waiting')
      .where('wait_event', '=', event.event)
      .execute()
    const now = this.#clock.now()
    for (const row of rows) {
      const run = runFromRow(row)
      if (event.seq <= run.markSeq || (run.waitUntil !== null && event.timestamp > run.waitUntil)) continue
      const node = this.#compiled(catalog, run)?.nodes.get(run.nodeId) ?? (await this.#definitions.get(this.#trx, run.journeyId, run.version))?.nodes.get(run.nodeId)
      if (!node || node.type !== 'wait_for_event' || !matchesFilters(propertiesOf(event), node.where)) continue
      await transition(this.#trx, this.#dialect, run, { state: 'active', toNode: node.onEvent, markSeq: event.seq, waitEvent: null, waitUntil: null, enqueueNow: true, facts: [{ nodeId: node.id, kind: 'event' }] }, now)
    }
  }

  async goals(event: LogEvent, person: string, catalog: WorkspaceCatalog): Promise<void> {
    const journeys = new Map<string, CompiledJourney[]>()
    for (const c of catalog.live) {
      if (c.definition.goal?.event !== event.event) continue
      journeys.set(c.journeyId, [...(journeys.get(c.journeyId) ?? []), c])
    }
    if (journeys.size === 0) return
    const rows = await this.#runsOf(event.workspaceId, person)
      .where('journey_id', 'in', [...journeys.keys()])
      .where('converted_at', 'is', null)
      .where('goal_until', '>=', event.timestamp)
      .where('entry_seq', '<', event.seq)
      .execute()
    const now = this.#clock.now()
    for (const row of rows) {
      const run = runFromRow(row)
      const compiled = journeys.get(run.journeyId)?.find((c) => c.version === run.version)
      const goal = compiled?.definition.goal
      if (!goal || !matchesFilters(propertiesOf(event), goal.where)) continue
      const converted = await this.#trx.updateTable('journey_runs').set({ converted_at: event.timestamp }).where('id', '=', run.id).where('converted_at', 'is', null).executeTakeFirst()
      if (Number(converted.numUpdatedRows) !== 1) continue
      await recordFacts(this.#trx, this.#dialect, [{ workspaceId: run.workspaceId, journeyId: run.journeyId, version: run.version, runId: run.id, kind: 'converted', detail: event.event, at: now }])
      await appendSystemEvents(
        this.#trx,
        this.#dialect,
        run.workspaceId,
        [{ profileId: run.profileId, event: 'Journey Goal Reached', messageId: `goal:${run.id}`, timestamp: event.timestamp, source: 'journeys', properties: { journeyId: run.journeyId, journeyVersion: run.version, runId: run.id, goalEvent: event.event, conversionMessageId: event.messageId } }],
        now,
      )
      if (goal.exitOnConversion && run.state !== 'ended' && run.state !== 'sending') {
        await transition(this.#trx, this.#dialect, run, { state: 'ended', endReason: 'goal' }, now)
      }
    }
  }

  async delivery(event: LogEvent): Promise<void> {
    const props = propertiesOf(event)
    const key = typeof props.idempotencyKey === 'string' ? props.idempotencyKey : null
    const providerId = typeof props.messageId === 'string' ? props.messageId : null
    if (!key && !providerId) return
    let query = this.#trx.selectFrom('journey_sends').select(['key', 'journey_id', 'version', 'node_id', 'broadcast_id', 'run_id']).where('workspace_id', '=', event.workspaceId)
    query = key ? query.where('key', '=', key) : query.where('provider_id', '=', providerId)
    const send = await query.executeTakeFirst()
    if (!send) return
    await recordFacts(this.#trx, this.#dialect, [
      { workspaceId: event.workspaceId, journeyId: send.journey_id, version: send.version, nodeId: send.node_id, broadcastId: send.broadcast_id, runId: send.run_id, sendKey: send.key, kind: DELIVERY_EVENTS[event.event!]!, at: event.timestamp },
    ])
  }

  enter(event: LogEvent, person: string, catalog: WorkspaceCatalog, entries: EntryBatch): void {
    const now = this.#clock.now()
    const properties = propertiesOf(event)
    for (const journey of catalog.entries) {
      const d = journey.definition
      if ('event' in d.entry) {
        if (event.event !== d.entry.event || !matchesFilters(properties, d.entry.where)) continue
      } else if (event.event !== AUDIENCE_ENTERED || properties.audienceId !== d.entry.audience) continue
      if (event.timestamp < now - durationMs(d.maxEntryLateness)) continue
      entries.add({ event, person, journey, properties, now })
    }
  }

  /** Runs of a person: their surviving profile, and any profile since merged into it. */
  #runsOf(workspaceId: string, person: string) {
    return this.#trx
      .selectFrom('journey_runs')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where((eb) => eb.or([eb('profile_id', '=', person), eb('profile_id', 'in', eb.selectFrom('profiles').select('id').where('workspace_id', '=', workspaceId).where('merged_into', '=', person))]))
  }

  #compiled(catalog: WorkspaceCatalog, run: Run): CompiledJourney | undefined {
    return catalog.live.find((c) => c.journeyId === run.journeyId && c.version === run.version)
  }
}

function propertiesOf(event: LogEvent): Record<string, unknown> {
  const properties = event.payload.properties
  return properties && typeof properties === 'object' && !Array.isArray(properties) ? (properties as Record<string, unknown>) : {}
}

/** The surviving profile of every profile in the batch (one query per 5,000). */
async function survivorsOf(db: Kysely<Schema>, events: readonly LogEvent[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const ids = [...new Set(events.map((e) => e.profileId!))]
  for (const part of chunked(ids, 5_000)) {
    for (const r of await db.selectFrom('profiles').select(['id', 'merged_into']).where('id', 'in', part).execute()) out.set(r.id, r.merged_into ?? r.id)
  }
  return out
}
