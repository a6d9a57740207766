import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Command } from 'commander'
import { migrateToLatest, openDatabase, systemClock } from '../../platform/index.ts'
import { ensureDefaultWorkspace, findWorkspaceByName } from '../../workspaces/index.ts'
import { parseSpendCsv, parseSpendMapping, storeSpend } from '../../measurement/index.ts'
import { databaseOption, printJson } from '../options.ts'

interface SpendImportFlags {
  map?: string
  channel?: string
  currency?: string
  sep: string
  workspace?: string
  database: string
  json?: boolean
}

/**
 * `chorus spend import <file>`: an ad platform's daily export (date, channel, campaign,
 * impressions, clicks, cost) into the workspace's spend, replacing the days and campaigns it
 * covers; refused rows are listed by line.
 *
 * @example
 * chorus spend import spend.csv
 * chorus spend import 巨量引擎报表.csv --channel douyin --map "date=日期,campaign=计划名称,cost=消耗(元)"
 */
export function register(program: Command): void {
  const spend = program.command('spend').description('ad spend per day, channel and campaign (for ROAS, CPA, CAC and media-mix models)')
  spend
    .command('import <file>')
    .description('import a daily spend export (CSV: date, channel, campaign, impressions, clicks, cost[, currency])')
    .option('--map <pairs>', 'column mapping, e.g. "date=日期,campaign=计划名称,cost=消耗(元)"')
    .option('--channel <name>', 'the channel of every row, for a one-platform export without a channel column')
    .option('--currency <code>', 'currency of rows that state none (default: the workspace currency)')
    .option('--sep <char>', 'CSV separator', ',')
    .option('--workspace <name>', 'workspace name (default: default)')
    .addOption(databaseOption())
    .option('--json', 'print the report as JSON only')
    .action(async (file: string, flags: SpendImportFlags) => {
      await stat(file)
      const mapping = flags.map ? parseSpendMapping(flags.map) : undefined
      const database = openDatabase(flags.database)
      try {
        await migrateToLatest(database)
        const workspace = flags.workspace ? await findWorkspaceByName(database.db, flags.workspace) : (await ensureDefaultWorkspace(database.db, systemClock.now())).workspace
        if (!workspace) throw new Error(`no workspace named "${flags.workspace}"`)
        const parsed = parseSpendCsv(await readFile(file, 'utf8'), { mapping, channel: flags.channel, currency: flags.currency ?? workspace.settings.currency, delimiter: flags.sep })
        if (parsed.kind === 'BadFile') throw new Error(`${file}: ${parsed.message}`)
        const outcome = await storeSpend(database, { workspaceId: workspace.id, records: parsed.records, source: basename(file), now: systemClock.now() })
        const report = { file, rowsRead: parsed.report.rowsRead, rowsAccepted: parsed.report.rowsAccepted, rowsRejected: parsed.report.rejected.length, ...outcome, rejected: parsed.report.rejected.slice(0, 1000) }
        if (parsed.records.length === 0) process.exitCode = 1
        if (flags.json) return printJson(report)
        const cost = new Map<string, number>()
        for (const r of parsed.records) cost.set(`${r.channel} ${r.currency}`, (cost.get(`${r.channel} ${r.currency}`) ?? 0) + r.costMinor)
        console.log(`Read ${report.rowsRead} rows: ${report.rowsAccepted} accepted, ${report.rowsRejected} rejected; stored ${outcome.stored} day-campaign rows (${outcome.replaced} replaced earlier imports).`)
        for (const [key, minor] of [...cost].sort()) console.log(`  ${key.split(' ')[0]!.padEnd(24)} ${(minor / 100).toLocaleString('en', { minimumFractionDigits: 2 })} ${key.split(' ')[1]}`)
        for (const r of parsed.report.rejected.slice(0, 20)) console.log(`  line ${r.line}: ${r.reasons.join('; ')}`)
        if (parsed.report.rejected.length > 20) console.log(`  … and ${parsed.report.rejected.length - 20} more (use --json for the first 1,000)`)
      } finally {
        await database.close()
      }
    })
}
