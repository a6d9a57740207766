import type { Command } from 'commander'
import { migrateToLatest, openDatabase, systemClock } from '../../platform/index.ts'
import { ensureDefaultWorkspace, findWorkspaceByName, type Workspace } from '../../workspaces/index.ts'
import { DEFAULT_TOUCH_KINDS, MODEL_NAMES, ModelName, TOUCH_KINDS, TouchKind, attributeLog, formatTruthCheck, readTruthFile, truthCheck, type LogAttributionReport } from '../../measurement/index.ts'
import { databaseOption, printJson } from '../options.ts'

interface CommonFlags {
  database: string
  workspace?: string
  models?: string
  order: string
  json?: boolean
}

/**
 * `chorus measure attribution` (every model on the event log, with spend) and `chorus measure
 * truth-check` (attribution and MMM against the demo brand's truth.json).
 *
 * @example
 * chorus measure truth-check --truth .chorus/demo/truth.json
 * chorus measure attribution --from 2025-03-01 --to 2025-05-29 --group-by campaign
 */
export function register(program: Command): void {
  const measure = program.command('measure').description('measurement on the event log: attribution with spend, and the check against the demo truth')
  measure
    .command('truth-check')
    .description("run attribution (and MMM when the spend history allows) on the log and compare each channel's credit with the demo truth")
    .requiredOption('--truth <path>', "the demo brand's truth.json")
    .option('--workspace <name>', 'workspace name (default: default)')
    .option('--models <list>', `comma-separated models (default: all): ${MODEL_NAMES.join(', ')}`)
    .option('--order <n|auto>', 'Markov chain order 1–4, or auto', '1')
    .option('--no-mmm', 'skip the media-mix model')
    .option('--mmm-iterations <n>', 'media-mix model search iterations', '1000')
    .option('--seed <n>', 'media-mix model seed', '1')
    .option('--touchpoints <kinds>', `kinds of touchpoint that count (default: ${DEFAULT_TOUCH_KINDS.join(',')}; all: ${TOUCH_KINDS.join(',')})`)
    .option('--lookback <days>', 'look-back window in days', '30')
    .addOption(databaseOption())
    .option('--json', 'print the report as JSON only')
    .action(async (flags: CommonFlags & { truth: string; mmm: boolean; mmmIterations: string; seed: string; touchpoints?: string; lookback: string }) => {
      const read = await readTruthFile(flags.truth)
      if (!read.ok) throw new Error(read.message)
      await withWorkspace(flags, async (database, workspace) => {
        const report = await truthCheck({
          database,
          workspaceId: workspace.id,
          truth: read.truth,
          models: parseModels(flags.models),
          markovOrder: parseOrder(flags.order),
          mmm: flags.mmm,
          mmmIterations: positiveInt(flags.mmmIterations, '--mmm-iterations'),
          seed: Number.parseInt(flags.seed, 10),
          touchpoints: parseKinds(flags.touchpoints),
          lookbackDays: positiveInt(flags.lookback, '--lookback'),
        })
        if (flags.json) printJson(report)
        else process.stdout.write(formatTruthCheck(report))
      })
    })

  measure
    .command('attribution')
    .description('every attribution model on the event log for a period, with spend, ROAS and CPA')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD (workspace time zone)')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (included)')
    .option('--conversion <key>', 'conversion definition', 'purchase')
    .option('--group-by <what>', 'channel, campaign or journey', 'channel')
    .option('--workspace <name>', 'workspace name (default: default)')
    .option('--models <list>', `comma-separated models (default: all): ${MODEL_NAMES.join(', ')}`)
    .option('--order <n|auto>', 'Markov chain order 1–4, or auto', '1')
    .addOption(databaseOption())
    .option('--json', 'print the report as JSON only')
    .action(async (flags: CommonFlags & { from: string; to: string; conversion: string; groupBy: string }) => {
      await withWorkspace(flags, async (database, workspace) => {
        const outcome = await attributeLog({
          database,
          workspaceId: workspace.id,
          timeZone: workspace.settings.timezone,
          currency: workspace.settings.currency,
          request: { from: flags.from, to: flags.to, conversion: flags.conversion, groupBy: flags.groupBy as 'channel', models: parseModels(flags.models), markovOrder: parseOrder(flags.order) },
        })
        if (outcome.kind !== 'report') throw new Error(outcome.message)
        if (flags.json) printJson(outcome.report)
        else process.stdout.write(comparisonTable(outcome.report))
      })
    })
}

async function withWorkspace(flags: CommonFlags, work: (database: ReturnType<typeof openDatabase>, workspace: Workspace) => Promise<void>): Promise<void> {
  const database = openDatabase(flags.database)
  try {
    await migrateToLatest(database)
    const workspace = flags.workspace ? await findWorkspaceByName(database.db, flags.workspace) : (await ensureDefaultWorkspace(database.db, systemClock.now())).workspace
    if (!workspace) throw new Error(`no workspace named "${flags.workspace}"`)
    await work(database, workspace)
  } finally {
    await database.close()
  }
}

function parseModels(list: string | undefined): ModelName[] | undefined {
  if (!list) return undefined
  return list.split(',').map((m) => {
    const parsed = ModelName.safeParse(m.trim())
    if (!parsed.success) throw new Error(`--models: unknown model "${m.trim()}"; choose from ${MODEL_NAMES.join(', ')}`)
    return parsed.data
  })
}

function parseKinds(list: string | undefined): TouchKind[] | undefined {
  if (!list) return undefined
  return list.split(',').map((k) => {
    const parsed = TouchKind.safeParse(k.trim())
    if (!parsed.success) throw new Error(`--touchpoints: unknown kind "${k.trim()}"; choose from ${TOUCH_KINDS.join(', ')}`)
    return parsed.data
  })
}

function parseOrder(order: string): number | 'auto' {
  if (order === 'auto') return 'auto'
  const n = Number(order)
  if (!Number.isInteger(n) || n < 1 || n > 4) throw new Error(`--order must be 1, 2, 3, 4 or auto (got "${order}")`)
  return n
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number ≥ 1 (got "${text}")`)
  return n
}

function comparisonTable(report: LogAttributionReport): string {
  const models = MODEL_NAMES.filter((m) => report.models[m])
  const width = Math.max(12, ...report.comparison.map((r) => r.label.length))
  const lines = [
    `Attribution ${report.period.fromDate} – ${report.period.toDate}: ${report.totals.conversions} conversions, ${(report.totals.revenueMinor / 100).toFixed(2)} ${report.currency}, ${report.totals.nullJourneys} journeys without conversion`,
    `  ${'channel'.padEnd(width)}${'cost'.padStart(12)}${models.map((m) => m.slice(0, 12).padStart(14)).join('')}`,
  ]
  for (const row of report.comparison) {
    const cost = row.costMinor === null ? '—' : (row.costMinor / 100).toFixed(2)
    lines.push(`  ${row.label.padEnd(width)}${cost.padStart(12)}${models.map((m) => (row.models[m]?.conversions ?? 0).toFixed(2).padStart(14)).join('')}`)
  }
  for (const warning of report.warnings) lines.push(`  note: ${warning}`)
  return `${lines.join('\n')}\n`
}
