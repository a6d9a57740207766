/**
 * Benchmark of the API calls the dashboard's pages make, against a real `chorus serve` process
 * on a fresh SQLite database filled with the demo brand through the tracking APIs. Requests go
 * as the dashboard sends them: with a session cookie and, for POSTs, the CSRF token.
 *
 *   node bin/run-ts.js bench/api.ts [--people 2000] [--days 30] [--runs 30]
 *
 * Prints, per endpoint, the median and 95th-percentile latency of `--runs` sequential requests
 * (after two warm-up requests) and marks those over the 200 ms aim. Endpoints this installation
 * does not have are listed as such. Some calls are timed after a change to the log, as on a live
 * system: before each request (untimed) a tracked event, or a login merging two profiles, arrives.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runChorus, startServerProcess } from '../test/support/server-process.ts'
import { runDemo } from '../src/demo/index.ts'
import { seedDemoCampaign } from '../src/campaigns/index.ts'
import { openDatabase, systemClock } from '../src/platform/index.ts'

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`)
  return value
}

const PEOPLE = option('people', 2_000)
const DAYS = option('days', 30)
const RUNS = option('runs', 30)
const AIM_MS = 200

const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-api-'))
const database = `sqlite:${join(dir, 'chorus.db')}`
const init = JSON.parse(await runChorus(['init', '--database', database, '--json'])) as { workspaceId: string; writeKey: string; adminToken: string }
const server = await startServerProcess({ database })
const base = server.url

try {
  const seeded = Date.now()
  const demo = await runDemo({ baseUrl: base, writeKey: init.writeKey, people: PEOPLE, days: DAYS, seed: 42, outDir: join(dir, 'demo') })
  console.log(`Demo brand: ${PEOPLE} people, ${DAYS} days, ${demo.events.total.toLocaleString('en')} events, seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s`)
  // The demo brand's launch campaign, planned over that traffic (the same database file).
  const side = openDatabase(database)
  const { campaignId } = await seedDemoCampaign({ database: side, clock: systemClock }, init.workspaceId).finally(() => side.close())

  // Sign in as the dashboard does: a user, a session cookie and its CSRF token.
  const bearer = { authorization: `Bearer ${init.adminToken}` }
  await fetch(`${base}/api/v1/users`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', role: 'admin', password: 'benchmark-password' }) })
  const signIn = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', password: 'benchmark-password' }) })
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { csrfToken } = (await signIn.json()) as { csrfToken: string }
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${base}/api/v1${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => (await (await call(method, path, body)).json()) as T
  // Changes to the log a live system sees every second: dated half a day ago, inside the demo
  // campaign's window (which ends at the demo's last event), as a late-arriving event is.
  const basic = `Basic ${Buffer.from(`${init.writeKey}:`).toString('base64')}`
  const track = async (batch: object[]) => {
    const res = await fetch(`${base}/v1/batch`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) })
    if (!res.ok) throw new Error(`tracking answered ${res.status}: ${await res.text()}`)
  }
  const halfDayAgo = () => new Date(Date.now() - 43_200_000).toISOString()
  let changes = 0
  const newEvent = () => track([{ type: 'page', anonymousId: `bench-visitor-${++changes}`, name: 'Home', timestamp: halfDayAgo(), context: { campaign: { source: 'douyin' } } }])
  const newMerge = () => {
    const n = ++changes
    return track([
      { type: 'page', userId: `bench-user-${n}`, name: 'Home', timestamp: halfDayAgo() },
      { type: 'page', anonymousId: `bench-login-${n}`, name: 'Home', timestamp: halfDayAgo() },
      { type: 'identify', anonymousId: `bench-login-${n}`, userId: `bench-user-${n}`, timestamp: halfDayAgo() },
    ])
  }

  // Ids the pages would have in hand.
  const tz = 'Asia/Shanghai'
  const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(Date.now() - offset * 86_400_000))
  const person = (await json<{ items: Array<{ id: string; identities: Array<{ type: string; value: string }> }> }>('GET', '/profiles?identifierType=phone&limit=1')).items[0]!
  const phone = person.identities.find((i) => i.type === 'phone')!.value.replace(/^\+86/, '')
  const definition = { all: [{ performed: { event: 'Order Completed', within: '30d' } }] }
  const audience = await json<{ audience?: { id: string } }>('POST', '/audiences', { name: 'Buyers, 30 days', definition })
  const audienceId = audience.audience?.id

  const endpoints: Array<{ page: string; method: string; path: string; body?: unknown; runs?: number; note?: string; before?: () => Promise<void> }> = [
    { page: 'shell', method: 'GET', path: '/session' },
    { page: 'overview', method: 'GET', path: `/measurement/roi?from=${day(6)}&to=${day(0)}&model=last_touch` },
    { page: 'overview', method: 'GET', path: `/events/summary?from=${day(0)}&to=${day(0)}`, note: 'today' },
    { page: 'overview', method: 'GET', path: `/events/summary?from=${day(29)}&to=${day(0)}`, note: '30 days' },
    { page: 'overview', method: 'GET', path: '/campaigns?status=running&limit=4' },
    { page: 'overview', method: 'GET', path: '/audiences?limit=200' },
    { page: 'overview', method: 'GET', path: '/journeys?status=published&limit=10' },
    { page: 'customers', method: 'GET', path: '/profiles?limit=25', note: 'latest' },
    { page: 'customers', method: 'GET', path: `/profiles?q=${encodeURIComponent(phone)}&limit=25`, note: 'phone' },
    { page: 'customers', method: 'GET', path: `/profiles?q=${encodeURIComponent('上海')}&limit=25`, note: 'trait text' },
    { page: 'customer 360', method: 'GET', path: `/profiles/${person.id}` },
    { page: 'customer 360', method: 'GET', path: `/profiles/${person.id}/merges` },
    { page: 'customer 360', method: 'GET', path: `/profiles/${person.id}/events?limit=50` },
    { page: 'customer 360', method: 'GET', path: `/channels/consents/${person.id}` },
    { page: 'customer 360', method: 'GET', path: `/measurement/scores/profiles/${person.id}` },
    { page: 'customer 360', method: 'GET', path: `/profiles/${person.id}/audiences` },
    { page: 'audiences', method: 'POST', path: '/audiences/estimate', body: { definition, sample: 8 } },
    ...(audienceId
      ? [
          { page: 'audiences', method: 'GET', path: `/audiences/${audienceId}` },
          { page: 'audiences', method: 'GET', path: `/audiences/${audienceId}/members?limit=20` },
        ]
      : []),
    { page: 'journeys', method: 'GET', path: '/journeys?limit=25' },
    { page: 'journeys', method: 'GET', path: '/broadcasts?limit=25' },
    { page: 'content', method: 'GET', path: '/content/houses?limit=50' },
    { page: 'content', method: 'GET', path: '/content/channels' },
    { page: 'campaigns', method: 'GET', path: '/campaigns?limit=25' },
    { page: 'campaigns', method: 'GET', path: `/campaigns/${campaignId}` },
    { page: 'campaigns', method: 'GET', path: `/campaigns/${campaignId}/schedule` },
    { page: 'campaigns', method: 'GET', path: `/campaigns/${campaignId}/kpis` },
    { page: 'campaigns', method: 'GET', path: `/campaigns/${campaignId}/kpis`, note: 'after an event', before: newEvent },
    { page: 'campaigns', method: 'GET', path: `/campaigns/${campaignId}/kpis`, note: 'after a merge', before: newMerge },
    { page: 'campaigns', method: 'GET', path: `/campaigns/${campaignId}/alerts` },
    { page: 'campaigns', method: 'GET', path: `/campaigns/${campaignId}/review`, runs: 10 },
    { page: 'analytics', method: 'POST', path: '/measurement/attribution', body: { from: day(29), to: day(0), models: ['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based', 'markov', 'shapley'], topPaths: 30 }, runs: 10 },
    { page: 'analytics', method: 'GET', path: `/measurement/roi?from=${day(29)}&to=${day(0)}&model=markov`, runs: 10 },
    { page: 'analytics', method: 'POST', path: '/measurement/funnels/report', body: { funnel: { steps: [{ event: 'Product Viewed' }, { event: 'Product Added' }, { event: '$order' }] }, from: day(29), to: day(-1) }, runs: 10 },
    { page: 'analytics', method: 'POST', path: '/measurement/retention', body: { period: 'day', periods: 14, from: day(29), to: day(-1) }, runs: 10 },
    { page: 'settings', method: 'GET', path: '/sources' },
    { page: 'settings', method: 'GET', path: '/identity/rules' },
    { page: 'settings', method: 'GET', path: '/users?limit=25' },
    { page: 'settings', method: 'GET', path: '/channels/providers' },
    { page: 'settings', method: 'GET', path: '/measurement/channel-rules' },
    { page: 'settings', method: 'GET', path: '/measurement/conversions' },
  ]

  const rows: string[] = []
  const missing: string[] = []
  for (const endpoint of endpoints) {
    const label = `${endpoint.method} ${endpoint.path.split('?')[0]!.replace(/\b(prf|aud|cmp)_[0-9a-z]+/g, ':id')}${endpoint.note ? ` (${endpoint.note})` : ''}`
    await endpoint.before?.()
    const first = await call(endpoint.method, endpoint.path, endpoint.body)
    const text = await first.text()
    if (first.status === 404 && text.includes('No route')) {
      missing.push(label)
      continue
    }
    if (!first.ok) throw new Error(`${label} answered ${first.status}: ${text.slice(0, 300)}`)
    await endpoint.before?.()
    await (await call(endpoint.method, endpoint.path, endpoint.body)).arrayBuffer()
    const times: number[] = []
    for (let i = 0; i < (endpoint.runs ?? RUNS); i++) {
      await endpoint.before?.()
      const started = performance.now()
      const res = await call(endpoint.method, endpoint.path, endpoint.body)
      await res.arrayBuffer()
      times.push(performance.now() - started)
    }
    times.sort((a, b) => a - b)
    const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!
    const p95 = at(0.95)
    rows.push(`${endpoint.page.padEnd(13)} ${label.padEnd(46)} ${at(0.5).toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)}  ${p95 <= AIM_MS ? '' : `over ${AIM_MS} ms`}`)
  }
  console.log(`\n${'page'.padEnd(13)} ${'endpoint'.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`)
  for (const row of rows) console.log(row)
  if (missing.length > 0) console.log(`\nNot in this installation: ${missing.join(', ')}`)
} finally {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
}
