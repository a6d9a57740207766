/**
 * Area under the ROC curve as the Mann–Whitney statistic: the probability that a randomly chosen
 * positive scores above a randomly chosen negative, ties counting one half (Hanley & McNeil 1982,
 * "The meaning and use of the area under a ROC curve", Radiology 143). Computed from average ranks,
 * O(n log n).
 *
 * @example rocAuc([0.9, 0.8, 0.3, 0.2], [1, 0, 1, 0]) // 0.75
 */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  if (scores.length !== labels.length) throw new Error(`rocAuc needs one label per score (${scores.length} scores, ${labels.length} labels)`)
  const order = scores.map((_, i) => i).sort((i, j) => scores[i]! - scores[j]!)
  let positives = 0
  let rankSum = 0
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++
    // Ranks are 1-based; tied scores share the average of their ranks.
    const averageRank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) {
      if (labels[order[k]!] === 1) {
        positives++
        rankSum += averageRank
      }
    }
    start = end + 1
  }
  const negatives = scores.length - positives
  if (positives === 0 || negatives === 0) return Number.NaN
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}
