import type { Job } from '../../platform/index.ts'
import type { ConditionNode, JourneyNode, RandomSplitNode, WaitForEventNode } from '../definition/schema.ts'
import { durationMs } from '../definition/duration.ts'
import { loadPeople, workspaceTimeZone } from '../delivery/people.ts'
import { evaluateCondition } from './conditions.ts'
import { CONTINUE, STOP, type EngineContext, type StepOutcome } from './context.ts'
import type { CompiledJourney } from './definitions.ts'
import { delayEnd } from './nodes/delay.ts'
import { pickBranch } from './nodes/random-split.ts'
import { executeSend } from './nodes/send-node.ts'
import { executeTraitUpdate } from './nodes/trait-node.ts'
import { executeWebhook } from './nodes/webhook-node.ts'
import { RunMover, RunReader } from './run-batches.ts'
import { logPosition, runFromRow, type Run, type Transition } from './runs.ts'
import { findWaitEvent, personOf } from './wait-match.ts'

/** Nodes one job executes before yielding the worker to other jobs. */
const STEPS_PER_JOB = 50

/**
 * Drives runs through their journey version's graph. A step job names a run; the driver executes
 * whatever the run's durable state says is due — the current node, a delay that has ended, a wait
 * that timed out, a held send, a send interrupted by a crash — and keeps going until the run
 * waits, ends, or has taken `STEPS_PER_JOB` steps. Every move is a token-guarded transition, so
 * two drivers of one run (a stale timer, a recovered lease) never both move it.
 *
 * Runs driven at the same time share their statements: their reads go in one query (`RunReader`)
 * and their moves in one transaction (`RunMover`). A run the driver just moved itself is not read
 * again before its next node; after a send (a provider round trip, during which the journey may
 * have been paused) its journey's status comes from the transaction that recorded the outcome.
 *
 * @example new StepRunner(ctx).handle(job) // the `journeys.step` job handler
 */
export class StepRunner {
  readonly #ctx: EngineContext
  readonly #reader: RunReader
  readonly #mover: RunMover

  constructor(ctx: EngineContext) {
    this.#ctx = ctx
    this.#reader = new RunReader(ctx.database)
    this.#mover = new RunMover(ctx.database, ctx.clock)
  }

  async handle(job: Job): Promise<void | { reschedule: number }> {
    const { runId } = job.payload as { runId: string }
    const finished = await this.drive(runId)
    if (!finished) return { reschedule: this.#ctx.clock.now() }
  }

  /** Returns false when the run still had work after `STEPS_PER_JOB` steps (the job re-arms). */
  async drive(runId: string): Promise<boolean> {
    const { db } = this.#ctx.database
    let known: { run: Run; status: string | null } | null = null
    for (let step = 0; step < STEPS_PER_JOB; step++) {
      let run: Run
      let status: string | null
      if (known) {
        ;({ run, status } = known)
      } else {
        const row = await this.#reader.read(runId)
        if (!row || row.state === 'ended') return true
        run = runFromRow(row)
        status = row.journey_status
      }
      if (status === null || status === 'archived') {
        await this.#move(run, { state: 'ended', endReason: 'archived' })
        return true
      }
      const compiled = await this.#ctx.definitions.get(db, run.journeyId, run.version)
      const node = compiled?.nodes.get(run.nodeId)
      if (!compiled || !node) {
        this.#ctx.logger.error({ runId, journeyId: run.journeyId, version: run.version, node: run.nodeId }, 'run points to a node its version does not have')
        await this.#move(run, { state: 'ended', endReason: 'error' })
        return true
      }
      const outcome = await this.#step(run, node, compiled, status === 'paused')
      if (outcome.kind === 'stop') return true
      known = outcome.run && outcome.run.state !== 'ended' ? { run: outcome.run, status: outcome.journeyStatus === undefined ? status : outcome.journeyStatus } : null
    }
    return false
  }

  async #step(run: Run, node: JourneyNode, compiled: CompiledJourney, paused: boolean): Promise<StepOutcome> {
    const now = this.#ctx.clock.now()
    // Converted while the event processor could not move it (it was mid-step): end it here.
    if (run.convertedAt !== null && compiled.definition.goal?.exitOnConversion && run.state !== 'sending') {
      return this.#move(run, { state: 'ended', endReason: 'goal' }).then(() => STOP)
    }
    switch (run.state) {
      case 'paused':
        return paused ? STOP : this.#move(run, { state: 'active' })
      case 'delayed':
        if (run.wakeAt !== null && now < run.wakeAt) return STOP
        return this.#move(run, { state: 'active', toNode: (node as { next: string }).next, wakeAt: null, markSeq: await logPosition(this.#ctx.database.db) })
      case 'waiting':
        if (run.waitUntil !== null && now < run.waitUntil) return STOP
        return this.#resolveWait(run, node as WaitForEventNode)
      case 'held':
        if (run.wakeAt !== null && now < run.wakeAt) return STOP
        return this.#execute(run, node, compiled)
      case 'sending':
        return this.#execute(run, node, compiled)
      case 'active':
        if (paused) return this.#move(run, { state: 'paused' }).then(() => STOP)
        return this.#execute(run, node, compiled)
      case 'ended':
        return STOP
    }
  }

  async #execute(run: Run, node: JourneyNode, compiled: CompiledJourney): Promise<StepOutcome> {
    const now = this.#ctx.clock.now()
    switch (node.type) {
      case 'exit':
        await this.#move(run, { state: 'ended', endReason: 'exit' })
        return STOP
      case 'delay': {
        const person = await this.#person(run)
        const wake = delayEnd(node, now, person)
        if (wake.kind === 'missing') {
          if (wake.ifMissing === 'exit') return this.#move(run, { state: 'ended', endReason: `missing_trait:${wake.trait}` }).then(() => STOP)
          return this.#move(run, { state: 'active', toNode: node.next })
        }
        if (wake.at <= now) return this.#move(run, { state: 'active', toNode: node.next })
        await this.#move(run, { state: 'delayed', wakeAt: wake.at, timerAt: wake.at })
        return STOP
      }
      case 'wait_for_event':
        return this.#startWait(run, node)
      case 'condition':
        return this.#condition(run, node)
      case 'random_split':
        return this.#randomSplit(run, node)
      case 'send':
        return executeSend(this.#ctx, this.#mover, run, node, compiled)
      case 'update_trait':
        return executeTraitUpdate(this.#ctx, run, node)
      case 'webhook':
        return executeWebhook(this.#ctx, run, node)
    }
  }

  /** Arms the timeout, then looks in the log for an event that already arrived (see `findWaitEvent`). */
  async #startWait(run: Run, node: WaitForEventNode): Promise<StepOutcome> {
    const deadline = this.#ctx.clock.now() + durationMs(node.timeout)
    const waiting = await this.#moved(run, { state: 'waiting', waitEvent: node.event, waitUntil: deadline, timerAt: deadline })
    if (!waiting) return STOP
    const { group } = await personOf(this.#ctx.database.db, run.workspaceId, run.profileId)
    const seq = await findWaitEvent(this.#ctx.database.db, { workspaceId: run.workspaceId, group, node, afterSeq: waiting.markSeq, deadline })
    if (seq === null) return STOP
    return this.#move(waiting, { state: 'active', toNode: node.onEvent, markSeq: seq, waitEvent: null, waitUntil: null, facts: [{ nodeId: node.id, kind: 'event' }] })
  }

  /** The timeout fired: the event exit if the log holds a match by the deadline, else the timeout exit. */
  async #resolveWait(run: Run, node: WaitForEventNode): Promise<StepOutcome> {
    const { db } = this.#ctx.database
    const { group } = await personOf(db, run.workspaceId, run.profileId)
    const seq = await findWaitEvent(db, { workspaceId: run.workspaceId, group, node, afterSeq: run.markSeq, deadline: run.waitUntil ?? this.#ctx.clock.now() })
    if (seq !== null) return this.#move(run, { state: 'active', toNode: node.onEvent, markSeq: seq, waitEvent: null, waitUntil: null, facts: [{ nodeId: node.id, kind: 'event' }] })
    return this.#move(run, { state: 'active', toNode: node.onTimeout, markSeq: await logPosition(db), waitEvent: null, waitUntil: null, facts: [{ nodeId: node.id, kind: 'timeout' }] })
  }

  async #condition(run: Run, node: ConditionNode): Promise<StepOutcome> {
    const { db } = this.#ctx.database
    const person = await this.#person(run)
    const { group } = await personOf(db, run.workspaceId, run.profileId)
    const scope = { db, workspaceId: run.workspaceId, profileId: person.profileId, profileGroup: group, traits: person.traits, entrySeq: run.entrySeq, now: this.#ctx.clock.now(), audiences: this.#ctx.ports.audiences }
    for (const branch of node.branches) {
      if (await evaluateCondition(branch.when, scope)) return this.#move(run, { state: 'active', toNode: branch.next, facts: [{ nodeId: node.id, kind: 'branch', detail: branch.key }] })
    }
    return this.#move(run, { state: 'active', toNode: node.otherwise, facts: [{ nodeId: node.id, kind: 'branch', detail: 'otherwise' }] })
  }

  async #randomSplit(run: Run, node: RandomSplitNode): Promise<StepOutcome> {
    const branch = pickBranch(run.id, node)
    const fact = { nodeId: node.id, kind: 'branch' as const, detail: branch.key }
    // The holdout sends nothing; the run ends but its goal window stays open, so it is measured.
    if (branch.holdout) return this.#move(run, { state: 'ended', endReason: 'holdout', facts: [fact] }).then(() => STOP)
    return this.#move(run, { state: 'active', toNode: branch.next!, facts: [fact] })
  }

  async #person(run: Run): Promise<{ profileId: string; traits: Record<string, unknown>; timeZone: string }> {
    const { db } = this.#ctx.database
    const zone = await workspaceTimeZone(db, run.workspaceId)
    const person = (await loadPeople(db, run.workspaceId, [run.profileId], zone)).get(run.profileId)
    return person ?? { profileId: run.profileId, traits: {}, timeZone: zone }
  }

  async #moved(run: Run, change: Transition): Promise<Run | null> {
    return (await this.#mover.move({ run, change })).moved
  }

  async #move(run: Run, change: Transition): Promise<StepOutcome> {
    const moved = await this.#moved(run, change)
    return moved ? { kind: 'continue', run: moved } : STOP
  }
}
