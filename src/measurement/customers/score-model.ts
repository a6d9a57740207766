import { z } from 'zod'
import type { Database } from '../../platform/index.ts'
import { rocAuc } from './auc.ts'
import { fitLogistic, predictLogistic, type LogisticModel } from './logistic-regression.ts'
import { featureNames, featuresAt, featureSpec, type FeatureSpec } from './profile-features.ts'
import { InvalidMeasurementInput } from './input-error.ts'
import { loadTimelines, type PersonEvent } from './person-log.ts'
import type { Progress } from './model-runs.ts'
import { replaceScores, SCORE_TRAITS, writeScoreTraits } from './score-store.ts'
import { DAY_MS, Duration, durationMs, Instant, isoOf, parseInstant } from './time-window.ts'

/**
 * Purchase-propensity and churn scores: L2-regularised logistic regression on profile features
 * from the log, with labels from a time split.
 *
 * - propensity: label 1 when the person orders in [T, T + window); population: everyone with a
 *   customer event before T.
 * - churn: label 1 when the person has no customer event in [T, T + window); population: people
 *   with a customer event in the `activeDays` before T.
 *
 * Out-of-time validation: the model is fitted at T₁ = asOf − 2·window and its AUC measured on the
 * people and labels at T₂ = asOf − window (a later period it never saw). The model that scores is
 * then refitted at T₂ — the latest cutoff whose labels are complete — and applied to every person's
 * features at asOf. Scores go to `customer_scores` and to the traits `propensity_score` /
 * `churn_score` of canonical profiles.
 */
export const ScoreModelOptions = z.object({
  kind: z.enum(['propensity', 'churn']),
  window: Duration.default({ amount: 30, unit: 'day' }).describe('Label window after each cutoff'),
  asOf: Instant.optional(),
  lambda: z.number().positive().max(10_000).default(1).describe('L2 penalty on standardised weights'),
  activeDays: z.number().positive().max(3650).default(90).describe('Churn: who counts as active before a cutoff'),
})
export type ScoreModelOptions = z.infer<typeof ScoreModelOptions>

const MIN_PER_CLASS = 5

export interface ScoreModelResult {
  kind: 'propensity' | 'churn'
  windowMs: number
  cutoffs: { train: string; holdout: string; scoring: string }
  features: string[]
  model: { intercept: number; lambda: number; weights: Array<{ feature: string; weight: number }> }
  training: { people: number; positives: number; auc: number }
  holdout: { people: number; positives: number; baseRate: number; auc: number }
  scored: number
  traitsWritten: number
}

/**
 * @example const result = await trainScoreModel(database, { workspaceId, options: ScoreModelOptions.parse({ kind: 'propensity' }), now, modelId, progress })
 */
export async function trainScoreModel(
  database: Database,
  input: { workspaceId: string; options: ScoreModelOptions; now: number; modelId: string; progress: Progress },
): Promise<ScoreModelResult> {
  const { options, workspaceId } = input
  const asOf = options.asOf ? parseInstant(options.asOf, 'asOf') : input.now
  const windowMs = durationMs(options.window)
  const t1 = asOf - 2 * windowMs
  const t2 = asOf - windowMs
  await input.progress(0.02, 'loading events')
  const timelines = await loadTimelines(database.db, { workspaceId, to: asOf })
  await input.progress(0.35, 'computing features')
  const spec = featureSpec(timelines.values(), t1)
  const train = labelledSet(timelines, t1, windowMs, spec, options)
  const holdout = labelledSet(timelines, t2, windowMs, spec, options)
  requireBothClasses(train, `the training cutoff ${isoOf(t1)}`)
  requireBothClasses(holdout, `the hold-out cutoff ${isoOf(t2)}`)

  await input.progress(0.5, 'training')
  const model = fitLogistic(train.rows, train.labels, { lambda: options.lambda })
  const trainAuc = rocAuc(train.rows.map((r) => predictLogistic(model, r)), train.labels)
  const holdoutAuc = rocAuc(holdout.rows.map((r) => predictLogistic(model, r)), holdout.labels)

  await input.progress(0.65, 'refitting on the latest complete labels')
  const finalModel = fitLogistic(holdout.rows, holdout.labels, { lambda: options.lambda })
  await input.progress(0.75, 'scoring')
  const scores = new Map<string, number>()
  for (const [person, timeline] of timelines) {
    const row = featuresAt(timeline, asOf, spec)
    if (row) scores.set(person, Math.round(predictLogistic(finalModel, row) * 10_000) / 10_000)
  }
  await input.progress(0.85, 'writing scores')
  await replaceScores(database, { workspaceId, kind: options.kind, modelId: input.modelId, scores, now: input.now })
  const traitsWritten = await writeScoreTraits(database, { workspaceId, trait: SCORE_TRAITS[options.kind]!, scores, now: input.now })

  const names = featureNames(spec)
  return {
    kind: options.kind,
    windowMs,
    cutoffs: { train: isoOf(t1), holdout: isoOf(t2), scoring: isoOf(asOf) },
    features: names,
    model: { intercept: finalModel.intercept, lambda: finalModel.lambda, weights: weightsOf(finalModel, names) },
    training: { people: train.labels.length, positives: positives(train.labels), auc: trainAuc },
    holdout: { people: holdout.labels.length, positives: positives(holdout.labels), baseRate: positives(holdout.labels) / holdout.labels.length, auc: holdoutAuc },
    scored: scores.size,
    traitsWritten,
  }
}

interface LabelledSet {
  rows: number[][]
  labels: number[]
}

/** Features before `cutoff` and labels from [cutoff, cutoff + window) for the model's population. */
export function labelledSet(timelines: Map<string, PersonEvent[]>, cutoff: number, windowMs: number, spec: FeatureSpec, options: Pick<ScoreModelOptions, 'kind' | 'activeDays'>): LabelledSet {
  const out: LabelledSet = { rows: [], labels: [] }
  const activeSince = cutoff - options.activeDays * DAY_MS
  for (const timeline of timelines.values()) {
    const row = featuresAt(timeline, cutoff, spec)
    if (!row) continue
    let activeBefore = false
    let orderedAfter = false
    let activeAfter = false
    for (const e of timeline) {
      if (e.system) continue
      if (e.timestamp < cutoff && e.timestamp >= activeSince) activeBefore = true
      if (e.timestamp >= cutoff && e.timestamp < cutoff + windowMs) {
        activeAfter = true
        if (e.orderMinor !== null) orderedAfter = true
      }
    }
    if (options.kind === 'churn' && !activeBefore) continue
    out.rows.push(row)
    out.labels.push(options.kind === 'propensity' ? (orderedAfter ? 1 : 0) : activeAfter ? 0 : 1)
  }
  return out
}

function requireBothClasses(set: LabelledSet, where: string): void {
  const pos = positives(set.labels)
  const neg = set.labels.length - pos
  if (pos < MIN_PER_CLASS || neg < MIN_PER_CLASS) {
    throw new InvalidMeasurementInput(
      `Not enough history to train at ${where}: ${set.labels.length} people, ${pos} positive and ${neg} negative labels; at least ${MIN_PER_CLASS} of each are needed. Use a shorter window or a later asOf.`,
      { status: 422, code: 'NotEnoughData' },
    )
  }
}

function positives(labels: readonly number[]): number {
  return labels.reduce((s, y) => s + y, 0)
}

function weightsOf(model: LogisticModel, names: readonly string[]): Array<{ feature: string; weight: number }> {
  return names.map((feature, j) => ({ feature, weight: model.weights[j]! })).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
}
