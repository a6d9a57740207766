import type { Command } from 'commander'
import {
  evaluateAllocation,
  fitMmm,
  optimiseBudget,
  parseBoundSpecs,
  readDatasetCsv,
  type BudgetPlan,
  type ColumnMappingInput,
  type FitReport,
  type MmmFitOptionsInput,
  type MmmModel,
} from '../../measurement/mmm/index.ts'

/** Flags shared by every `chorus mmm` sub-command, as commander hands them over. */
export interface MmmInputFlags {
  dateCol: string
  outcome: string
  spend: string
  impressions?: string
  mediaInput: string
  revenuePerConversion?: string
  controls?: string
  adstock: string
  iterations: string
  seed: string
  holdout: string
  sep: string
  skipBadRows?: boolean
  json?: boolean
}

interface FittedInput {
  model: MmmModel
  report: FitReport
  load: { file: string; rowsRead: number; rejected: { line: number; reasons: string[] }[]; warnings: string[] }
}

/**
 * `chorus mmm fit|optimise|whatif <file.csv>`: fit a marketing-mix model on a CSV of periods, then
 * print the fit report, a budget plan, or the outcome of a given split. With `--json` stdout
 * carries one JSON document and nothing else; warnings and bad rows go to stderr.
 *
 * @example
 * chorus mmm fit ../shared/data/robyn_dt_simulated_weekly.csv --date-col DATE --outcome revenue \
 *   --spend tv_S,ooh_S,print_S,facebook_S,search_S --controls competitor_sales_B,events,newsletter --json
 */
export function register(program: Command): void {
  const mmm = program
    .command('mmm')
    .description('marketing-mix modelling: media contributions, ROI, response curves and budget plans')

  withInputOptions(mmm.command('fit <file>').description('fit a model and print its report'))
    .action(async (file: string, flags: MmmInputFlags) => {
      const fitted = await fitFile(file, flags)
      process.stdout.write(flags.json ? `${JSON.stringify({ report: fitted.report, model: fitted.model, load: fitted.load })}\n` : fitSummary(fitted.report))
    })

  withInputOptions(
    mmm
      .command('optimise <file>')
      .alias('optimize')
      .description('fit a model, then split a budget per period where marginal returns are highest'),
  )
    .option('--budget <amount>', 'total spend per period to allocate (default: the current total)')
    .option('--bounds <list>', 'per-channel limits channel:min:max; a value like 1.5x is relative to current spend (default 0.5x:2x)')
    .action(async (file: string, flags: MmmInputFlags & { budget?: string; bounds?: string }) => {
      const budget = flags.budget === undefined ? undefined : parseNumber('--budget', flags.budget, 0)
      const bounds = flags.bounds ? parseBoundSpecs(flags.bounds) : []
      const fitted = await fitFile(file, flags)
      const plan = optimiseBudget(fitted.model, { budget, bounds })
      if (plan.kind !== 'planned') throw new Error(plan.message)
      process.stdout.write(flags.json ? `${JSON.stringify({ plan, metrics: fitted.report.metrics, model: fitted.model })}\n` : planSummary(plan))
    })

  withInputOptions(mmm.command('whatif <file>').description('fit a model, then predict the outcome of a given spend per period'))
    .requiredOption('--plan <list>', 'spend per period as channel=amount,…; channels not named keep their current spend')
    .action(async (file: string, flags: MmmInputFlags & { plan: string }) => {
      const allocation = Object.fromEntries(
        splitList(flags.plan).map((item) => {
          const [channel, amount] = item.split('=')
          if (!channel || amount === undefined) throw new Error(`--plan: '${item}' should look like channel=amount`)
          return [channel.trim(), parseNumber(`--plan ${channel}`, amount, 0)]
        }),
      )
      const fitted = await fitFile(file, flags)
      const scenario = evaluateAllocation(fitted.model, allocation)
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ scenario, metrics: fitted.report.metrics })}\n`)
        return
      }
      const rows = scenario.channels.map((c) => [c.channel, money(c.currentSpend), money(c.spend), money(c.currentResponse), money(c.response)])
      process.stdout.write(table(['channel', 'current spend', 'plan spend', 'current response', 'plan response'], rows))
      process.stdout.write(`change in ${scenario.outcome} per period: ${money(scenario.change)} (${percent(scenario.changeRelativeToOutcome)} of the outcome)\n`)
    })
}

function withInputOptions(command: Command): Command {
  return command
    .requiredOption('--date-col <name>', 'column with the period start date (YYYY-MM-DD)')
    .requiredOption('--outcome <name>', 'column with the outcome (revenue or conversions)')
    .requiredOption('--spend <list>', 'spend columns, comma-separated; name=column renames a channel')
    .option('--impressions <list>', 'impression columns in the order of --spend (or channel=column)')
    .option('--media-input <kind>', 'model spend or impressions', 'spend')
    .option('--revenue-per-conversion <name>', 'multiply the outcome by this column to model revenue')
    .option('--controls <list>', 'control columns (numeric, or categorical like events)')
    .option('--adstock <type>', 'geometric, weibull_cdf or weibull_pdf', 'geometric')
    .option('--iterations <n>', 'hyper-parameter candidates to evaluate', '2000')
    .option('--seed <n>', 'seed of the search (same seed, same result)', '1')
    .option('--holdout <fraction>', 'share of the last periods kept out for the hold-out figures', '0.15')
    .option('--sep <char>', 'CSV field separator', ',')
    .option('--skip-bad-rows', 'fit without the rows that fail validation instead of stopping')
    .option('--json', 'print only JSON on stdout')
}

/** Reads, validates and fits; throws an error a person can act on for bad flags or data. */
export async function fitFile(file: string, flags: MmmInputFlags): Promise<FittedInput> {
  const mapping = columnMapping(flags)
  const options: MmmFitOptionsInput = {
    adstock: oneOf('--adstock', flags.adstock, ['geometric', 'weibull_cdf', 'weibull_pdf'] as const),
    mediaInput: oneOf('--media-input', flags.mediaInput, ['spend', 'impressions'] as const),
    iterations: parseNumber('--iterations', flags.iterations, 1, true),
    seed: parseNumber('--seed', flags.seed, -Infinity, true),
    holdoutFraction: parseNumber('--holdout', flags.holdout, 0.05),
  }
  if ((options.holdoutFraction as number) > 0.4) throw new Error(`--holdout must be between 0.05 and 0.4 (got "${flags.holdout}")`)
  const load = await readDatasetCsv(file, mapping)
  if (load.kind === 'MissingColumns') throw new Error(`${file}: ${load.message}`)
  if (load.kind === 'NoUsableRows') throw new Error(`${file}: ${load.message}\n${rejectionLines(load.rejected)}`)
  for (const warning of load.warnings) process.stderr.write(`warning: ${warning}\n`)
  if (load.rejected.length > 0) {
    const summary = `${load.rejected.length} of ${load.rowsRead} rows failed validation:\n${rejectionLines(load.rejected)}`
    if (!flags.skipBadRows) throw new Error(`${file}: ${summary}\nfix them, or pass --skip-bad-rows to fit without them`)
    process.stderr.write(`${summary}\n`)
  }
  const outcome = fitMmm(load.dataset, options)
  if (outcome.kind !== 'fitted') throw new Error(outcome.message)
  for (const note of outcome.report.notes) process.stderr.write(`note: ${note}\n`)
  return {
    model: outcome.model,
    report: outcome.report,
    load: { file, rowsRead: load.rowsRead, rejected: load.rejected, warnings: load.warnings },
  }
}

function rejectionLines(rejected: readonly { line: number; reasons: string[] }[]): string {
  const lines = rejected.slice(0, 20).map((r) => `  line ${r.line}: ${r.reasons.join('; ')}`)
  if (rejected.length > 20) lines.push(`  … and ${rejected.length - 20} more`)
  return lines.join('\n')
}

function columnMapping(flags: MmmInputFlags): ColumnMappingInput {
  const spend = splitList(flags.spend).map(namedColumn)
  if (spend.length === 0) throw new Error('--spend needs at least one column')
  const impressions = flags.impressions ? splitList(flags.impressions).map(namedColumn) : []
  const named = impressions.some((i) => i.named)
  if (impressions.length > 0 && !named && impressions.length !== spend.length) {
    throw new Error(`--impressions lists ${impressions.length} columns for ${spend.length} spend columns; give one per channel or use channel=column`)
  }
  return {
    date: flags.dateCol,
    outcome: flags.outcome,
    revenuePerConversion: flags.revenuePerConversion,
    channels: spend.map((s, i) => {
      const match = named ? impressions.find((m) => m.name === s.name) : impressions[i]
      return { name: s.name, spend: s.column, ...(match ? { impressions: match.column } : {}) }
    }),
    controls: flags.controls ? splitList(flags.controls) : [],
    delimiter: flags.sep === '\\t' ? '\t' : flags.sep,
  }
}

function namedColumn(item: string): { name: string; column: string; named: boolean } {
  const [name, column] = item.split('=').map((s) => s.trim())
  if (!name) throw new Error(`'${item}' is not a column name`)
  return column ? { name, column, named: true } : { name, column: name, named: false }
}

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}

function parseNumber(flag: string, raw: string, min: number, integer = false): number {
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    const kind = integer ? 'an integer' : 'a number'
    throw new Error(`${flag} must be ${kind}${Number.isFinite(min) ? ` ≥ ${min}` : ''} (got "${raw}")`)
  }
  return n
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`)
  return value as T
}

/** The readable fit report: figures, then one row per channel. */
export function fitSummary(report: FitReport): string {
  const m = report.metrics
  const head = [
    `${report.periods} periods of ${report.outcome} (${report.cadenceDays}-day cadence), ${report.adstock} adstock on ${report.mediaInput}`,
    `train ${report.split.train.from} → ${report.split.train.to}, hold-out ${report.split.holdout.from} → ${report.split.holdout.to}`,
    `train    R² ${m.train.r2.toFixed(3)}  NRMSE ${m.train.nrmse.toFixed(3)}  MAPE ${percent(m.train.mape)}`,
    `hold-out R² ${m.holdout.r2.toFixed(3)}  NRMSE ${m.holdout.nrmse.toFixed(3)}  MAPE ${percent(m.holdout.mape)}`,
    '',
  ].join('\n')
  const rows = report.channels.map((c) => [
    c.channel,
    money(c.spend),
    money(c.contribution),
    percent(c.share),
    c.roi === null ? '–' : c.roi.toFixed(2),
    c.marginalRoi === null ? '–' : c.marginalRoi.toFixed(2),
    describeAdstock(c.hyperparameters.adstock),
    `α ${c.hyperparameters.alpha.toFixed(2)} γ ${c.hyperparameters.gamma.toFixed(2)}`,
  ])
  return `${head}\n${table(['channel', 'spend', 'contribution', 'share', 'ROI', 'mROI', 'adstock', 'Hill'], rows)}`
}

function planSummary(plan: Extract<BudgetPlan, { kind: 'planned' }>): string {
  const rows = plan.channels.map((c) => [
    c.channel,
    money(c.currentSpend),
    money(c.recommendedSpend),
    `${c.change >= 0 ? '+' : ''}${money(c.change)}`,
    c.atBound ?? '',
    c.recommendedMarginal === null ? '–' : c.recommendedMarginal.toFixed(2),
  ])
  return (
    table(['channel', 'current / period', 'recommended', 'change', 'at bound', 'mROI'], rows) +
    `\n${plan.outcome} from media per period: ${money(plan.currentResponse)} → ${money(plan.recommendedResponse)} ` +
    `(+${money(plan.uplift)}, ${percent(plan.upliftRelativeToOutcome)} of the outcome; ${plan.method})\n`
  )
}

function describeAdstock(adstock: FitReport['channels'][number]['hyperparameters']['adstock']): string {
  return adstock.type === 'geometric' ? `θ ${adstock.theta.toFixed(2)}` : `k ${adstock.shape.toFixed(2)} s ${adstock.scale.toFixed(3)}`
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')
  return `${[line(header), ...rows.map(line)].join('\n')}\n`
}

function money(x: number): string {
  return Math.round(x).toLocaleString('en')
}

function percent(x: number | null): string {
  return x === null ? '–' : `${(100 * x).toFixed(1)} %`
}
