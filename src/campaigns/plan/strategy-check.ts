import { formatMoney } from './money.ts'
import type { Insight, Strategy } from './schema.ts'

/**
 * The strategy's rules that make a plan invalid (it is refused, with every problem named):
 * each channel of the mix once, each with a role at one stage at least; budget lines on channels
 * of the mix, one line per channel; lines plus the test budget adding up exactly to the total
 * (the difference is named); and the total within the money the insight stage says exists.
 */
export interface PlanProblem {
  code: string
  message: string
  /** The channels, tasks or goals concerned. */
  subjects: string[]
}

/**
 * @example
 * checkStrategy({ channelMix: [...], budget: { totalMinor: 100_000_00, lines: [{ channel: 'douyin', amountMinor: 60_000_00 }] } }, insight, 'CNY')
 * // [{ code: 'budget.does-not-add-up', message: 'budget lines come to ¥60,000.00 …, ¥40,000.00 short of the total ¥100,000.00', … }]
 */
export function checkStrategy(strategy: Strategy, insight: Insight, currency: string): PlanProblem[] {
  const problems: PlanProblem[] = []
  const money = (n: number) => formatMoney(n, currency)
  const seen = new Set<string>()
  for (const entry of strategy.channelMix) {
    if (seen.has(entry.channel)) problems.push({ code: 'mix.duplicate-channel', message: `channel "${entry.channel}" appears twice in the channel mix`, subjects: [entry.channel] })
    seen.add(entry.channel)
    if (Object.keys(entry.roles).length === 0) {
      problems.push({ code: 'mix.no-role', message: `channel "${entry.channel}" has no role at any stage: give it reach, engage, convert or serve at awareness, consideration, decision or loyalty`, subjects: [entry.channel] })
    }
  }
  const budget = strategy.budget
  if (!budget) return problems
  const lineChannels = new Set<string>()
  for (const line of budget.lines) {
    if (lineChannels.has(line.channel)) problems.push({ code: 'budget.duplicate-line', message: `channel "${line.channel}" has two budget lines; give it one`, subjects: [line.channel] })
    lineChannels.add(line.channel)
    if (!seen.has(line.channel)) {
      problems.push({ code: 'budget.channel-not-in-mix', message: `the budget line for "${line.channel}" is for a channel the mix does not use; add it to the channel mix or move the money`, subjects: [line.channel] })
    }
  }
  const lines = budget.lines.reduce((s, l) => s + l.amountMinor, 0)
  const test = budget.test?.amountMinor ?? 0
  const allocated = lines + test
  if (allocated !== budget.totalMinor) {
    const difference = Math.abs(budget.totalMinor - allocated)
    const parts = budget.test ? `budget lines come to ${money(lines)} and the test budget to ${money(test)}, together ${money(allocated)}` : `budget lines come to ${money(lines)}`
    problems.push({
      code: 'budget.does-not-add-up',
      message: `${parts}: ${money(difference)} ${allocated < budget.totalMinor ? 'short of' : 'over'} the total ${money(budget.totalMinor)}`,
      subjects: [],
    })
  }
  const available = insight.resources.budgetMinor
  if (available !== undefined && budget.totalMinor > available) {
    problems.push({
      code: 'budget.over-resources',
      message: `the total ${money(budget.totalMinor)} is ${money(budget.totalMinor - available)} more than the ${money(available)} the resources allow`,
      subjects: [],
    })
  }
  return problems
}
