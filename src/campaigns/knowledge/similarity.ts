import { buildIdf, cosine, tfidfVector, type Analyzer } from '../../content/index.ts'

/**
 * How close a lesson is to a campaign being planned, 0–1:
 *
 *   similarity = 0.4 × channels + 0.3 × metrics + 0.3 × text
 *
 * - channels: Jaccard overlap of the lesson's channels and the plan's channel mix, |L ∩ P| / |L ∪ P|;
 * - metrics: the share of the lesson's goal metrics the plan also has goals on;
 * - text: TF-IDF cosine (the content engine's, over segmented words, so Chinese and English both
 *   work) between the lesson and the plan's name, goal statements and insight notes, with IDF over
 *   the lessons considered plus the plan.
 *
 * A lesson is suggested when the similarity reaches SUGGEST_THRESHOLD and it shares at least a
 * channel or a metric — text alone is too weak a link to interrupt a planner with.
 */
export const SIMILARITY_WEIGHTS = Object.freeze({ channels: 0.4, metrics: 0.3, text: 0.3 })
export const SUGGEST_THRESHOLD = 0.2

export interface Similar {
  score: number
  channels: number
  metrics: number
  text: number
  sharedChannels: string[]
  sharedMetrics: string[]
}

export interface Comparable {
  channels: readonly string[]
  metrics: readonly string[]
  text: string
}

/**
 * @example
 * rankBySimilarity(analyzer, plan, lessons)[0] // { item: lesson, similarity: { score: 0.71, sharedChannels: ['xiaohongshu'], … } }
 */
export function rankBySimilarity<T extends Comparable>(analyzer: Analyzer, plan: Comparable, items: readonly T[]): Array<{ item: T; similarity: Similar }> {
  const termsOf = (text: string) => analyzer.terms(text).map((t) => t.key)
  const planTerms = termsOf(plan.text)
  const itemTerms = items.map((i) => termsOf(i.text))
  const idf = buildIdf([planTerms, ...itemTerms])
  const planVector = tfidfVector(planTerms, idf)
  const planChannels = new Set(plan.channels.map((c) => c.toLowerCase()))
  const planMetrics = new Set(plan.metrics)
  return items
    .map((item, i) => {
      const channels = new Set(item.channels.map((c) => c.toLowerCase()))
      const sharedChannels = [...channels].filter((c) => planChannels.has(c))
      const union = new Set([...channels, ...planChannels]).size
      const sharedMetrics = item.metrics.filter((m) => planMetrics.has(m))
      const parts = {
        channels: union === 0 ? 0 : sharedChannels.length / union,
        metrics: item.metrics.length === 0 ? 0 : sharedMetrics.length / item.metrics.length,
        text: cosine(planVector, tfidfVector(itemTerms[i]!, idf)),
      }
      const score = SIMILARITY_WEIGHTS.channels * parts.channels + SIMILARITY_WEIGHTS.metrics * parts.metrics + SIMILARITY_WEIGHTS.text * parts.text
      return { item, similarity: { score: round(score), channels: round(parts.channels), metrics: round(parts.metrics), text: round(parts.text), sharedChannels, sharedMetrics } }
    })
    .sort((a, b) => b.similarity.score - a.similarity.score)
}

/** Whether a ranked lesson is worth suggesting (see the rule above). */
export function worthSuggesting(similarity: Similar): boolean {
  return similarity.score >= SUGGEST_THRESHOLD && (similarity.sharedChannels.length > 0 || similarity.sharedMetrics.length > 0)
}

const round = (n: number) => Math.round(n * 1000) / 1000
