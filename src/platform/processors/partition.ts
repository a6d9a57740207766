/** How many virtual partitions the log is split into; workers take groups of them. */
export const VIRTUAL_PARTITIONS = 64

/**
 * A stable partition 0-63 for a key (FNV-1a), so all events of one profile go to the same worker
 * and are processed in order.
 */
export function virtualPartition(key: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0) % VIRTUAL_PARTITIONS
}
