/**
 * `npm run bench:import` — streams a generated NDJSON file through `importFile` on the embedded
 * database and reports rows/s and peak resident memory, to show memory stays flat whatever the
 * file size. BENCH_IMPORT_MB (default 100) sets the file size.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrateToLatest, openDatabase, silentLogger, systemClock } from '../src/platform/index.ts'
import { IngestWriter } from '../src/ingest/writer.ts'
import { importFile } from '../src/ingest/import/import-file.ts'
import { createWorkspace } from '../src/workspaces/index.ts'
import { TrafficGenerator } from './support/traffic.ts'

const megabytes = Number(process.env.BENCH_IMPORT_MB ?? 100)
const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-import-'))
try {
  const file = join(dir, 'calls.ndjson')
  const out = createWriteStream(file)
  const traffic = new TrafficGenerator({ population: 100_000, seed: 3 })
  let bytes = 0
  const start = Date.UTC(2025, 0, 1)
  while (bytes < megabytes * 1024 * 1024) {
    const line = `${traffic.call(start + traffic.generated * 1000)}\n`
    bytes += Buffer.byteLength(line)
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')

  const database = openDatabase(`sqlite:${join(dir, 'chorus.db')}`)
  await migrateToLatest(database)
  const workspace = await createWorkspace(database.db, { name: 'bench', now: systemClock.now() })
  const writer = new IngestWriter({ database, clock: systemClock, logger: silentLogger() })
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
  const report = await importFile({ file, format: 'ndjson', workspaceId: workspace.id, sourceId: null, writer, now: () => systemClock.now() })
  clearInterval(sampler)
  await writer.close()
  await database.close()
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`
  console.log(
    `import of ${mb(statSync(file).size)} NDJSON (${report.rowsRead.toLocaleString('en')} calls): ${Math.round(report.rowsRead / report.seconds).toLocaleString('en')} rows/s, ` +
      `stored ${report.stored.toLocaleString('en')}, rejected ${report.rejected}; resident memory ${mb(baseline)} before, peak ${mb(peak)} (the file is ${mb(statSync(file).size)})`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
