import type { Accuracy } from './accuracy.ts'
import type { MethodAccuracy, TruthCheckReport } from './truth-check.ts'

/**
 * The truth check as a plain-text report: one table of incremental orders (truth) against each
 * method's credited orders per channel, then each method's error figures.
 *
 * @example process.stdout.write(formatTruthCheck(report))
 */
export function formatTruthCheck(report: TruthCheckReport): string {
  const lines: string[] = []
  const { truth, log } = report
  lines.push(`Truth check, ${report.period.start} – ${report.period.end} (${report.period.timeZone})`)
  lines.push(`  touchpoints: ${report.touchpoints.join(', ')}; ${report.lookbackDays}-day look-back`)
  lines.push(`  truth: ${fmt(truth.orders)} orders, ${fmt(truth.incrementalOrders)} caused by marketing (one channel at a time: ${fmt(truth.sumOfChannelIncrementalOrders)})`)
  lines.push(`  log:   ${fmt(log.conversions)} orders, ${fmt(log.journeys)} journeys of ${fmt(log.people)} people; ${fmt(log.conversionsWithoutTouch)} orders without a touchpoint; read in ${log.seconds.toFixed(1)} s`)
  lines.push('')
  const methods: MethodAccuracy[] = [...report.attribution, ...(report.mmm.kind === 'fitted' ? [report.mmm.accuracy] : [])]
  const channels = report.attribution[0]?.channels.map((c) => c.channel) ?? []
  const width = Math.max(9, ...channels.map((c) => c.length))
  const columns = ['truth', ...methods.map((m) => short(m.method))]
  lines.push(`  incremental orders (truth) and credited orders`)
  lines.push(`  ${'channel'.padEnd(width)}${columns.map((c) => c.padStart(COLUMN)).join('')}`)
  for (const channel of channels) {
    const truthOrders = report.attribution[0]!.channels.find((c) => c.channel === channel)!.trueOrders
    const cells = methods.map((m) => {
      const c = m.channels.find((x) => x.channel === channel)
      return c ? fmt(c.estimatedOrders) : '—'
    })
    lines.push(`  ${channel.padEnd(width)}${[fmt(truthOrders), ...cells].map((c) => c.padStart(COLUMN)).join('')}`)
  }
  lines.push(`  ${'elsewhere'.padEnd(width)}${['', ...methods.map((m) => (m.method === 'mmm' ? '—' : fmt(m.creditedElsewhere)))].map((c) => c.padStart(COLUMN)).join('')}`)
  lines.push('')
  lines.push(`  ${'method'.padEnd(18)}${['MAPE', 'WAPE', 'Spearman', 'share MAPE', 'rev. WAPE', 'rev. ρ'].map((c) => c.padStart(11)).join('')}`)
  for (const m of methods) {
    lines.push(`  ${m.method.padEnd(18)}${[pct(m.orders.mape), pct(m.orders.wape), rho(m.orders), pct(m.orders.shareMape), m.method === 'mmm' ? '—' : pct(m.revenue.wape), m.method === 'mmm' ? '—' : rho(m.revenue)].map((c) => c.padStart(11)).join('')}`)
  }
  lines.push('')
  if (report.mmm.kind === 'fitted') {
    lines.push(`  mmm: daily orders on daily spend, ${report.mmm.periods} days${report.mmm.weekdayTerms ? '' : ' (too few for day-of-week terms: fitted without them)'}, ${report.mmm.iterations} search iterations; hold-out R² ${report.mmm.holdoutR2 === null ? '—' : report.mmm.holdoutR2.toFixed(3)}; paid channels only`)
  } else {
    lines.push(`  mmm: not fitted — ${report.mmm.reason}`)
  }
  lines.push('  MAPE and WAPE compare credited orders with incremental orders; share MAPE compares each channel\'s share of the')
  lines.push('  credit with its share of the incremental orders; Spearman is the rank correlation over the channels; rev. WAPE and')
  lines.push('  rev. ρ do the same for revenue (WAPE, because a channel with a few yuan of incremental revenue makes MAPE meaningless).')
  return `${lines.join('\n')}\n`
}

const COLUMN = 10

const SHORT_NAMES: Record<string, string> = {
  first_touch: 'first',
  last_touch: 'last',
  last_non_direct: 'last_nd',
  time_decay: 'decay',
  position_based: 'position',
  shapley_ordered: 'shap_ord',
}

function short(method: string): string {
  return SHORT_NAMES[method] ?? method
}

function fmt(n: number): string {
  return Math.abs(n - Math.round(n)) < 1e-9 ? Math.round(n).toLocaleString('en') : n.toLocaleString('en', { maximumFractionDigits: 1, minimumFractionDigits: 1 })
}

function pct(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(0)} %`
}

function rho(a: Accuracy): string {
  return a.spearman === null ? '—' : a.spearman.toFixed(2)
}
