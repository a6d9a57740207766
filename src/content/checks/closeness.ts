/**
 * Closeness to the core message: cosine similarity of TF-IDF vectors over segmented terms
 * (Salton & Buckley, "Term-weighting approaches in automatic text retrieval", 1988).
 *
 * - tf is sublinear, 1 + ln(count), so repeating a key word five times does not buy closeness;
 * - idf is smoothed as in scikit-learn's TfidfTransformer (smooth_idf=True):
 *   idf(t) = ln((1 + N) / (1 + df(t))) + 1, over the N documents of the campaign (its variants
 *   and the core message). A term every variant shares still weighs 1, so a campaign whose every
 *   variant carries the core message's words is not scored as if they were noise.
 */

export interface IdfTable {
  /** Number of documents the table was built from. */
  readonly documents: number
  idf(term: string): number
}

/**
 * Builds the IDF table of a document set.
 *
 * @example
 * const idf = buildIdf([['轻盈', '缓震'], ['轻盈', '耐穿']])
 * idf.idf('轻盈') // 1  (in every document)
 * idf.idf('缓震') // ln(3/2) + 1
 */
export function buildIdf(documents: readonly (readonly string[])[]): IdfTable {
  const df = new Map<string, number>()
  for (const terms of documents) {
    for (const term of new Set(terms)) df.set(term, (df.get(term) ?? 0) + 1)
  }
  const n = documents.length
  const unseen = Math.log((1 + n) / 1) + 1
  return {
    documents: n,
    idf: (term) => {
      const count = df.get(term)
      return count === undefined ? unseen : Math.log((1 + n) / (1 + count)) + 1
    },
  }
}

/** The TF-IDF vector of one document. */
export function tfidfVector(terms: readonly string[], idf: IdfTable): Map<string, number> {
  const counts = new Map<string, number>()
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1)
  const vector = new Map<string, number>()
  for (const [term, count] of counts) vector.set(term, (1 + Math.log(count)) * idf.idf(term))
  return vector
}

/** Cosine similarity of two sparse vectors; 0 when either is empty. */
export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let dot = 0
  let normA = 0
  let normB = 0
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  for (const [term, weight] of small) {
    const other = large.get(term)
    if (other !== undefined) dot += weight * other
  }
  for (const weight of a.values()) normA += weight * weight
  for (const weight of b.values()) normB += weight * weight
  return normA === 0 || normB === 0 ? 0 : Math.min(1, dot / Math.sqrt(normA * normB))
}

/**
 * Closeness of each variant to the core message, with IDF computed across the whole set (the
 * variants plus the core message itself).
 *
 * @example
 * const closeness = coreMessageCloseness(analyzer.terms(core).map((t) => t.key), [
 *   { id: 'v1', terms: ['轻盈', '缓震', '跑鞋'] },
 *   { id: 'v2', terms: ['限时', '折扣'] },
 * ])
 * closeness.get('v1') // > closeness.get('v2')
 */
export function coreMessageCloseness(
  coreTerms: readonly string[],
  variants: readonly { id: string; terms: readonly string[] }[],
): Map<string, number> {
  const idf = buildIdf([coreTerms, ...variants.map((v) => v.terms)])
  const core = tfidfVector(coreTerms, idf)
  return new Map(variants.map((v) => [v.id, cosine(core, tfidfVector(v.terms, idf))]))
}
