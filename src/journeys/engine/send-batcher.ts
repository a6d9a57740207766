import { deliver, type DeliveryItem, type DeliveryOptions, type Settlement } from '../delivery/deliver.ts'
import { transitionMany, type Move } from './run-moves.ts'
import type { Run } from './runs.ts'

/**
 * The move a send's outcome asks of the run as it stands (`sending`), knowing its journey's status
 * as read in the transaction that records the outcome; null: none.
 */
type OnSettled = (settlement: Settlement, journeyStatus: string | null, run: Run) => Move | null

/**
 * What became of the run: `settled`, moved by the send's outcome (`run` null: the move's guard
 * failed), with its journey's status read in the same transaction, so the driver goes on without
 * reading the run again after the round trip; or not settled here — `run` is then the run moved
 * to `sending` (its driver goes on from there), or null when it could not be moved.
 */
export interface SendMoved {
  settled: boolean
  run: Run | null
  journeyStatus: string | null
}

interface Waiter {
  /** For a `new` item: the run's move to `sending`, made in the transaction that decides the send. */
  stage: Move | null
  /** The run as it stands (null: its move to `sending` failed). */
  current: Run | null
  onSettled: OnSettled
  moved: SendMoved
  resolve: (moved: SendMoved) => void
  reject: (error: unknown) => void
}

interface Pending {
  item: DeliveryItem
  /** Every run driver waiting on this key (two drivers of one run may meet here; one will move it). */
  waiters: Waiter[]
}

/** Largest batch handed to `deliver` at once (the sender splits further as it needs). */
const MAX_BATCH = 500

/**
 * Gathers the sends of runs driven at the same time into one `deliver` call per workspace: one
 * transaction that moves the runs of `new` sends to `sending` and decides every send (guard
 * rails; outbox rows written with their decision), one sender call (`sendBatch` where the sender
 * has it) and one transaction recording every outcome together with the runs' moves (one
 * token-guarded statement for the set, `transitionMany`). While a batch is out, new sends wait
 * and go together in the next, so batches grow with the load and a lone send goes at once.
 *
 * @example const moved = await batcher.submit(workspaceId, item, { run, change: { state: 'sending' } }, (s, status, run) => ({ run, change: { state: 'active', toNode: node.next } }))
 */
export class SendBatcher {
  readonly #options: () => Omit<DeliveryOptions, 'onSettled'>
  readonly #waiting = new Map<string, Map<string, Pending>>()
  readonly #busy = new Set<string>()

  constructor(options: () => Omit<DeliveryOptions, 'onSettled'>) {
    this.#options = options
  }

  /**
   * Resolves once the item's outcome and the run's move are committed. `stage` is the run's move to
   * `sending` for a `new` item; for a stored one, the run already stands there (`run`).
   */
  submit(workspaceId: string, item: DeliveryItem, at: { stage: Move } | { run: Run }, onSettled: OnSettled): Promise<SendMoved> {
    return new Promise<SendMoved>((resolve, reject) => {
      const queue = this.#waiting.get(workspaceId) ?? new Map<string, Pending>()
      this.#waiting.set(workspaceId, queue)
      const pending = queue.get(item.key)
      const stage = 'stage' in at ? at.stage : null
      const waiter: Waiter = { stage, current: stage ? null : (at as { run: Run }).run, onSettled, moved: { settled: false, run: null, journeyStatus: null }, resolve, reject }
      if (pending) pending.waiters.push(waiter)
      else queue.set(item.key, { item, waiters: [waiter] })
      if (!this.#busy.has(workspaceId)) {
        this.#busy.add(workspaceId)
        // Let the runs being driven alongside this one reach their send too.
        setImmediate(() => void this.#flush(workspaceId))
      }
    })
  }

  async #flush(workspaceId: string): Promise<void> {
    for (;;) {
      const queue = this.#waiting.get(workspaceId)
      if (!queue || queue.size === 0) {
        this.#waiting.delete(workspaceId)
        this.#busy.delete(workspaceId)
        return
      }
      const batch: Pending[] = []
      for (const [key, pending] of queue) {
        if (batch.length === MAX_BATCH) break
        batch.push(pending)
        queue.delete(key)
      }
      const byKey = new Map(batch.map((p) => [p.item.key, p]))
      const options = this.#options()
      try {
        await deliver(
          {
            ...options,
            stage: async (trx, items) => {
              const asked = items.flatMap((item) => (byKey.get(item.key)?.waiters ?? []).flatMap((waiter) => (waiter.stage ? [{ item, waiter, move: waiter.stage }] : [])))
              const moved = await transitionMany(trx, options.database.dialect, asked.map((a) => a.move), options.clock.now())
              const staged = new Set<string>()
              asked.forEach((a, i) => {
                a.waiter.current = moved[i] ?? null
                if (moved[i]) staged.add(a.item.key)
              })
              return staged
            },
            onSettled: async (trx, settlements) => {
              const journeyIds = [...new Set(settlements.flatMap((s) => (s.item.attribution.journeyId ? [s.item.attribution.journeyId] : [])))]
              const statuses = new Map<string, string>()
              if (journeyIds.length > 0) for (const j of await trx.selectFrom('journeys').select(['id', 'status']).where('id', 'in', journeyIds).execute()) statuses.set(j.id, j.status)
              const asked: Array<{ waiter: Waiter; move: Move }> = []
              for (const s of settlements) {
                const journeyStatus = statuses.get(s.item.attribution.journeyId ?? '') ?? null
                for (const waiter of byKey.get(s.item.key)?.waiters ?? []) {
                  if (!waiter.current) continue
                  waiter.moved = { settled: true, run: null, journeyStatus: null }
                  const move = waiter.onSettled(s, journeyStatus, waiter.current)
                  if (move) asked.push({ waiter, move })
                }
              }
              const moved = await transitionMany(trx, options.database.dialect, asked.map((a) => a.move), options.clock.now())
              asked.forEach((a, i) => {
                const run = moved[i] ?? null
                a.waiter.moved = { settled: true, run, journeyStatus: run ? (statuses.get(run.journeyId) ?? null) : null }
              })
            },
          },
          workspaceId,
          batch.map((p) => p.item),
        )
        for (const p of batch) for (const w of p.waiters) w.resolve(w.moved.settled ? w.moved : { settled: false, run: w.current, journeyStatus: null })
      } catch (error) {
        for (const p of batch) for (const w of p.waiters) w.reject(error)
      }
    }
  }
}
