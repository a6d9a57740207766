import type { TraitOp } from '../ingest/message.ts'

/**
 * Applies trait operations in order, returning new traits. Semantics follow the Sensors Data
 * profile operations, which include Segment's identify as `set`:
 * - set: overwrite the given top-level keys;
 * - set_once: write a key only when the profile has none yet (e.g. first channel);
 * - increment: add to a number (a missing or non-numeric value counts as 0);
 * - append: add values to a list, keeping each value once (tags, interests);
 * - unset: remove keys; delete: remove every trait.
 *
 * @example applyTraitOps({ visits: 1 }, [{ op: 'increment', traits: { visits: 2 } }]) // { visits: 3 }
 */
export function applyTraitOps(traits: Record<string, unknown>, ops: readonly TraitOp[]): Record<string, unknown> {
  let next = traits
  for (const op of ops) {
    switch (op.op) {
      case 'set':
        next = { ...next, ...op.traits }
        break
      case 'set_once': {
        const added: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(op.traits)) if (!(k in next)) added[k] = v
        next = { ...next, ...added }
        break
      }
      case 'increment': {
        const updated: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(op.traits)) {
          const current = next[k]
          updated[k] = (typeof current === 'number' && Number.isFinite(current) ? current : 0) + v
        }
        next = { ...next, ...updated }
        break
      }
      case 'append': {
        const updated: Record<string, unknown> = {}
        for (const [k, values] of Object.entries(op.traits)) {
          const current = Array.isArray(next[k]) ? (next[k] as unknown[]) : []
          const seen = new Set(current.map((v) => JSON.stringify(v)))
          const merged = [...current]
          for (const v of values) {
            const id = JSON.stringify(v)
            if (!seen.has(id)) {
              seen.add(id)
              merged.push(v)
            }
          }
          updated[k] = merged
        }
        next = { ...next, ...updated }
        break
      }
      case 'unset': {
        next = { ...next }
        for (const k of op.keys) delete next[k]
        break
      }
      case 'delete':
        next = {}
        break
    }
  }
  return next
}
