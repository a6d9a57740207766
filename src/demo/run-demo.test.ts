import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemo, type DemoOutcome, type WireBatch } from './generator.ts'
import { runDemo, type DemoProgress } from './run-demo.ts'
import { DemoDeliveryError } from './sender.ts'
import type { SensorsRecord } from './sensors-records.ts'
import { DemoTruth } from './truth.ts'
import { decodeSensorsBody } from './wire.ts'

const WRITE_KEY = 'wk_demo_test'
const OPTIONS = { people: 200, days: 7, seed: 3, start: '2025-05-01', segmentBatchSize: 100 }

/**
 * A stand-in for Chorus's tracking endpoints: decodes what arrives, keeps it, and misbehaves on
 * purpose — the first Segment batch gets 429 + Retry-After, the first Sensors upload a 503 — so the
 * retries are exercised. The second accepted Segment batch is answered with one rejection.
 */
class StandIn {
  readonly segmentAttempts: { auth: string | undefined; sentAt: unknown; ids: string[] }[] = []
  readonly segmentIds: string[] = []
  readonly sensorsKeys: string[] = []
  readonly sensorsRecords: SensorsRecord[] = []
  readonly sensorsQueries: URLSearchParams[] = []
  refuseAll = false
  #segmentAccepted = 0
  #rateLimited = false
  #failedSensors = false
  server: Server = createServer((req, res) => void this.#handle(req, res))

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (this.refuseAll) return this.#answer(res, 401, { message: 'No source has this write key' })
    if (req.method === 'POST' && url.pathname === '/v1/batch') {
      const parsed = JSON.parse(body) as { batch: { messageId: string }[]; sentAt: unknown }
      const ids = parsed.batch.map((m) => m.messageId)
      this.segmentAttempts.push({ auth: req.headers.authorization, sentAt: parsed.sentAt, ids })
      if (!this.#rateLimited) {
        this.#rateLimited = true
        res.setHeader('Retry-After', '0')
        return this.#answer(res, 429, { message: 'busy' })
      }
      this.segmentIds.push(...ids)
      this.#segmentAccepted++
      return this.#answer(res, 200, this.#segmentAccepted === 2 ? { success: true, rejected: [{ index: 0, reason: 'kept for the test' }] } : { success: true })
    }
    if (req.method === 'POST' && url.pathname === '/sa') {
      if (!this.#failedSensors) {
        this.#failedSensors = true
        return this.#answer(res, 503, { message: 'try again' })
      }
      this.sensorsQueries.push(url.searchParams)
      for (const r of decodeSensorsBody(body)) {
        this.sensorsRecords.push(r)
        this.sensorsKeys.push(sensorsKey(r))
      }
      return this.#answer(res, 200, {})
    }
    return this.#answer(res, 404, { message: 'not found' })
  }

  #answer(res: ServerResponse, status: number, body: unknown): void {
    res.statusCode = status
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(body))
  }
}

/** What identifies a Sensors record (the SDK has no message id; the server hashes these). */
function sensorsKey(r: SensorsRecord): string {
  return [r.type, r.event ?? '', r.distinct_id, r.time, r._track_id ?? ''].join('|')
}

function generate(): { batches: WireBatch[]; outcome: DemoOutcome } {
  const batches: WireBatch[] = []
  const generator = generateDemo(OPTIONS)
  let step = generator.next()
  while (!step.done) {
    batches.push(step.value)
    step = generator.next()
  }
  return { batches, outcome: step.value }
}

describe('runDemo against a local HTTP server', () => {
  const standIn = new StandIn()
  let baseUrl = ''
  let outDir = ''

  beforeAll(async () => {
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`
    outDir = await mkdtemp(join(tmpdir(), 'chorus-demo-'))
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => standIn.server.close(() => resolve()))
    await rm(outDir, { recursive: true, force: true })
  })

  it('delivers exactly the generated events once each, retrying 429 and 503, and writes the truth and spend files', async () => {
    const progress: DemoProgress[] = []
    const report = await runDemo({ ...OPTIONS, baseUrl, writeKey: WRITE_KEY, outDir, concurrency: 3, retry: { baseDelayMs: 5 }, onProgress: (p) => progress.push(p) })
    const expected = generate()

    const expectedIds = expected.batches.flatMap((b) => (b.api === 'segment' ? b.body.batch.map((m) => m.messageId) : []))
    expect(standIn.segmentIds.length).toBe(expectedIds.length)
    expect(new Set(standIn.segmentIds).size).toBe(standIn.segmentIds.length)
    expect(new Set(standIn.segmentIds)).toEqual(new Set(expectedIds))

    const expectedKeys = expected.batches.flatMap((b) => (b.api === 'sensors' ? b.body.map(sensorsKey) : []))
    expect(standIn.sensorsKeys.length).toBe(expectedKeys.length)
    expect(new Set(standIn.sensorsKeys).size).toBe(standIn.sensorsKeys.length)
    expect([...standIn.sensorsKeys].sort()).toEqual([...expectedKeys].sort())
    for (const r of standIn.sensorsRecords) expect(typeof r._flush_time).toBe('number')
    for (const q of standIn.sensorsQueries) {
      expect(q.get('token')).toBe(WRITE_KEY)
      expect(q.get('project')).toBe('default')
    }

    // The refused first attempt and its retry carried the same message ids: a server that had
    // stored the first one would have dropped the copy.
    const [refused, ...later] = standIn.segmentAttempts
    expect(later.filter((attempt) => attempt.ids[0] === refused!.ids[0]).map((attempt) => attempt.ids)).toEqual([refused!.ids])
    for (const attempt of standIn.segmentAttempts) {
      expect(attempt.auth).toBe(`Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`)
      expect(typeof attempt.sentAt === 'string' && !Number.isNaN(Date.parse(attempt.sentAt))).toBe(true)
    }

    expect(report.events).toEqual({ segment: expectedIds.length, sensors: expectedKeys.length, total: expectedIds.length + expectedKeys.length })
    expect(report.requests.retries).toBe(2)
    expect(report.server.rejected).toBe(1)
    expect(report.server.rejectionSamples).toEqual(['kept for the test'])
    expect(report.orders).toBe(expected.outcome.truth.actual.orders)
    expect(report.revenueMinor).toBe(expected.outcome.truth.actual.revenueMinor)
    expect(report.spendMinor).toBe(expected.outcome.spend.reduce((a, r) => a + r.costMinor, 0))
    expect(report).toMatchObject({ people: 200, days: 7, seed: 3, start: '2025-05-01', end: '2025-05-07', currency: 'CNY' })

    const truth = DemoTruth.parse(JSON.parse(await readFile(report.files.truth, 'utf8')))
    expect(truth).toEqual(expected.outcome.truth)
    const csv = await readFile(report.files.spend, 'utf8')
    expect(csv.trimEnd().split('\r\n').length).toBe(expected.outcome.spend.length + 1)

    expect(progress.length).toBe(report.requests.segment + report.requests.sensors)
    expect(progress.at(-1)!.events).toEqual({ segment: expectedIds.length, sensors: expectedKeys.length })
    expect(progress.at(-1)!.days).toBe(7)
    expect(Math.max(...progress.map((p) => p.day))).toBe(7)
  })

  it('stops with an error that names the write key when the server refuses it, writing no files', async () => {
    standIn.refuseAll = true
    const dir = join(outDir, 'refused')
    const run = runDemo({ ...OPTIONS, baseUrl, writeKey: 'wrong', outDir: dir, retry: { baseDelayMs: 5 } })
    await expect(run).rejects.toBeInstanceOf(DemoDeliveryError)
    await expect(run).rejects.toThrow(/401.*write key/)
    await expect(stat(dir)).rejects.toThrow()
    standIn.refuseAll = false
  })

  it('explains a base URL nobody listens on', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const run = runDemo({ ...OPTIONS, baseUrl: `http://127.0.0.1:${port}`, writeKey: WRITE_KEY, outDir, retry: { baseDelayMs: 1, maxAttempts: 2 } })
    await expect(run).rejects.toThrow(/Could not reach .* is Chorus running/)
  })

  it('refuses bad targets before generating anything', async () => {
    await expect(runDemo({ ...OPTIONS, baseUrl: 'localhost:8080', writeKey: WRITE_KEY, outDir })).rejects.toThrow(/absolute http/)
    await expect(runDemo({ ...OPTIONS, baseUrl, writeKey: ' ', outDir })).rejects.toThrow(/writeKey is required/)
    await expect(runDemo({ ...OPTIONS, baseUrl, writeKey: WRITE_KEY, outDir, concurrency: 0 })).rejects.toThrow(/concurrency/)
  })
})
