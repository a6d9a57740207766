/**
 * The Analytics page's two heaviest reads — `POST /measurement/attribution` and
 * `GET /measurement/roi` — against a real `chorus serve` process on the demo brand, as the
 * dashboard sends them (session cookie, CSRF token). Each repetition first writes a visitor's
 * campaign landing and order, so the log has changed and the next answer must take them in (a
 * full scan, or extending the kept one), then asks each read twice
 * more: the same request again, and ROI under another model (the model menu), both of which
 * reuse that scan. Between the two, the visitor signs in on a browser that had landed
 * anonymously, so attribution is also asked after new events that include a merge.
 *
 *   node bin/run-ts.js bench/measurement.ts --suite dashboard [--demo-people 20000] [--demo-days 90] [--demo-db file] [--dashboard-runs 20]
 *
 * `--demo-db <file>` keeps the seeded database (and its credentials beside it) for later runs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runChorus, startServerProcess } from '../test/support/server-process.ts'
import { runDemo } from '../src/demo/index.ts'
import type { BenchSuite, StageTiming } from './measurement.ts'

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1] : undefined
}

interface Seeded {
  workspaceId: string
  writeKey: string
  adminToken: string
}

export const dashboardReadsSuite: BenchSuite = {
  name: 'dashboard analytics reads on the demo brand',
  runs: () => Number(flag('dashboard-runs') ?? 20),
  async prepare() {
    const people = Number(flag('demo-people') ?? 20_000)
    const days = Number(flag('demo-days') ?? 90)
    const kept = flag('demo-db')
    const dir = kept ? null : mkdtempSync(join(tmpdir(), 'chorus-bench-dashboard-'))
    const file = kept ?? join(dir!, 'chorus.db')
    const credentials = `${file}.bench.json`
    const database = `sqlite:${file}`
    let seeded: Seeded
    const fresh = !existsSync(credentials)
    if (fresh) seeded = JSON.parse(await runChorus(['init', '--database', database, '--json'])) as Seeded
    else seeded = JSON.parse(readFileSync(credentials, 'utf8')) as Seeded
    const server = await startServerProcess({ database })
    process.once('exit', () => {
      if (server.child.exitCode === null) server.child.kill()
      if (dir) rmSync(dir, { recursive: true, force: true })
    })
    const base = server.url
    const bearer = { authorization: `Bearer ${seeded.adminToken}` }
    if (fresh) {
      const started = Date.now()
      const demo = await runDemo({ baseUrl: base, writeKey: seeded.writeKey, people, days, seed: 42, outDir: join(tmpdir(), `chorus-bench-demo-${process.pid}`) })
      const spend = await fetch(`${base}/api/v1/measurement/spend/csv`, { method: 'POST', headers: { ...bearer, 'content-type': 'text/csv' }, body: readFileSync(demo.files.spend) })
      if (!spend.ok) throw new Error(`spend import answered ${spend.status}: ${await spend.text()}`)
      await fetch(`${base}/api/v1/users`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', role: 'admin', password: 'benchmark-password' }) })
      writeFileSync(credentials, JSON.stringify(seeded))
      console.log(`\nseeded the demo brand: ${people.toLocaleString('en')} people, ${days} days, ${demo.events.total.toLocaleString('en')} events in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }
    const session = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', password: 'benchmark-password' }) })
    const cookie = session.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    const { csrfToken } = (await session.json()) as { csrfToken: string }
    const tz = 'Asia/Shanghai'
    const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(Date.now() - offset * 86_400_000))
    const attribution = { from: day(29), to: day(0), models: ['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based', 'markov', 'shapley'], topPaths: 30 }
    const roi = (model: string) => `/measurement/roi?from=${day(29)}&to=${day(0)}&model=${model}`
    const call = async (method: string, path: string, body?: unknown): Promise<number> => {
      const started = performance.now()
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': csrfToken }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      await res.arrayBuffer()
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`)
      return performance.now() - started
    }
    let n = 0
    const track = async (batch: unknown[]) => {
      const res = await fetch(`${base}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${seeded.writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      })
      if (!res.ok) throw new Error(`batch answered ${res.status}`)
    }
    const visitor = (i: number) => ({ userId: `bench-visitor-${process.pid}-${i}`, anonymousId: `bench-browser-${process.pid}-${i}` })
    const changeLog = async () => {
      // A visitor arriving from a campaign and buying: a touchpoint and a conversion the paths must
      // take in. Their browser also lands anonymously from a search, to sign in later.
      const { userId, anonymousId } = visitor(n++)
      await track([
        { type: 'page', userId, name: 'Landing', context: { campaign: { source: 'baidu', medium: 'cpc' } } },
        { type: 'track', userId, event: 'Order Completed', properties: { total: 99, currency: 'CNY' } },
        { type: 'page', anonymousId, name: 'Landing', context: { campaign: { source: 'weibo', medium: 'social' } } },
      ])
    }
    const signIn = async () => {
      // The last visitor signs in on that browser and buys again: the anonymous profile, already
      // read by the last scan, is merged into the known one (as every login on live traffic does).
      const { userId, anonymousId } = visitor(n - 1)
      await track([
        { type: 'identify', userId, anonymousId },
        { type: 'track', userId, anonymousId, event: 'Order Completed', properties: { total: 59, currency: 'CNY' } },
      ])
    }
    // The server measures, not this process: CPU time here would be the client's.
    const timing = (stage: string, ms: number): StageTiming => ({ stage, ms, cpuMs: 0 })
    const repetition = async () => {
      await changeLog()
      const rows = [timing('attribution, after new events', await call('POST', '/measurement/attribution', attribution))]
      rows.push(timing('attribution, same request again', await call('POST', '/measurement/attribution', attribution)))
      await signIn()
      rows.push(timing('attribution, after new events that include a merge', await call('POST', '/measurement/attribution', attribution)))
      await changeLog()
      rows.push(timing('roi markov, after new events', await call('GET', roi('markov'))))
      rows.push(timing('roi markov, same request again', await call('GET', roi('markov'))))
      rows.push(timing('roi last_touch, same scan', await call('GET', roi('last_touch'))))
      return rows
    }
    return Object.assign(repetition, { close: () => server.stop() })
  },
}
