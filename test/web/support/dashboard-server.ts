import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runChorus, startServerProcess, type ServerProcess } from '../../support/server-process.ts'
import { runDemo, type DemoReport } from '../../../src/demo/index.ts'
import { seedDemoCampaign } from '../../../src/campaigns/index.ts'
import { openDatabase, systemClock } from '../../../src/platform/index.ts'

const ROOT = resolve(import.meta.dirname, '..', '..', '..')
const WEB = join(ROOT, 'web')

function newestMtime(path: string): number {
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

/** One build at a time across test processes: suites run in parallel workers. */
const BUILD_LOCK = join(tmpdir(), 'chorus-web-build.lock')
const STALE_LOCK_MS = 5 * 60_000

function isFresh(): boolean {
  const index = join(WEB, 'dist', 'index.html')
  const sources = Math.max(newestMtime(join(WEB, 'src')), newestMtime(join(WEB, 'index.html')), newestMtime(join(WEB, 'vite.config.ts')))
  return existsSync(index) && statSync(index).mtimeMs >= sources
}

/**
 * Builds the dashboard into web/dist when it is missing or older than its sources, so the
 * browser tests always run against what is checked out. A lock directory keeps two test files
 * from building at once; the second waits for the first and then finds the build fresh.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  for (;;) {
    if (isFresh()) return
    try {
      mkdirSync(BUILD_LOCK)
    } catch {
      const lock = statSync(BUILD_LOCK, { throwIfNoEntry: false })
      if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true })
      await new Promise((r) => setTimeout(r, 1000))
      continue
    }
    try {
      if (isFresh()) return
      const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(WEB, 'vite.config.ts'), '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8' })
      if (result.status !== 0) throw new Error(`the dashboard build failed:\n${result.stdout}\n${result.stderr}`)
      return
    } finally {
      rmSync(BUILD_LOCK, { recursive: true, force: true })
    }
  }
}

const databaseUrl = (dir: string) => `sqlite:${join(dir, 'chorus.db')}`

export interface DashboardServer {
  server: ServerProcess
  url: string
  workspaceId: string
  writeKey: string
  adminToken: string
  bearer: { authorization: string }
  demo: DemoReport | null
  /** Creates a user through the API (as the admin token). */
  createUser(input: { name: string; role: string; password: string; department?: string; displayName?: string }): Promise<void>
  /** Sends Segment calls with the write key and waits for them to be committed. */
  track(batch: object[]): Promise<void>
  stop(): Promise<void>
}

/**
 * A real `chorus serve` process on a fresh SQLite database: `chorus init` for the write key and
 * admin token, then (optionally) a small demo brand sent through the tracking API.
 */
export async function startDashboardServer(options: { demo?: { people: number; days: number; seed: number }; demoCampaign?: boolean } = {}): Promise<DashboardServer> {
  await ensureDashboardBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'chorus-web-'))
  const database = databaseUrl(dir)
  const init = JSON.parse(await runChorus(['init', '--database', database, '--json'])) as { workspaceId: string; writeKey: string; adminToken: string }
  const server = await startServerProcess({ database })
  const bearer = { authorization: `Bearer ${init.adminToken}` }
  let demo: DemoReport | null = null
  if (options.demo) demo = await runDemo({ baseUrl: server.url, writeKey: init.writeKey, ...options.demo, outDir: join(dir, 'demo'), concurrency: 2 })
  if (options.demoCampaign) {
    // The demo brand's launch campaign, planned over the traffic just sent (the same database file).
    const database = openDatabase(databaseUrl(dir))
    try {
      await seedDemoCampaign({ database, clock: systemClock }, init.workspaceId)
    } finally {
      await database.close()
    }
  }
  return {
    server,
    url: server.url,
    ...init,
    bearer,
    demo,
    async createUser(input) {
      const res = await fetch(`${server.url}/api/v1/users`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify(input) })
      if (res.status !== 201) throw new Error(`creating user ${input.name} failed: ${res.status} ${await res.text()}`)
    },
    async track(batch) {
      const res = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${init.writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      })
      if (!res.ok) throw new Error(`sending events failed: ${res.status} ${await res.text()}`)
    },
    async stop() {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
