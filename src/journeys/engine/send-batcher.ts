import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { deliver, type DeliveryItem, type DeliveryOptions, type Settlement } from '../delivery/deliver.ts'

type OnSettled = (trx: Kysely<Schema>, settlements: Settlement[]) => Promise<void>

interface Pending {
  item: DeliveryItem
  /** Every run driver waiting on this key (two drivers of one run may meet here; one will move it). */
  waiters: Array<{ onSettled: OnSettled; resolve: () => void; reject: (error: unknown) => void }>
}

/** Largest batch handed to `deliver` at once (the sender splits further as it needs). */
const MAX_BATCH = 500

/**
 * Gathers the sends of runs driven at the same time into one `deliver` call per workspace: one
 * guard-rail decision, one sender call (`sendBatch` where the sender has it) and one transaction
 * recording every outcome together with each run's move. While a batch is out, new sends wait
 * and go together in the next, so batches grow with the load and a lone send goes at once.
 *
 * @example await batcher.submit(workspaceId, item, async (trx, settlements) => { … move the run … })
 */
export class SendBatcher {
  readonly #options: () => Omit<DeliveryOptions, 'onSettled'>
  readonly #waiting = new Map<string, Map<string, Pending>>()
  readonly #busy = new Set<string>()

  constructor(options: () => Omit<DeliveryOptions, 'onSettled'>) {
    this.#options = options
  }

  /** Resolves once the item's outcome and `onSettled` are committed. */
  submit(workspaceId: string, item: DeliveryItem, onSettled: OnSettled): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queue = this.#waiting.get(workspaceId) ?? new Map<string, Pending>()
      this.#waiting.set(workspaceId, queue)
      const pending = queue.get(item.key)
      if (pending) pending.waiters.push({ onSettled, resolve, reject })
      else queue.set(item.key, { item, waiters: [{ onSettled, resolve, reject }] })
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
      try {
        await deliver(
          {
            ...this.#options(),
            onSettled: async (trx, settlements) => {
              for (const s of settlements) for (const w of byKey.get(s.item.key)?.waiters ?? []) await w.onSettled(trx, [s])
            },
          },
          workspaceId,
          batch.map((p) => p.item),
        )
        for (const p of batch) for (const w of p.waiters) w.resolve()
      } catch (error) {
        for (const p of batch) for (const w of p.waiters) w.reject(error)
      }
    }
  }
}
