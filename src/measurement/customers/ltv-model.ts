import { z } from 'zod'
import type { Database } from '../../platform/index.ts'
import { bgNbdConditionalExpected, bgNbdProbabilityAlive, fitBgNbd, type BgNbdParams, type RepeatSummary } from './bg-nbd.ts'
import { expectedSpend, fitGammaGamma, type GammaGammaParams, type SpendSummary } from './gamma-gamma.ts'
import { activityBetween, loadTransactions, summariseAt, type Transaction } from './repeat-transactions.ts'
import { workspaceCurrency } from './ltv-historical.ts'
import { InvalidMeasurementInput } from './input-error.ts'
import { replaceScores } from './score-store.ts'
import { DAY_MS, Duration, durationMs, Instant, isoOf, parseInstant, WEEK_MS } from './time-window.ts'
import type { Progress } from './model-runs.ts'

/**
 * Predicted customer value from the log: BG/NBD for the number of future transactions and
 * Gamma-Gamma for their value, both fitted by maximum likelihood.
 *
 * The run follows the CDNOW validation of Fader, Hardie & Lee (2005): the models are fitted on a
 * calibration period that ends `holdout` before `asOf`, each calibration customer's repeat
 * transactions in the hold-out are predicted (E[Y(t) | x, t_x, T]) and compared with what they
 * actually did — in total, per customer (MAE, RMSE), and by calibration frequency as in the
 * paper's conditional-expectation figure. The models are then refitted on everything up to `asOf`
 * to score every buyer: probability alive, expected transactions and predicted revenue over the
 * horizon (discounted per time unit when an annual rate is given).
 */
export const LtvModelOptions = z.object({
  currency: z.string().length(3).optional().describe('ISO 4217 code; default the workspace currency'),
  timeUnit: z.enum(['day', 'week']).default('week'),
  holdout: Duration.default({ amount: 13, unit: 'week' }).describe('Hold-out period at the end of the history, for validation'),
  horizon: Duration.default({ amount: 52, unit: 'week' }).describe('Prediction horizon for each buyer'),
  asOf: Instant.optional(),
  annualDiscountRate: z.number().min(0).max(1).default(0),
})
export type LtvModelOptions = z.infer<typeof LtvModelOptions>

const MIN_REPEAT_BUYERS = 10

export interface FrequencyGroup {
  /** Calibration repeat transactions: "0" … "6", "7+". */
  x: string
  customers: number
  actualMean: number
  predictedMean: number
}

export interface LtvModelResult {
  currency: string
  timeUnit: 'day' | 'week'
  asOf: string
  calibration: { end: string; customers: number; repeatBuyers: number; transactionModel: BgNbdParams; logLikelihood: number; spendModel: GammaGammaParams }
  validation: {
    holdoutLength: number
    actualRepeatTransactions: number
    predictedRepeatTransactions: number
    /** (predicted − actual) / actual, in percent. */
    errorPercent: number | null
    meanAbsoluteError: number
    rootMeanSquaredError: number
    byFrequency: FrequencyGroup[]
    actualRevenueMinor: number
    predictedRevenueMinor: number
    revenueErrorPercent: number | null
  }
  final: { customers: number; transactionModel: BgNbdParams; logLikelihood: number; spendModel: GammaGammaParams; horizonLength: number; predictedRevenueMinor: number }
}

/**
 * @example const result = await fitLtvModel(database, { workspaceId, options: LtvModelOptions.parse({}), now: Date.now(), modelId, progress })
 */
export async function fitLtvModel(
  database: Database,
  input: { workspaceId: string; options: LtvModelOptions; now: number; modelId: string; progress: Progress },
): Promise<LtvModelResult> {
  const { options, workspaceId } = input
  const asOf = options.asOf ? parseInstant(options.asOf, 'asOf') : input.now
  const unitMs = options.timeUnit === 'week' ? WEEK_MS : DAY_MS
  const holdoutMs = durationMs(options.holdout)
  const calibrationEnd = asOf - holdoutMs
  const currency = (options.currency ?? (await workspaceCurrency(database.db, workspaceId))).toUpperCase()
  await input.progress(0.02, 'loading orders')
  const histories = await loadTransactions(database.db, workspaceId, { currency, to: asOf })

  const calibration = summaries(histories, calibrationEnd, unitMs)
  requireData(calibration, `the calibration period (orders in ${currency} before ${isoOf(calibrationEnd)})`)
  await input.progress(0.1, 'fitting calibration model')
  const calFit = fitBgNbd(calibration.repeat)
  const calSpend = fitGammaGamma(calibration.spend)

  await input.progress(0.45, 'validating on the hold-out')
  const holdoutLength = holdoutMs / unitMs
  const groups = new Map<string, { customers: number; actual: number; predicted: number }>()
  let actualTotal = 0
  let predictedTotal = 0
  let absError = 0
  let squaredError = 0
  let actualRevenue = 0
  let predictedRevenue = 0
  calibration.people.forEach((person, i) => {
    const repeat = calibration.repeat[i]!
    const predicted = bgNbdConditionalExpected(calFit.params, holdoutLength, repeat)
    const actual = activityBetween(histories.get(person)!, calibrationEnd, asOf)
    actualTotal += actual.transactions
    predictedTotal += predicted
    absError += Math.abs(predicted - actual.transactions)
    squaredError += (predicted - actual.transactions) ** 2
    actualRevenue += actual.minor
    predictedRevenue += predicted * expectedSpend(calSpend.params, calibration.spend[i]!)
    const key = repeat.x >= 7 ? '7+' : String(repeat.x)
    const g = groups.get(key) ?? { customers: 0, actual: 0, predicted: 0 }
    g.customers++
    g.actual += actual.transactions
    g.predicted += predicted
    groups.set(key, g)
  })
  const n = calibration.people.length

  await input.progress(0.55, 'fitting final model')
  const full = summaries(histories, asOf, unitMs)
  requireData(full, `the history up to ${isoOf(asOf)}`)
  const fullFit = fitBgNbd(full.repeat)
  const fullSpend = fitGammaGamma(full.spend)

  await input.progress(0.88, 'scoring buyers')
  const horizonLength = durationMs(options.horizon) / unitMs
  const perUnitDiscount = (1 + options.annualDiscountRate) ** (unitMs / (365.25 * DAY_MS)) - 1
  const value = new Map<string, number>()
  const alive = new Map<string, number>()
  const expected = new Map<string, number>()
  let predictedHorizonRevenue = 0
  full.people.forEach((person, i) => {
    const repeat = full.repeat[i]!
    const spend = expectedSpend(fullSpend.params, full.spend[i]!)
    const transactions = bgNbdConditionalExpected(fullFit.params, horizonLength, repeat)
    const revenue = perUnitDiscount > 0 ? discountedTransactions(fullFit.params, repeat, horizonLength, perUnitDiscount) * spend : transactions * spend
    value.set(person, revenue)
    alive.set(person, bgNbdProbabilityAlive(fullFit.params, repeat))
    expected.set(person, transactions)
    predictedHorizonRevenue += revenue
  })
  await input.progress(0.95, 'writing scores')
  for (const [kind, scores] of [['predicted_ltv', value], ['p_alive', alive], ['expected_transactions', expected]] as const) {
    await replaceScores(database, { workspaceId, kind, modelId: input.modelId, scores, now: input.now })
  }

  const order = ['0', '1', '2', '3', '4', '5', '6', '7+']
  return {
    currency,
    timeUnit: options.timeUnit,
    asOf: isoOf(asOf),
    calibration: {
      end: isoOf(calibrationEnd),
      customers: n,
      repeatBuyers: calibration.spend.filter((s) => s.x > 0).length,
      transactionModel: calFit.params,
      logLikelihood: calFit.logLikelihood,
      spendModel: calSpend.params,
    },
    validation: {
      holdoutLength,
      actualRepeatTransactions: actualTotal,
      predictedRepeatTransactions: predictedTotal,
      errorPercent: actualTotal === 0 ? null : ((predictedTotal - actualTotal) / actualTotal) * 100,
      meanAbsoluteError: absError / n,
      rootMeanSquaredError: Math.sqrt(squaredError / n),
      byFrequency: order.filter((k) => groups.has(k)).map((k) => {
        const g = groups.get(k)!
        return { x: k, customers: g.customers, actualMean: g.actual / g.customers, predictedMean: g.predicted / g.customers }
      }),
      actualRevenueMinor: actualRevenue,
      predictedRevenueMinor: predictedRevenue,
      revenueErrorPercent: actualRevenue === 0 ? null : ((predictedRevenue - actualRevenue) / actualRevenue) * 100,
    },
    final: {
      customers: full.people.length,
      transactionModel: fullFit.params,
      logLikelihood: fullFit.logLikelihood,
      spendModel: fullSpend.params,
      horizonLength,
      predictedRevenueMinor: predictedHorizonRevenue,
    },
  }
}

interface Summaries {
  people: string[]
  repeat: RepeatSummary[]
  spend: SpendSummary[]
}

function summaries(histories: Map<string, Transaction[]>, cutoff: number, unitMs: number): Summaries {
  const out: Summaries = { people: [], repeat: [], spend: [] }
  for (const [person, history] of histories) {
    const s = summariseAt(history, cutoff, unitMs)
    if (!s) continue
    out.people.push(person)
    out.repeat.push(s.repeat)
    out.spend.push(s.spend)
  }
  return out
}

function requireData(s: Summaries, where: string): void {
  const repeatBuyers = s.spend.filter((x) => x.x > 0).length
  if (repeatBuyers < MIN_REPEAT_BUYERS) {
    throw new InvalidMeasurementInput(
      `Not enough purchase history to fit the LTV model: ${s.people.length} buyers and ${repeatBuyers} repeat buyers in ${where}; at least ${MIN_REPEAT_BUYERS} repeat buyers are needed. Use a shorter hold-out or a later asOf.`,
      { status: 422, code: 'NotEnoughData' },
    )
  }
}

/** Σ_k (E[Y(k)] − E[Y(k−1)]) / (1 + d)^k over whole time units up to the horizon. */
function discountedTransactions(params: BgNbdParams, repeat: RepeatSummary, horizon: number, perUnit: number): number {
  let previous = 0
  let total = 0
  for (let k = 1; k <= Math.ceil(horizon); k++) {
    const cumulative = bgNbdConditionalExpected(params, Math.min(k, horizon), repeat)
    total += (cumulative - previous) / (1 + perUnit) ** k
    previous = cumulative
  }
  return total
}
