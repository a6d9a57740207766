import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Command } from 'commander'
import { migrateToLatest, openDatabase, systemClock } from '../../platform/index.ts'
import { ensureDefaultWorkspace, findSourceByWriteKey } from '../../workspaces/index.ts'
import { runDemo } from '../../demo/index.ts'
import { seedDemoCampaign } from '../../campaigns/index.ts'
import { printJson } from '../options.ts'

/**
 * `chorus demo`: sends the demo brand's traffic to a running Chorus through its public tracking
 * APIs (Segment and Sensors), writes the ground truth and the spend export, and — when --database
 * holds the workspace of the write key — plans the brand's launch campaign over that traffic.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('simulate the demo brand 和声优品 against a running Chorus (through its tracking APIs)')
    .option('--people <n>', 'people in the simulation', (v) => positiveInt(v, '--people'), 20_000)
    .option('--days <n>', 'days simulated', (v) => positiveInt(v, '--days'), 90)
    .option('--seed <n>', 'random seed (same seed, same data)', (v) => positiveInt(v, '--seed'), 42)
    .option('--url <url>', 'where Chorus listens', 'http://127.0.0.1:8080')
    .option('--write-key <key>', 'write key (default: the default workspace\'s, read from --database)')
    .option('--database <url>', 'database to read the default write key from', process.env.CHORUS_DATABASE_URL ?? 'sqlite:./.chorus/chorus.db')
    .option('--out <dir>', 'where truth.json and spend.csv go', join('.chorus', 'demo'))
    .option('--json', 'print the report as JSON only')
    .option('--no-campaign', 'do not seed the demo campaign (message house, plan, review) into --database')
    .action(async (options: { people: number; days: number; seed: number; url: string; writeKey?: string; database: string; out: string; json?: boolean; campaign: boolean }) => {
      let writeKey = options.writeKey
      if (!writeKey) {
        const database = openDatabase(options.database)
        try {
          await migrateToLatest(database)
          writeKey = (await ensureDefaultWorkspace(database.db, systemClock.now())).source.writeKey
        } finally {
          await database.close()
        }
      }
      let lastPrinted = 0
      const report = await runDemo({
        baseUrl: options.url.replace(/\/$/, ''),
        writeKey,
        people: options.people,
        days: options.days,
        seed: options.seed,
        outDir: options.out,
        onProgress: (p) => {
          if (options.json || Date.now() - lastPrinted < 1000) return
          lastPrinted = Date.now()
          process.stderr.write(`\rday ${p.day}/${p.days}: ${(p.events.segment + p.events.sensors).toLocaleString('en')} events sent in ${p.requests.toLocaleString('en')} requests`)
        },
      })
      if (!options.json) process.stderr.write('\n')
      const campaign = options.campaign ? await seedCampaign(options.database, writeKey, report.files.spend) : null
      if (options.json) return printJson({ ...report, campaign })
      console.log(JSON.stringify({ ...report, campaign }, null, 2))
    })
}

/** The demo campaign in the workspace the write key belongs to, when --database holds it. */
async function seedCampaign(databaseUrl: string, writeKey: string, spendFile: string): Promise<{ campaignId: string; houseId: string; created: boolean } | null> {
  const database = openDatabase(databaseUrl)
  try {
    const source = await findSourceByWriteKey(database.db, writeKey)
    if (!source) {
      process.stderr.write('the write key belongs to no workspace in --database; the demo campaign is not seeded\n')
      return null
    }
    const seeded = await seedDemoCampaign({ database, clock: systemClock }, source.workspaceId, { spendCsv: await readFile(spendFile, 'utf8') })
    return { campaignId: seeded.campaignId, houseId: seeded.houseId, created: seeded.created }
  } finally {
    await database.close()
  }
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive whole number, not "${value}"`)
  return n
}
