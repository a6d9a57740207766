import type { Command } from 'commander'
import {
  attribute,
  attributionJson,
  channelOrder,
  MODEL_NAMES,
  readPathFile,
  type AttributionReport,
  type ModelName,
  type PathFileReport,
} from '../../measurement/attribution/index.ts'

/** Flags of `chorus attribution paths`, as commander hands them over. */
export interface AttributionPathsFlags {
  sep: string
  pathCol: string
  convCol: string
  valueCol: string
  nullCol: string
  pathSep: string
  models?: string
  order: string
  halfLife: string
  direct: string
  json?: boolean
}

/**
 * `chorus attribution paths <file.csv>`: every attribution model over an aggregated path file,
 * as a comparison table or (`--json`) as JSON on stdout and nothing else. Bad rows are reported
 * on stderr with their line numbers and skipped.
 *
 * @example
 * chorus attribution paths ../shared/data/ChannelAttribution_Data.csv --sep ';' --order auto --json
 */
export function register(program: Command): void {
  const attribution = program
    .command('attribution')
    .description('multi-touch attribution: how much of the conversions each channel earned')
  attribution
    .command('paths <file>')
    .description('attribute the conversions of an aggregated path file (one row per path)')
    .option('--sep <text>', 'field separator', ';')
    .option('--path-col <name>', 'column holding the path', 'path')
    .option('--conv-col <name>', 'column holding the conversions', 'total_conversions')
    .option('--value-col <name>', 'column holding the conversion value', 'total_conversion_value')
    .option('--null-col <name>', 'column holding the journeys without conversion', 'total_null')
    .option('--path-sep <text>', 'separator between the channels of a path (names are trimmed)', '>')
    .option('--models <list>', `comma-separated models (default: all): ${MODEL_NAMES.join(', ')}`)
    .option('--order <n|auto>', 'Markov chain order 1–4, or auto (lowest BIC)', '1')
    .option('--half-life <days>', 'time decay half-life in days', '7')
    .option('--direct <list>', 'comma-separated channels that count as direct traffic', 'direct')
    .option('--json', 'print only JSON on stdout')
    .action(async (file: string, flags: AttributionPathsFlags) => {
      const { report, fileReport } = await attributePathFile(file, flags)
      if (fileReport.rejected > 0) process.stderr.write(badRowSummary(fileReport))
      process.stdout.write(flags.json ? `${JSON.stringify(attributionJson(report))}\n` : comparisonTable(report))
    })
}

/**
 * Reads the file and runs the models the flags ask for. Throws an error a person can act on for
 * bad flags, an unusable header or a file without a single good row.
 *
 * @example
 * const { report } = await attributePathFile('paths.csv', { sep: ';', pathCol: 'path', convCol: 'total_conversions',
 *   valueCol: 'total_conversion_value', nullCol: 'total_null', pathSep: '>', order: 'auto', halfLife: '7', direct: 'direct' })
 */
export async function attributePathFile(
  file: string,
  flags: AttributionPathsFlags,
): Promise<{ report: AttributionReport; fileReport: PathFileReport }> {
  const models = parseModels(flags.models)
  const markovOrder = parseOrder(flags.order)
  const halfLifeDays = Number(flags.halfLife)
  if (!(halfLifeDays > 0 && Number.isFinite(halfLifeDays))) {
    throw new Error(`--half-life must be a number of days > 0 (got "${flags.halfLife}")`)
  }
  const directChannels = splitList(flags.direct)
  const read = await readPathFile(file, {
    sep: unescapeSeparator(flags.sep),
    pathCol: flags.pathCol,
    convCol: flags.convCol,
    valueCol: flags.valueCol,
    nullCol: flags.nullCol,
    pathSep: flags.pathSep,
  }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'ENOENT' ? `${file}: no such file` : `cannot read ${file}: ${error.message}`)
  })
  if (!read.ok) throw new Error(`${file}: ${read.error.message}`)
  if (read.report.accepted === 0) {
    const first = read.report.badRows[0]
    throw new Error(`${file}: no usable rows${first ? ` (line ${first.line}: ${first.reason})` : ''}`)
  }
  const report = attribute(read.paths, { models, markovOrder, halfLifeDays, directChannels })
  return { report, fileReport: read.report }
}

function parseModels(list: string | undefined): ModelName[] {
  if (list === undefined) return [...MODEL_NAMES]
  const names = splitList(list)
  const unknown = names.filter((name) => !(MODEL_NAMES as readonly string[]).includes(name))
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`--models: unknown model ${unknown.map((u) => `"${u}"`).join(', ') || '(none given)'}; choose from ${MODEL_NAMES.join(', ')}`)
  }
  return names as ModelName[]
}

function parseOrder(order: string): number | 'auto' {
  if (order === 'auto') return 'auto'
  const n = Number(order)
  if (!Number.isInteger(n) || n < 1 || n > 4) throw new Error(`--order must be 1, 2, 3, 4 or auto (got "${order}")`)
  return n
}

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}

/** Lets `--sep '\t'` mean a tab, as typed in a shell. */
function unescapeSeparator(sep: string): string {
  return sep === '\\t' ? '\t' : sep
}

function badRowSummary(report: PathFileReport): string {
  const lines = [`skipped ${report.rejected} of ${report.rows} rows:`]
  for (const bad of report.badRows.slice(0, 20)) lines.push(`  line ${bad.line}: ${bad.reason}`)
  if (report.rejected > 20) lines.push(`  … and ${report.rejected - 20} more`)
  return `${lines.join('\n')}\n`
}

const SHORT_NAMES: Record<ModelName, string> = {
  first_touch: 'first',
  last_touch: 'last',
  last_non_direct: 'last non-dir',
  linear: 'linear',
  time_decay: 'time decay',
  position_based: 'position',
  markov: 'markov',
  shapley: 'shapley',
  shapley_ordered: 'shapley ord',
}

/**
 * The readable output: conversions and value per channel side by side, then the Markov details.
 *
 * @example
 * process.stdout.write(comparisonTable(attribute(paths)))
 */
export function comparisonTable(report: AttributionReport): string {
  const { totals } = report
  const out: string[] = [
    `${totals.paths.toLocaleString('en')} paths · ${format(totals.conversions)} conversions · ` +
      `value ${format(totals.value)} · ${format(totals.nulls)} journeys without conversion`,
  ]
  const models = MODEL_NAMES.filter((name) => report.models[name])
  const first = report.models[models[0]!]!
  const channels = channelOrder(first.channels)
  const nameWidth = Math.max(7, ...first.channels.map((c) => c.length))
  const width = 13
  for (const measure of ['conversions', 'value'] as const) {
    out.push('', `${measure.padEnd(nameWidth)}${models.map((m) => SHORT_NAMES[m].padStart(width)).join('')}`)
    for (const id of channels) {
      const cells = models.map((m) => format(report.models[m]![measure][id]!).padStart(width))
      out.push(`${first.channels[id]!.padEnd(nameWidth)}${cells.join('')}`)
    }
    const sums = models.map((m) => format(report.models[m]![measure].reduce((a, b) => a + b, 0)).padStart(width))
    out.push(`${'total'.padEnd(nameWidth)}${sums.join('')}`)
  }
  const markov = report.markov
  if (markov) {
    out.push('', `Markov chain of order ${markov.order}: P(conversion) ${markov.conversionProbability.toFixed(6)}, ` +
      `value per journey ${markov.valuePerJourney.toFixed(6)}, ${markov.transitions.length} transitions`)
    if (markov.orderScores) {
      out.push('order chosen by lowest BIC:')
      for (const s of markov.orderScores) {
        out.push(`  order ${s.order}: ${s.states} states, ${s.parameters} parameters, log L ${s.logLikelihood.toFixed(1)}, BIC ${s.bic.toFixed(1)}`)
      }
    }
    out.push('removal effects', `${''.padEnd(nameWidth)}${'conversions'.padStart(width)}${'value'.padStart(width)}`)
    for (const id of channels) {
      out.push(
        `${first.channels[id]!.padEnd(nameWidth)}${markov.removalEffects.conversions[id]!.toFixed(4).padStart(width)}` +
          `${markov.removalEffects.value[id]!.toFixed(4).padStart(width)}`,
      )
    }
  }
  const ordered = report.orderedShapley
  if (ordered && ordered.positions > 0) {
    const shown = Math.min(ordered.positions, 6)
    const header = Array.from({ length: shown }, (_, p) => `touch ${p + 1}`.padStart(width)).join('')
    out.push('', `ordered Shapley conversions by touch position (first ${shown} of ${ordered.positions})`)
    out.push(`${''.padEnd(nameWidth)}${header}`)
    for (const id of channels) {
      const cells = Array.from({ length: shown }, (_, p) => format(ordered.byPosition.conversions[id]![p]!).padStart(width))
      out.push(`${first.channels[id]!.padEnd(nameWidth)}${cells.join('')}`)
    }
  }
  return `${out.join('\n')}\n`
}

function format(n: number): string {
  return n.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}
