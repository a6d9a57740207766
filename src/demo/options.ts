import { z } from 'zod'
import { DAY_MS, parseShanghaiDate, shanghaiDateKey, shanghaiMidnightOf } from './calendar.ts'
import { CAUSAL_CHANNELS, type CausalChannel } from './channels.ts'
import { seedFromValue } from './prng.ts'

/** What shapes the simulated world. Everything has a default except what a caller must choose. */
export const DemoOptions = z.object({
  /** Simulated people. Memory grows linearly, a few KB per person (nine worlds of state). */
  people: z.number().int().min(1).max(200_000).default(20_000),
  days: z.number().int().min(1).max(730).default(90),
  /** Same seed, same world, byte for byte. Integers and strings both work. */
  seed: z.union([z.number().int().refine(Number.isSafeInteger, 'must be a safe integer'), z.string().min(1)]).default(42),
  /**
   * First simulated day, `YYYY-MM-DD` (midnight Asia/Shanghai) or a Date (its Shanghai date).
   * Default: `days` days before today in Shanghai, so the period ends today. Fix it for tests.
   */
  start: z.union([z.string(), z.date()]).optional(),
  /** The clock used for the default start (epoch ms). */
  now: z.number().optional(),
  /**
   * Channels switched off for the whole period — a "what if we had not run it" world on the same
   * random numbers as the full one.
   */
  without: z.array(z.enum(CAUSAL_CHANNELS)).default([]),
  /** Calls per Segment batch (also capped at ~450 KB, under the API's 500 KB limit). */
  segmentBatchSize: z.number().int().min(1).max(2_500).default(500),
  /** Records per Sensors upload (the mini-program SDK sends at most 100). */
  sensorsBatchSize: z.number().int().min(1).max(1_000).default(100),
})
export type DemoOptions = z.input<typeof DemoOptions>

export interface ResolvedDemoOptions {
  people: number
  days: number
  /** The seed as given. */
  seed: number | string
  /** The 32-bit seed every stream is keyed by. */
  seedValue: number
  /** Midnight Asia/Shanghai of the first day, epoch ms. */
  startMs: number
  without: CausalChannel[]
  segmentBatchSize: number
  sensorsBatchSize: number
}

/**
 * Validates options and fills defaults; throws an Error whose message names each bad option.
 *
 * @example resolveDemoOptions({ people: 200, days: 7, seed: 1, start: '2025-03-01' }).startMs // 1740758400000
 */
export function resolveDemoOptions(input: DemoOptions = {}): ResolvedDemoOptions {
  const parsed = DemoOptions.safeParse(input)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`)
    throw new Error(`Invalid demo options — ${problems.join('; ')}`)
  }
  const options = parsed.data
  let startMs: number
  if (options.start === undefined) {
    startMs = shanghaiMidnightOf(options.now ?? Date.now()) - options.days * DAY_MS
  } else if (typeof options.start === 'string') {
    startMs = parseShanghaiDate(options.start)
  } else {
    if (Number.isNaN(options.start.getTime())) throw new Error('Invalid demo options — start: the Date is invalid')
    startMs = parseShanghaiDate(shanghaiDateKey(options.start.getTime()))
  }
  return {
    people: options.people,
    days: options.days,
    seed: options.seed,
    seedValue: seedFromValue(options.seed),
    startMs,
    without: [...new Set(options.without)],
    segmentBatchSize: options.segmentBatchSize,
    sensorsBatchSize: options.sensorsBatchSize,
  }
}
