import { sql, type Kysely, type Selectable } from 'kysely'
import { readJson, type DialectName, type JourneyRunsTable, type Schema } from '../../platform/index.ts'
import { enqueueInTransaction } from './enqueue.ts'
import { recordFacts, type Fact } from './facts.ts'

/** The job that drives a run: executes its current node, wakes it from a delay, times out a wait. */
export const STEP_JOB = 'journeys.step'

/**
 * Where a run is. Live: `active` (a node to execute), `delayed`, `waiting` (for an event),
 * `sending`, `held` (a send waiting out quiet hours or a retry), `paused` (the journey is).
 * Done: `ended`, with `end_reason` exit, goal, holdout, archived, missing_trait or error.
 */
export type RunState = 'active' | 'delayed' | 'waiting' | 'sending' | 'held' | 'paused' | 'ended'

export interface Run {
  id: string
  workspaceId: string
  journeyId: string
  version: number
  profileId: string
  state: RunState
  nodeId: string
  token: number
  nodeToken: number
  markSeq: number
  waitEvent: string | null
  waitUntil: number | null
  wakeAt: number | null
  entrySeq: number
  enteredAt: number
  goalUntil: number | null
  convertedAt: number | null
  context: RunContext
}

/** What a run carries from its entry: the triggering event, for templates and webhooks. */
export interface RunContext {
  event: string | null
  properties: Record<string, unknown>
}

export function runFromRow(r: Selectable<JourneyRunsTable>): Run {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    journeyId: r.journey_id,
    version: r.version,
    profileId: r.profile_id,
    state: r.state as RunState,
    nodeId: r.node_id,
    token: r.token,
    nodeToken: r.node_token,
    markSeq: Number(r.mark_seq),
    waitEvent: r.wait_event,
    waitUntil: r.wait_until === null ? null : Number(r.wait_until),
    wakeAt: r.wake_at === null ? null : Number(r.wake_at),
    entrySeq: Number(r.entry_seq),
    enteredAt: Number(r.entered_at),
    goalUntil: r.goal_until === null ? null : Number(r.goal_until),
    convertedAt: r.converted_at === null ? null : Number(r.converted_at),
    context: readJson<RunContext>(r.context, { event: null, properties: {} }),
  }
}

export async function loadRun(db: Kysely<Schema>, runId: string): Promise<Run | null> {
  const row = await db.selectFrom('journey_runs').selectAll().where('id', '=', runId).executeTakeFirst()
  return row ? runFromRow(row) : null
}

export interface Transition {
  state: RunState
  /** Moving to another node (or re-entering the same one): it counts as a new arrival there. */
  toNode?: string
  markSeq?: number
  waitEvent?: string | null
  waitUntil?: number | null
  wakeAt?: number | null
  endReason?: string
  /** A timer to arm for the run at this time (a delay's end, a wait's timeout, a held send). */
  timerAt?: number
  /** Drive the run again as soon as a worker is free (after an outside wake-up). */
  enqueueNow?: boolean
  facts?: Array<Omit<Fact, 'workspaceId' | 'journeyId' | 'version' | 'runId' | 'at'>>
}

/**
 * Moves a run, guarded by its token: the update only applies if nobody moved the run since it
 * was read, so of two racing wake-ups (an event and a timeout, two workers) exactly one wins.
 * Arrival at a node is recorded as an `entered` fact; timers are armed in the same transaction.
 * Returns the moved run, or null when the guard failed.
 */
export async function transition(trx: Kysely<Schema>, dialect: DialectName, run: Run, change: Transition, now: number): Promise<Run | null> {
  const moved = movedRun(run, change)
  const ended = change.state === 'ended'
  const result = await trx
    .updateTable('journey_runs')
    .set({
      state: moved.state,
      token: moved.token,
      node_id: moved.nodeId,
      node_token: moved.nodeToken,
      mark_seq: moved.markSeq,
      wait_event: moved.waitEvent,
      wait_until: moved.waitUntil,
      wake_at: moved.wakeAt,
      updated_at: now,
      ...(ended ? { ended_at: now, end_reason: change.endReason ?? 'exit', active_key: null } : {}),
    })
    .where('id', '=', run.id)
    .where('token', '=', run.token)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return null
  await recordFacts(trx, dialect, factsOfMove(run, moved, change, now))
  if (change.timerAt !== undefined) await armStep(trx, moved, change.timerAt, now)
  if (change.enqueueNow) await armStep(trx, moved, now, now)
  return moved
}

/** The run as `change` leaves it (its token one higher). */
export function movedRun(run: Run, change: Transition): Run {
  const token = run.token + 1
  return {
    ...run,
    state: change.state,
    token,
    nodeId: change.toNode ?? run.nodeId,
    nodeToken: change.toNode !== undefined ? token : run.nodeToken,
    markSeq: change.markSeq ?? run.markSeq,
    waitEvent: change.waitEvent === undefined ? run.waitEvent : change.waitEvent,
    waitUntil: change.waitUntil === undefined ? run.waitUntil : change.waitUntil,
    wakeAt: change.wakeAt === undefined ? run.wakeAt : change.wakeAt,
  }
}

/** The facts a move records: the ones it names, and arrival at a node (unless the run ended). */
export function factsOfMove(run: Run, moved: Run, change: Transition, now: number): Fact[] {
  const facts: Fact[] = (change.facts ?? []).map((f) => ({ ...f, workspaceId: run.workspaceId, journeyId: run.journeyId, version: run.version, runId: run.id, at: now }))
  if (change.toNode !== undefined && change.state !== 'ended') facts.push({ workspaceId: run.workspaceId, journeyId: run.journeyId, version: run.version, runId: run.id, nodeId: moved.nodeId, kind: 'entered', at: now })
  return facts
}

/** A step job for the run at its current token (one per token, so re-arming is harmless). */
export async function armStep(trx: Kysely<Schema>, run: Pick<Run, 'id' | 'workspaceId' | 'token'>, runAt: number, now: number): Promise<void> {
  await enqueueInTransaction(trx, { kind: STEP_JOB, dedupeKey: `${STEP_JOB}:${run.id}:${run.token}`, workspaceId: run.workspaceId, payload: { runId: run.id }, runAt }, now)
}

/** The highest position in the log now: a wait that starts here counts only later events. */
export async function logPosition(db: Kysely<Schema>): Promise<number> {
  const row = await db.selectFrom('events').select(sql<number | null>`max(seq)`.as('seq')).executeTakeFirst()
  return Number(row?.seq ?? 0)
}
