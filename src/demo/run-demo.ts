import { mkdir, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { generateDemo, type DemoOutcome, type WireBatch } from './generator.ts'
import { shanghaiDateKey } from './calendar.ts'
import { resolveDemoOptions, type DemoOptions } from './options.ts'
import { DEFAULT_RETRY, deliver, type FetchLike, type RetryPolicy } from './sender.ts'
import { spendCsv } from './spend.ts'
import { toHttpRequest, type WireTarget } from './wire.ts'

export interface RunDemoOptions extends DemoOptions {
  /** Where Chorus listens, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string
  /** A source write key of the workspace to fill (used by both APIs). */
  writeKey: string
  /** Directory for `truth.json` and `spend.csv`; created when missing. */
  outDir: string
  /** Requests in flight at once (default 4). */
  concurrency?: number
  /** Sensors `project=`; the workspace name (default `default`). */
  sensorsProject?: string
  /** Send Sensors uploads gzip-compressed (default true, like the mini-program gzip plugin). */
  sensorsGzip?: boolean
  retry?: Partial<RetryPolicy>
  onProgress?: (progress: DemoProgress) => void
  signal?: AbortSignal
  /** HTTP client; defaults to the global fetch. */
  fetch?: FetchLike
}

export interface DemoProgress {
  /** Simulated day of the last delivered batch, 1-based. */
  day: number
  days: number
  events: { segment: number; sensors: number }
  requests: number
}

export interface DemoReport {
  people: number
  days: number
  seed: number | string
  /** First and last simulated day, Asia/Shanghai. */
  start: string
  end: string
  /** Events delivered, by API. */
  events: { segment: number; sensors: number; total: number }
  requests: { segment: number; sensors: number; retries: number }
  /** What the server said it did not keep (Segment answers name them). */
  server: { rejected: number; duplicates: number; rejectionSamples: string[] }
  orders: number
  revenueMinor: number
  spendMinor: number
  currency: 'CNY'
  files: { truth: string; spend: string }
  durationMs: number
}

/**
 * Simulates the demo brand and sends its traffic to a running Chorus through the public tracking
 * APIs — Segment `/v1/batch` for the site, servers and order exports, Sensors `/sa` for the WeChat
 * mini program — then writes the ground truth (`truth.json`) and the ad platforms' spend export
 * (`spend.csv`) into `outDir`. Batches are generated while earlier ones are in flight, so memory
 * stays bounded whatever the period. Throws a `DemoDeliveryError` when the server refuses a batch
 * or stays unreachable; files are written only after every batch was delivered.
 *
 * @example
 * const report = await runDemo({ baseUrl: 'http://127.0.0.1:8080', writeKey, people: 20_000, days: 90, seed: 42, outDir: '.chorus/demo' })
 * report.events.total // ≈ 280,000
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoReport> {
  const started = Date.now()
  checkTarget(options)
  const concurrency = options.concurrency ?? 4
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer (got ${concurrency})`)
  const target: WireTarget = {
    baseUrl: options.baseUrl,
    writeKey: options.writeKey,
    sensorsProject: options.sensorsProject ?? 'default',
    sensorsGzip: options.sensorsGzip ?? true,
  }
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry }
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init))

  // Resolve once, so a run that starts just before midnight keeps the start it began with.
  const resolved = resolveDemoOptions(options)
  const days = resolved.days
  const generator = generateDemo({
    people: resolved.people,
    days,
    seed: resolved.seed,
    start: shanghaiDateKey(resolved.startMs),
    without: resolved.without,
    segmentBatchSize: resolved.segmentBatchSize,
    sensorsBatchSize: resolved.sensorsBatchSize,
  })
  const counters = { segment: 0, sensors: 0, segmentRequests: 0, sensorsRequests: 0, retries: 0, rejected: 0, duplicates: 0 }
  const samples: string[] = []
  const inFlight = new Set<Promise<void>>()
  let failure: unknown = null

  const send = async (batch: WireBatch): Promise<void> => {
    const delivery = await deliver(() => toHttpRequest(batch, target, Date.now()), { fetch: fetchImpl, retry, signal: options.signal })
    counters.retries += delivery.attempts - 1
    if (batch.api === 'segment') {
      counters.segmentRequests++
      counters.segment += batch.body.batch.length
      const answer = delivery.answer as { rejected?: { reason?: string }[]; duplicates?: number } | null
      if (answer && Array.isArray(answer.rejected)) {
        counters.rejected += answer.rejected.length
        for (const r of answer.rejected) if (samples.length < 10 && typeof r.reason === 'string') samples.push(r.reason)
      }
      if (answer && typeof answer.duplicates === 'number') counters.duplicates += answer.duplicates
    } else {
      counters.sensorsRequests++
      counters.sensors += batch.body.length
    }
    options.onProgress?.({
      day: batch.day + 1,
      days,
      events: { segment: counters.segment, sensors: counters.sensors },
      requests: counters.segmentRequests + counters.sensorsRequests,
    })
  }

  let step = generator.next()
  while (!step.done && failure === null) {
    const pending: Promise<void> = send(step.value)
      .catch((error: unknown) => {
        failure ??= error
      })
      .finally(() => inFlight.delete(pending))
    inFlight.add(pending)
    if (inFlight.size >= concurrency) await Promise.race(inFlight)
    if (failure === null) step = generator.next()
  }
  await Promise.all(inFlight)
  if (failure !== null) throw failure
  const outcome = step.value as DemoOutcome
  const files = await writeOutputs(options.outDir, outcome)
  return {
    people: outcome.options.people,
    days: outcome.options.days,
    seed: outcome.options.seed,
    start: outcome.truth.start,
    end: outcome.truth.end,
    events: { segment: counters.segment, sensors: counters.sensors, total: counters.segment + counters.sensors },
    requests: { segment: counters.segmentRequests, sensors: counters.sensorsRequests, retries: counters.retries },
    server: { rejected: counters.rejected, duplicates: counters.duplicates, rejectionSamples: samples },
    orders: outcome.emitted.orders,
    revenueMinor: outcome.emitted.revenueMinor,
    spendMinor: outcome.spend.reduce((sum, row) => sum + row.costMinor, 0),
    currency: 'CNY',
    files,
    durationMs: Date.now() - started,
  }
}

/**
 * Writes `truth.json` and `spend.csv`; returns their absolute paths.
 *
 * @example await writeOutputs('.chorus/demo', simulateDemo({ seed: 42 })) // { truth: '/…/truth.json', spend: '/…/spend.csv' }
 */
export async function writeOutputs(outDir: string, outcome: Pick<DemoOutcome, 'truth' | 'spend'>): Promise<{ truth: string; spend: string }> {
  const dir = resolve(outDir)
  await mkdir(dir, { recursive: true })
  const truth = resolve(dir, 'truth.json')
  const spend = resolve(dir, 'spend.csv')
  await writeFile(truth, `${JSON.stringify(outcome.truth, null, 2)}\n`)
  await writeFile(spend, spendCsv(outcome.spend))
  return { truth, spend }
}

function checkTarget(options: RunDemoOptions): void {
  let protocol = ''
  try {
    protocol = new URL(options.baseUrl).protocol
  } catch {
    // reported below
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new Error(`baseUrl must be an absolute http(s) URL such as http://127.0.0.1:8080 (got "${options.baseUrl}")`)
  }
  if (typeof options.writeKey !== 'string' || options.writeKey.trim() === '') throw new Error('writeKey is required: create a source in the workspace and pass its write key')
  if (typeof options.outDir !== 'string' || options.outDir.trim() === '') throw new Error('outDir is required: the directory where truth.json and spend.csv are written')
}
