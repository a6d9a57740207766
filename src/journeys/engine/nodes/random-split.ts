import type { RandomSplitNode } from '../../definition/schema.ts'

/**
 * The branch a run takes at a random split: a stable hash of run and node (FNV-1a) mapped onto
 * the branches' percentages, so a retried step takes the same branch and assignment does not
 * depend on arrival order.
 *
 * @example pickBranch('run_01…', node) // { key: 'holdout', percent: 10, holdout: true }
 */
export function pickBranch(runId: string, node: RandomSplitNode): RandomSplitNode['branches'][number] {
  const key = `${runId}:${node.id}`
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  // Murmur3's finaliser spreads FNV's weak low bits before taking a bucket.
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  const point = ((hash >>> 0) / 0x1_0000_0000) * 100
  let cumulative = 0
  for (const branch of node.branches) {
    cumulative += branch.percent
    if (point < cumulative) return branch
  }
  return node.branches[node.branches.length - 1]!
}
