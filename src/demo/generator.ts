import { CAUSAL_CHANNELS } from './channels.ts'
import { DayWriter } from './day-writer.ts'
import { MediaPlan } from './media-plan.ts'
import { resolveDemoOptions, type DemoOptions, type ResolvedDemoOptions } from './options.ts'
import { createPopulation } from './population.ts'
import type { SegmentMessage } from './segment-calls.ts'
import type { SensorsRecord } from './sensors-records.ts'
import type { SpendRow } from './spend.ts'
import type { WireSink } from './trail.ts'
import { buildTruth, type DemoTruth } from './truth.ts'
import { World } from './world.ts'

/** One request's worth of payloads, before transport details (`sentAt`, `_flush_time`, encoding). */
export type WireBatch =
  | { api: 'segment'; day: number; body: { batch: SegmentMessage[] } }
  | { api: 'sensors'; day: number; body: SensorsRecord[] }

/** What a finished generation knows: the ground truth, the spend export, and what it emitted. */
export interface DemoOutcome {
  options: ResolvedDemoOptions
  truth: DemoTruth
  spend: SpendRow[]
  emitted: { segment: number; sensors: number; orders: number; revenueMinor: number }
}

/** Segment's batch limit is 500 KB; keep room for the envelope and `sentAt`. */
const SEGMENT_BATCH_BYTES = 450_000

/** Collects payloads into request-sized batches; counts orders as they go by. */
class BatchBuffer implements WireSink {
  readonly ready: WireBatch[] = []
  readonly emitted = { segment: 0, sensors: 0, orders: 0, revenueMinor: 0 }
  day = 0
  readonly #segmentSize: number
  readonly #sensorsSize: number
  #segment: SegmentMessage[] = []
  #segmentBytes = 0
  #sensors: SensorsRecord[] = []

  constructor(segmentSize: number, sensorsSize: number) {
    this.#segmentSize = segmentSize
    this.#sensorsSize = sensorsSize
  }

  segment(message: SegmentMessage): void {
    const bytes = Buffer.byteLength(JSON.stringify(message))
    if (this.#segment.length > 0 && this.#segmentBytes + bytes > SEGMENT_BATCH_BYTES) this.#flushSegment()
    this.#segment.push(message)
    this.#segmentBytes += bytes + 1
    this.emitted.segment++
    if (message.type === 'track' && message.event === 'Order Completed') {
      this.emitted.orders++
      this.emitted.revenueMinor += Math.round(Number(message.properties?.total) * 100)
    }
    if (this.#segment.length >= this.#segmentSize) this.#flushSegment()
  }

  sensors(record: SensorsRecord): void {
    this.#sensors.push(record)
    this.emitted.sensors++
    if (this.#sensors.length >= this.#sensorsSize) this.#flushSensors()
  }

  flushAll(): void {
    this.#flushSegment()
    this.#flushSensors()
  }

  #flushSegment(): void {
    if (this.#segment.length === 0) return
    this.ready.push({ api: 'segment', day: this.day, body: { batch: this.#segment } })
    this.#segment = []
    this.#segmentBytes = 0
  }

  #flushSensors(): void {
    if (this.#sensors.length === 0) return
    this.ready.push({ api: 'sensors', day: this.day, body: this.#sensors })
    this.#sensors = []
  }

  *take(): Generator<WireBatch> {
    while (this.ready.length > 0) yield this.ready.shift()!
  }
}

/**
 * The demo brand's traffic as wire batches, day by day and person by person: memory holds the
 * population, the counterfactual state and one batch, never the whole period. The generator's
 * return value carries the ground truth and the spend export.
 *
 * @example
 * const batches = generateDemo({ people: 200, days: 7, seed: 1, start: '2025-03-01' })
 * for (let step = batches.next(); !step.done; step = batches.next()) console.log(step.value.api)
 */
export function* generateDemo(input: DemoOptions = {}): Generator<WireBatch, DemoOutcome, void> {
  const options = resolveDemoOptions(input)
  const seed = options.seedValue
  const people = createPopulation(seed, options.people)
  const plan = new MediaPlan(seed, options.days, options.startMs)
  const world = new World(seed, people, plan, options.without.map((c) => CAUSAL_CHANNELS.indexOf(c)))
  const buffer = new BatchBuffer(options.segmentBatchSize, options.sensorsBatchSize)
  const writer = new DayWriter(seed, people, plan, buffer)
  for (let day = 0; day < options.days; day++) {
    buffer.day = day
    for (let i = 0; i < people.length; i++) {
      if (day === 0 && people[i]!.initialMember) writer.writeCrmImport(i)
      const outcome = world.step(i, day)
      writer.writeDay(i, day, outcome, world.isMember(i))
      if (buffer.ready.length > 0) yield* buffer.take()
    }
  }
  buffer.flushAll()
  yield* buffer.take()
  const spend = world.spend.rows()
  const truth = buildTruth({ seed: options.seed, people: options.people, without: options.without, plan, totals: world.totals(), spend })
  return { options, truth, spend, emitted: { ...buffer.emitted } }
}

/**
 * The same world without writing any payloads: the truth and the spend export only, for checks
 * and for planning tools. Gives exactly what `generateDemo` returns for the same options.
 *
 * @example simulateDemo({ people: 20_000, days: 90, seed: 42 }).truth.channels
 */
export function simulateDemo(input: DemoOptions = {}): { options: ResolvedDemoOptions; truth: DemoTruth; spend: SpendRow[] } {
  const options = resolveDemoOptions(input)
  const seed = options.seedValue
  const people = createPopulation(seed, options.people)
  const plan = new MediaPlan(seed, options.days, options.startMs)
  const world = new World(seed, people, plan, options.without.map((c) => CAUSAL_CHANNELS.indexOf(c)))
  for (let day = 0; day < options.days; day++) {
    for (let i = 0; i < people.length; i++) world.step(i, day)
  }
  const spend = world.spend.rows()
  return { options, truth: buildTruth({ seed: options.seed, people: options.people, without: options.without, plan, totals: world.totals(), spend }), spend }
}
