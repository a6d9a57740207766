import { formatMoney } from './money.ts'
import { GoalMetric, LOWER_IS_BETTER, MONEY_METRICS, type Goal } from './schema.ts'
import { iso, parseInstant } from './time.ts'

/**
 * The SMART check of a goal (Doran, "There's a S.M.A.R.T. way to write management's goals and
 * objectives", Management Review 70(11), 1981), with each letter made testable:
 *
 * - **S**pecific — the goal names the metric it moves (one of GoalMetric).
 * - **M**easurable — it has a number to reach and a baseline that number is measured against
 *   (a stated value, or `previous-period`: the same metric from the log in the period of equal
 *   length just before the campaign).
 * - **A**chievable — the target is held against history: with baseline B from the log (or, when
 *   the log has none, the stated value), a higher-is-better target must be at most B × g, where
 *   g is the plausible growth for the metric (PLAUSIBLE_GROWTH, or the goal's own
 *   `plausibleGrowth`); a lower-is-better target (CAC) at least B × (1 − 0.3). With no history
 *   (B absent or 0) the letter is `unverified`, not failed: a launch has nothing to compare with.
 * - **R**elevant — it says which business objective it serves (`why`), and a goal scoped to a
 *   channel names one the channel mix uses.
 * - **T**ime-bound — it has a deadline after the campaign starts (a deadline after the campaign
 *   ends is allowed and noted: some results, such as repeat purchases, come later).
 */

export const PLAUSIBLE_GROWTH: Readonly<Record<GoalMetric, number>> = Object.freeze({
  revenue: 1.5,
  conversions: 1.5,
  leads: 1.5,
  new_customers: 1.5,
  roi: 1.5,
  traffic: 2,
  reach: 2,
  cac: 0.7,
})

export type LetterStatus = 'ok' | 'missing' | 'invalid' | 'failed' | 'unverified'

export interface LetterCheck {
  status: LetterStatus
  message: string
}

export interface GoalAssessment {
  goalId: string
  /** True when no letter is missing, invalid or failed (an unverified A passes). */
  smart: boolean
  /** Letters that are missing, invalid or failed, in S M A R T order. */
  missing: Array<'S' | 'M' | 'A' | 'R' | 'T'>
  letters: Record<'S' | 'M' | 'A' | 'R' | 'T', LetterCheck>
  baseline: { value: number; source: 'log' | 'stated' } | null
  /** The most the target may be (or, for lower-is-better, the least) under the rule. */
  plausibleLimit: number | null
}

export interface SmartContext {
  campaign: { startsAt: number; endsAt: number; timezone: string; currency: string }
  /** The metric in the period before the campaign, from the log (null: not computed or no data). */
  history: { value: number; from: number; to: number } | null
  /** The channel mix's channel ids, when a strategy exists. */
  channels?: readonly string[]
}

/**
 * @example
 * validateGoal({ id: 'g1', statement: '销售额翻倍', metric: 'revenue', target: 900_000_00, baseline: { kind: 'previous-period' }, deadline: '2026-05-31', why: '新品上市' }, {
 *   campaign: { startsAt, endsAt, timezone: 'Asia/Shanghai', currency: 'CNY' },
 *   history: { value: 400_000_00, from, to },
 * }).missing // ['A'] — ¥900,000 is 2.25× last period's ¥400,000, over the plausible 1.5×
 */
export function validateGoal(goal: Goal, context: SmartContext): GoalAssessment {
  const { campaign } = context
  const show = (n: number) => (goal.metric && MONEY_METRICS.has(goal.metric) ? formatMoney(Math.round(n), campaign.currency) : goal.metric === 'roi' ? `${Math.round(n * 1000) / 10}%` : n.toLocaleString('en-US', { maximumFractionDigits: 2 }))

  const S: LetterCheck = goal.metric
    ? { status: 'ok', message: `measured as ${goal.metric}` }
    : { status: 'missing', message: `name the metric this goal moves: one of ${GoalMetric.options.join(', ')}` }

  const M: LetterCheck =
    goal.target === undefined
      ? { status: 'missing', message: 'give the number to reach (target)' }
      : !goal.baseline
        ? { status: 'missing', message: 'say what the number is measured against: a baseline value, or previous-period to read it from the log' }
        : { status: 'ok', message: `target ${show(goal.target)} against ${goal.baseline.kind === 'value' ? `a stated baseline of ${show(goal.baseline.value)}` : 'the previous period in the log'}` }

  let baseline: GoalAssessment['baseline'] = null
  if (context.history && context.history.value > 0) baseline = { value: context.history.value, source: 'log' }
  else if (goal.baseline?.kind === 'value' && goal.baseline.value > 0) baseline = { value: goal.baseline.value, source: 'stated' }

  let plausibleLimit: number | null = null
  let A: LetterCheck
  if (!goal.metric || goal.target === undefined) {
    A = { status: 'missing', message: 'needs a metric and a target before it can be held against history' }
  } else if (!baseline) {
    A = { status: 'unverified', message: `no history to compare with: the log has no ${goal.metric} in the period before the campaign and no baseline value is given` }
  } else {
    const lower = LOWER_IS_BETTER.has(goal.metric)
    const growth = goal.plausibleGrowth ?? PLAUSIBLE_GROWTH[goal.metric]
    plausibleLimit = baseline.value * growth
    const ratio = goal.target / baseline.value
    const from = baseline.source === 'log' ? "last period's" : 'the stated baseline of'
    const ok = lower ? goal.target >= plausibleLimit : goal.target <= plausibleLimit
    const rule = lower ? `at least ${growth}× ${from} ${show(baseline.value)} = ${show(plausibleLimit)}` : `at most ${growth}× ${from} ${show(baseline.value)} = ${show(plausibleLimit)}`
    A = ok
      ? { status: 'ok', message: `target is ${ratio.toFixed(2)}× ${from} ${show(baseline.value)}, within the plausible ${rule}${goal.plausibleGrowth ? ' (the goal\'s own plausibleGrowth)' : ''}` }
      : {
          status: 'failed',
          message: `target ${show(goal.target)} is ${ratio.toFixed(2)}× ${from} ${show(baseline.value)}; a plausible target is ${rule}. Lower the target, or set plausibleGrowth and say why (a bigger budget, a new channel)`,
        }
  }

  let R: LetterCheck = goal.why && goal.why.trim() !== '' ? { status: 'ok', message: goal.why.trim() } : { status: 'missing', message: 'say which business objective this goal serves (why)' }
  if (R.status === 'ok' && goal.channel && context.channels && !context.channels.includes(goal.channel)) {
    R = { status: 'invalid', message: `the goal is about channel "${goal.channel}", which the channel mix does not use (${context.channels.join(', ') || 'no channels yet'})` }
  }

  let T: LetterCheck
  if (!goal.deadline) T = { status: 'missing', message: 'set a deadline (YYYY-MM-DD)' }
  else {
    const at = parseInstant(goal.deadline, campaign.timezone, 'end')
    if (at === null) T = { status: 'invalid', message: `deadline "${goal.deadline}" is not a date (use YYYY-MM-DD or an ISO instant)` }
    else if (at <= campaign.startsAt) T = { status: 'invalid', message: `deadline ${iso(at)} is not after the campaign starts (${iso(campaign.startsAt)})` }
    else if (at > campaign.endsAt) T = { status: 'ok', message: `by ${iso(at)}, after the campaign ends (${iso(campaign.endsAt)}): measured then` }
    else T = { status: 'ok', message: `by ${iso(at)}` }
  }

  const letters = { S, M, A, R, T }
  const missing = (['S', 'M', 'A', 'R', 'T'] as const).filter((l) => !['ok', 'unverified'].includes(letters[l].status))
  return { goalId: goal.id, smart: missing.length === 0, missing, letters, baseline, plausibleLimit }
}

/** The instant a goal is measured at: its deadline, or the campaign's end. */
export function goalDeadline(goal: Goal, campaign: { endsAt: number; timezone: string }): number {
  return (goal.deadline && parseInstant(goal.deadline, campaign.timezone, 'end')) || campaign.endsAt
}
