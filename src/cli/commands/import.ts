import type { Command } from 'commander'
import { createLogger, migrateToLatest, openDatabase, systemClock } from '../../platform/index.ts'
import { IngestWriter } from '../../ingest/writer.ts'
import { importFile } from '../../ingest/import/import-file.ts'
import { parseMapping } from '../../ingest/import/column-mapping.ts'
import { ProgressBar } from '../../ingest/import/progress.ts'
import { createSource, ensureDefaultWorkspace, listSources } from '../../workspaces/index.ts'
import { databaseOption, printJson } from '../options.ts'
import { statSync } from 'node:fs'

/** `chorus import <file>`: historical data (NDJSON calls or CSV exports) through the ingest writer. */
export function register(program: Command): void {
  program
    .command('import <file>')
    .description('import NDJSON (Segment calls) or CSV (e.g. orders from a store or POS export) into the default workspace')
    .option('--format <format>', 'ndjson or csv (default: from the file extension)')
    .option('--map <pairs>', 'CSV column mapping, e.g. "userId=buyer_id,phone=mobile,timestamp=paid_at,properties.total=amount"')
    .option('--type <type>', 'CSV: the call type of every row', 'track')
    .option('--event <name>', 'CSV: the event name of every row, e.g. "Order Completed"')
    .option('--sep <char>', 'CSV separator', ',')
    .option('--timezone <zone>', 'zone of times written without an offset', 'Asia/Shanghai')
    .addOption(databaseOption())
    .option('--json', 'print the report as JSON only')
    .action(async (file: string, options: { format?: string; map?: string; type: string; event?: string; sep: string; timezone: string; database: string; json?: boolean }) => {
      const format = (options.format ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson')) as 'csv' | 'ndjson'
      if (format !== 'csv' && format !== 'ndjson') throw new Error(`--format must be csv or ndjson, not "${options.format}"`)
      statSync(file)
      const database = openDatabase(options.database, { checkpoints: 'background' })
      const writer = new IngestWriter({ database, clock: systemClock, logger: createLogger({ level: 'warn' }) })
      try {
        await migrateToLatest(database)
        const { workspace } = await ensureDefaultWorkspace(database.db, systemClock.now())
        const sources = await listSources(database.db, workspace.id)
        const source = sources.find((s) => s.kind === 'import') ?? (await createSource(database.db, { workspaceId: workspace.id, name: 'Imports', kind: 'import', now: systemClock.now() }))
        const bar = new ProgressBar(statSync(file).size)
        const report = await importFile({
          file,
          format,
          workspaceId: workspace.id,
          sourceId: source.id,
          writer,
          now: () => systemClock.now(),
          separator: options.sep,
          mapping: options.map ? parseMapping(options.map) : undefined,
          type: options.type,
          event: options.event,
          timeZone: options.timezone,
          onProgress: (bytes, rows) => bar.update(bytes, rows),
        })
        bar.finish(statSync(file).size, report.rowsRead)
        if (options.json) return printJson(report)
        console.log(`Read ${report.rowsRead.toLocaleString('en')} rows in ${report.seconds.toFixed(1)} s: stored ${report.stored.toLocaleString('en')}, duplicates ${report.duplicates}, suppressed ${report.suppressed}, rejected ${report.rejected}.`)
        for (const r of report.rejections.slice(0, 20)) console.log(`  line ${r.line}: ${r.reason}`)
        if (report.rejected > 20) console.log(`  … and ${report.rejected - 20} more (use --json for the first 1,000)`)
      } finally {
        await writer.close()
        await database.close()
      }
    })
}
