import type { CheckItem, VariantScore } from './report.ts'

/**
 * The consistency score, 0–100, of a variant and of a campaign. The formula is deliberately
 * simple enough to explain to a copywriter (docs/content-checks.md walks through it):
 *
 *   fit      = 0.6 × coverage + 0.4 × min(1, closeness / 0.35)
 *   penalty  = 25 × blocks + min(40, 8 × warnings)
 *   score    = clamp(round(100 × fit − penalty), 0, 100), and at most 49 while anything blocks
 *
 * coverage is the mean of the best `expectedPillars` pillar scores of the channel; closeness is the
 * TF-IDF cosine with the core message. Short copy that says exactly the core message reaches a
 * cosine near 0.35–0.5 once channel wording (CTA, prices) is added, so 0.35 counts as full marks.
 * A blocked variant can never look publishable: the cap keeps it under 50.
 */
export const SCORE_WEIGHTS = Object.freeze({
  coverage: 0.6,
  closeness: 0.4,
  closenessForFullMarks: 0.35,
  perBlock: 25,
  perWarning: 8,
  maxWarningPenalty: 40,
  capWhileBlocked: 49,
})

const clamp = (n: number) => Math.max(0, Math.min(100, n))

/**
 * Scores one variant.
 *
 * @example
 * scoreVariant({ coverage: 1, closeness: 0.4, items: [] }).score // 100
 */
export function scoreVariant(input: { coverage: number; closeness: number; items: readonly CheckItem[] }): VariantScore {
  const w = SCORE_WEIGHTS
  const blocks = input.items.filter((i) => i.severity === 'block').length
  const warnings = input.items.filter((i) => i.severity === 'warn').length
  const closenessScaled = Math.min(1, input.closeness / w.closenessForFullMarks)
  const base = 100 * (w.coverage * input.coverage + w.closeness * closenessScaled)
  const penalty = w.perBlock * blocks + Math.min(w.maxWarningPenalty, w.perWarning * warnings)
  let score = clamp(Math.round(base - penalty))
  if (blocks > 0) score = Math.min(score, w.capWhileBlocked)
  return {
    score,
    coverage: input.coverage,
    closeness: input.closeness,
    closenessScaled,
    base: Math.round(base * 10) / 10,
    blocks,
    warnings,
    penalty,
  }
}

/**
 * Scores a campaign: mostly the mean of its variants, plus how many of the house's pillars the
 * campaign carries as a whole, less 10 per contradiction between variants (at most 50).
 *
 *   score = clamp(round(0.8 × mean(variant scores) + 20 × pillars carried / pillars − penalty))
 *
 * @example
 * scoreCampaign({ variantScores: [90, 70], pillarCoverage: 1, contradictions: 1 }).score // 74
 */
export function scoreCampaign(input: { variantScores: readonly number[]; pillarCoverage: number; contradictions: number }) {
  const mean = input.variantScores.length === 0 ? 0 : input.variantScores.reduce((a, b) => a + b, 0) / input.variantScores.length
  const penalty = Math.min(50, 10 * input.contradictions)
  return {
    score: clamp(Math.round(0.8 * mean + 20 * input.pillarCoverage - penalty)),
    meanVariantScore: Math.round(mean * 10) / 10,
    pillarCoverage: input.pillarCoverage,
    contradictions: input.contradictions,
    penalty,
  }
}
