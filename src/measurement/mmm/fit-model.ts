/**
 * Fits a marketing-mix model: searches adstock and saturation hyper-parameters per channel (and
 * the ridge penalty) with a seeded evolutionary search, refits the winner on all training
 * periods and measures it on a time-ordered hold-out it never saw.
 *
 * The search criterion is the NRMSE over the training periods of a model fitted on all but the
 * last (validation) block of them, so the block is predicted out of sample while the earlier
 * periods keep the criterion from chasing noise in a few weeks. On simulated data with known
 * parameters this recovered adstock rates and contributions about twice as closely as scoring
 * the validation block alone, at the same hold-out accuracy (see docs/mmm.md). The hold-out
 * itself never influences the choice, so its figures are honest.
 */
import { carryoverMultiplier } from './adstock.ts'
import { fitCandidate } from './candidate-fit.ts'
import { parseMmmDataset } from './dataset.ts'
import { fitMetrics } from './fit-metrics.ts'
import { MmmFitOptions, type MmmFitOptionsInput } from './fit-options.ts'
import { buildFitReport, type FitReport } from './fit-report.ts'
import { hyperparameterSpace } from './hyperparameter-space.ts'
import { searchSteps, type SearchResult } from './hyperparameter-search.ts'
import type { MmmModel } from './model.ts'
import { prepareData, requiredPeriodsFor } from './prepared-data.ts'

export type FitOutcome =
  | { kind: 'fitted'; model: MmmModel; report: FitReport }
  | {
      kind: 'InsufficientHistory'
      periods: number
      requiredPeriods: number
      variables: number
      message: string
    }

export type Readiness =
  | { kind: 'ready'; periods: number; requiredPeriods: number; variables: number }
  | Exclude<FitOutcome, { kind: 'fitted' }>

/**
 * Whether a dataset has enough periods for {@link fitMmm} with these options, without fitting.
 * When it has not, `recommendFromAttribution` is the method to use meanwhile.
 *
 * @example
 * if (mmmReadiness(dataset).kind !== 'ready') recommendFromAttribution(attributed)
 */
export function mmmReadiness(datasetInput: unknown, optionsInput: MmmFitOptionsInput = {}): Readiness {
  const dataset = parseMmmDataset(datasetInput)
  const options = MmmFitOptions.parse(optionsInput)
  const prepared = prepareData(dataset, options)
  if (prepared.kind !== 'prepared') return prepared
  const variables = prepared.data.fixed.length + prepared.data.media.length
  return {
    kind: 'ready',
    periods: prepared.data.n,
    requiredPeriods: requiredPeriodsFor(variables, options),
    variables,
  }
}

/**
 * @example
 * const outcome = fitMmm(dataset, { iterations: 1500, seed: 7 })
 * if (outcome.kind === 'fitted') {
 *   console.log(outcome.report.metrics.holdout.r2, outcome.report.channels.map((c) => c.roi))
 * } else {
 *   console.log(outcome.message) // too little history: use recommendFromAttribution
 * }
 */
export function fitMmm(datasetInput: unknown, optionsInput: MmmFitOptionsInput = {}): FitOutcome {
  const steps = fitSteps(datasetInput, optionsInput)
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
  }
}

/**
 * {@link fitMmm} for a background job: the same fit (same seed, same model), handing control
 * back to the event loop after every generation of the search and reporting the fraction of
 * the search done, so a worker stays responsive and a dashboard can show progress.
 *
 * @example
 * const outcome = await fitMmmWithProgress(dataset, { iterations: 2000 }, (f) => progress(f, 'searching'))
 */
export async function fitMmmWithProgress(
  datasetInput: unknown,
  optionsInput: MmmFitOptionsInput,
  onProgress: (fraction: number) => void | Promise<void>,
): Promise<FitOutcome> {
  const steps = fitSteps(datasetInput, optionsInput)
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
    await onProgress(step.value)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** Yields the fraction of the search's evaluations spent; returns the outcome. */
function* fitSteps(datasetInput: unknown, optionsInput: MmmFitOptionsInput): Generator<number, FitOutcome> {
  const dataset = parseMmmDataset(datasetInput)
  const parsed = MmmFitOptions.safeParse(optionsInput)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`)
    throw new Error(`invalid MMM fit options:\n  ${problems.join('\n  ')}`)
  }
  const options = parsed.data
  const prepared = prepareData(dataset, options)
  if (prepared.kind !== 'prepared') return prepared
  const data = prepared.data

  const space = hyperparameterSpace(
    data.media.map((m) => m.name),
    options.adstock,
    options.bounds,
    options.lambda,
  )
  const searchRows = { from: 0, to: data.validationStart }
  const trainActual = data.y.subarray(0, data.holdoutStart)
  const search = yield* scaled(searchSteps({
    dimensions: space.dimensions,
    iterations: options.iterations,
    seed: options.seed,
    objective: (point) => {
      const fit = fitCandidate(data, space.decode(point), searchRows)
      return fitMetrics(trainActual, fit.predicted.subarray(0, data.holdoutStart)).nrmse
    },
  }), options.iterations)
  const chosen = space.decode(search.best)
  const searchFit = fitCandidate(data, chosen, searchRows)
  const validationNrmse = fitMetrics(
    data.y.subarray(data.validationStart, data.holdoutStart),
    searchFit.predicted.subarray(data.validationStart, data.holdoutStart),
  ).nrmse
  const fit = fitCandidate(data, chosen, { from: 0, to: data.holdoutStart })

  const fixedCount = data.fixed.length
  let predictedTotal = 0
  for (const v of fit.predicted) predictedTotal += v
  const model: MmmModel = {
    outcomeName: data.outcomeName,
    mediaInput: options.mediaInput,
    cadenceDays: data.cadenceDays,
    firstDate: data.dates[0] as string,
    lastDate: data.dates[data.n - 1] as string,
    intercept: fit.ridge.intercept,
    lambda: chosen.lambda,
    channels: data.media.map((m, c) => {
      const hp = chosen.channels[c]
      if (!hp) throw new Error(`no hyper-parameters for channel '${m.name}'`)
      let spend = 0
      for (const s of m.spend) spend += s
      return {
        name: m.name,
        adstock: hp.adstock,
        adstockWindow: data.adstockWindow,
        alpha: hp.alpha,
        gamma: hp.gamma,
        halfSaturation: fit.halfSaturation[c] as number,
        coefficient: fit.ridge.coefficients[fixedCount + c] as number,
        carryoverMultiplier: carryoverMultiplier(hp.adstock, data.adstockWindow),
        exposurePerSpend: m.exposurePerSpend,
        meanSpend: spend / data.n,
        modelled: m.modelled,
      }
    }),
    terms: data.fixed.map((f, j) => ({
      name: f.name,
      group: f.group,
      coefficient: fit.ridge.coefficients[j] as number,
    })),
    meanPredictedOutcome: predictedTotal / data.n,
  }

  const metrics = {
    train: fitMetrics(data.y.subarray(0, data.holdoutStart), fit.predicted.subarray(0, data.holdoutStart)),
    holdout: fitMetrics(data.y.subarray(data.holdoutStart), fit.predicted.subarray(data.holdoutStart)),
  }
  const report = buildFitReport({
    data,
    fit,
    model,
    adstock: options.adstock,
    search: {
      seed: options.seed,
      evaluations: search.evaluations,
      generations: search.generations,
      selectionNrmse: search.bestScore,
      validationNrmse,
      lambda: chosen.lambda,
    },
    metrics,
    responseCurvePoints: options.responseCurvePoints,
  })
  return { kind: 'fitted', model, report }
}

/** Turns the search's evaluation counts into fractions of its budget. */
function* scaled(steps: Generator<number, SearchResult>, iterations: number): Generator<number, SearchResult> {
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
    yield Math.min(1, step.value / iterations)
  }
}
