import { deliver, type DeliveryItem, type DeliveryOptions, type Settlement } from '../delivery/deliver.ts'
import { transitionMany, type Move } from './run-moves.ts'
import type { Run } from './runs.ts'

/**
 * The move a send's outcome asks of its run (null: none), knowing its journey's status as read in
 * the transaction that records the outcome.
 */
type OnSettled = (settlement: Settlement, journeyStatus: string | null) => Move | null

/**
 * The run as the send's outcome moved it (null: not moved), and its journey's status read in the
 * same transaction, so the driver goes on without reading the run again after the round trip.
 */
export interface SendMoved {
  run: Run | null
  journeyStatus: string | null
}

interface Waiter {
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
 * guard-rail decision, one sender call (`sendBatch` where the sender has it) and one transaction
 * recording every outcome together with the runs' moves (one token-guarded statement for the
 * set, `transitionMany`). While a batch is out, new sends wait
 * and go together in the next, so batches grow with the load and a lone send goes at once.
 *
 * @example const moved = await batcher.submit(workspaceId, item, (s) => ({ run, change: { state: 'active', toNode: node.next } }))
 */
export class SendBatcher {
  readonly #options: () => Omit<DeliveryOptions, 'onSettled'>
  readonly #waiting = new Map<string, Map<string, Pending>>()
  readonly #busy = new Set<string>()

  constructor(options: () => Omit<DeliveryOptions, 'onSettled'>) {
    this.#options = options
  }

  /** Resolves once the item's outcome and the run's move are committed, with the moved run. */
  submit(workspaceId: string, item: DeliveryItem, onSettled: OnSettled): Promise<SendMoved> {
    return new Promise<SendMoved>((resolve, reject) => {
      const queue = this.#waiting.get(workspaceId) ?? new Map<string, Pending>()
      this.#waiting.set(workspaceId, queue)
      const pending = queue.get(item.key)
      const waiter: Waiter = { onSettled, moved: { run: null, journeyStatus: null }, resolve, reject }
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
            onSettled: async (trx, settlements) => {
              const journeyIds = [...new Set(settlements.flatMap((s) => (s.item.attribution.journeyId ? [s.item.attribution.journeyId] : [])))]
              const statuses = new Map<string, string>()
              if (journeyIds.length > 0) for (const j of await trx.selectFrom('journeys').select(['id', 'status']).where('id', 'in', journeyIds).execute()) statuses.set(j.id, j.status)
              const asked: Array<{ waiter: Waiter; move: Move }> = []
              for (const s of settlements) {
                const journeyStatus = statuses.get(s.item.attribution.journeyId ?? '') ?? null
                for (const waiter of byKey.get(s.item.key)?.waiters ?? []) {
                  const move = waiter.onSettled(s, journeyStatus)
                  if (move) asked.push({ waiter, move })
                }
              }
              const moved = await transitionMany(trx, options.database.dialect, asked.map((a) => a.move), options.clock.now())
              asked.forEach((a, i) => {
                const run = moved[i] ?? null
                a.waiter.moved = { run, journeyStatus: run ? (statuses.get(run.journeyId) ?? null) : null }
              })
            },
          },
          workspaceId,
          batch.map((p) => p.item),
        )
        for (const p of batch) for (const w of p.waiters) w.resolve(w.moved)
      } catch (error) {
        for (const p of batch) for (const w of p.waiters) w.reject(error)
      }
    }
  }
}
