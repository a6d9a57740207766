import type { Transaction } from 'kysely'
import { chunked, insertRows, newId, writeJson, type DialectName, type LogEvent, type Schema } from '../../platform/index.ts'
import { durationMs } from '../definition/duration.ts'
import type { CompiledJourney } from './definitions.ts'
import { recordFacts, type Fact } from './facts.ts'
import { armEntrySteps } from './entry-steps.ts'

interface Entry {
  event: LogEvent
  /** The surviving profile of the event's person. */
  person: string
  journey: CompiledJourney
  properties: Record<string, unknown>
  now: number
}

const RUN_COLUMNS = [
  'id', 'workspace_id', 'journey_id', 'version', 'profile_id', 'state', 'node_id', 'token', 'node_token', 'mark_seq', 'wait_event', 'wait_until', 'wake_at',
  'entry_seq', 'entry_key', 'entered_at', 'updated_at', 'ended_at', 'end_reason', 'converted_at', 'goal_until', 'active_key', 'context',
]

/**
 * Entries into journeys, gathered over a stretch of the log and started together: the re-entry
 * look-up for every person in one query per journey, the runs in one insert, their `entered` facts
 * in one insert, and their first steps in one job per set of runs (`armEntrySteps`). The event
 * processor flushes before it acts on anything else (a wake-up, a goal, a delivery), so every
 * event still sees the runs of the events before it.
 *
 * Decisions are the ones entering one event at a time would make: an entry made earlier in the
 * same stretch counts for re-entry like one already stored; a run that collides with one already
 * there (one run at a time, or this event entered them before) is not started, as before.
 *
 * @example entries.add({ event, person, journey, properties, now }); await entries.flush()
 */
export class EntryBatch {
  readonly #trx: Transaction<Schema>
  readonly #dialect: DialectName
  #queued: Entry[] = []

  constructor(trx: Transaction<Schema>, dialect: DialectName) {
    this.#trx = trx
    this.#dialect = dialect
  }

  add(entry: Entry): void {
    this.#queued.push(entry)
  }

  async flush(): Promise<void> {
    const queued = this.#queued
    this.#queued = []
    if (queued.length === 0) return
    const last = await this.#lastEntries(queued)
    const runs: unknown[][] = []
    const started: Array<{ id: string; entry: Entry }> = []
    for (const entry of queued) {
      const { event, person, journey, properties, now } = entry
      const d = journey.definition
      const key = `${journey.journeyId}:${person}`
      if (d.reentry.policy !== 'always') {
        const at = last.get(key)
        if (at !== undefined && (d.reentry.policy === 'never' || now - at < durationMs(d.reentry.after!))) continue
      }
      last.set(key, now)
      const id = newId('run', now)
      started.push({ id, entry })
      runs.push([
        id, event.workspaceId, journey.journeyId, journey.version, person, 'active', d.start, 0, 0, event.seq, null, null, null,
        event.seq, event.messageId, now, now, null, null, null, d.goal ? now + durationMs(d.goal.within) : null, d.oneRunAtATime ? key : null,
        writeJson({ event: event.event, properties }),
      ])
    }
    const inserted = new Set((await insertRows<{ id: string }>(this.#trx, this.#dialect, 'journey_runs', RUN_COLUMNS, runs, { ignoreConflicts: true, returning: ['id'] })).map((r) => r.id))
    const facts: Fact[] = []
    const runsStarted: Array<{ id: string; workspaceId: string }> = []
    for (const { id, entry } of started) {
      if (!inserted.has(id)) continue // already in the journey (one run at a time), or this event entered them before
      const { event, journey, now } = entry
      facts.push({ workspaceId: event.workspaceId, journeyId: journey.journeyId, version: journey.version, nodeId: journey.definition.start, runId: id, kind: 'entered', at: now })
      runsStarted.push({ id, workspaceId: event.workspaceId })
    }
    await recordFacts(this.#trx, this.#dialect, facts)
    await armEntrySteps(this.#trx, this.#dialect, runsStarted, queued[0]!.now)
  }

  /**
   * When each person last entered each journey that limits re-entry (`journeyId:person`),
   * counting runs of profiles since merged into them.
   */
  async #lastEntries(queued: readonly Entry[]): Promise<Map<string, number>> {
    const last = new Map<string, number>()
    const asked = new Map<string, { workspaceId: string; persons: Set<string> }>()
    for (const e of queued) {
      if (e.journey.definition.reentry.policy === 'always') continue
      const a = asked.get(e.journey.journeyId) ?? { workspaceId: e.event.workspaceId, persons: new Set<string>() }
      a.persons.add(e.person)
      asked.set(e.journey.journeyId, a)
    }
    const note = (journeyId: string, person: string, at: unknown) => {
      const key = `${journeyId}:${person}`
      last.set(key, Math.max(last.get(key) ?? -Infinity, Number(at)))
    }
    for (const [journeyId, { workspaceId, persons }] of asked) {
      for (const part of chunked([...persons], 500)) {
        const own = await this.#trx
          .selectFrom('journey_runs')
          .select(['profile_id', (eb) => eb.fn.max('entered_at').as('at')])
          .where('workspace_id', '=', workspaceId)
          .where('journey_id', '=', journeyId)
          .where('profile_id', 'in', part)
          .groupBy('profile_id')
          .execute()
        for (const r of own) note(journeyId, r.profile_id, r.at)
        // The merged profiles first, then their runs: joined in one statement, SQLite's planner
        // may walk every run of the journey instead, a cost that grows with the journey.
        const merged = await this.#trx.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('merged_into', 'in', part).execute()
        if (merged.length === 0) continue
        const survivor = new Map(merged.map((m) => [m.id, m.merged_into!]))
        for (const ids of chunked([...survivor.keys()], 500)) {
          const theirs = await this.#trx
            .selectFrom('journey_runs')
            .select(['profile_id', (eb) => eb.fn.max('entered_at').as('at')])
            .where('workspace_id', '=', workspaceId)
            .where('journey_id', '=', journeyId)
            .where('profile_id', 'in', ids)
            .groupBy('profile_id')
            .execute()
          for (const r of theirs) note(journeyId, survivor.get(r.profile_id)!, r.at)
        }
      }
    }
    return last
  }
}
