/**
 * The demo brand: 和声优品 launching 活力元气水 (idea: 活力健康), simulated with a seeded causal
 * model and written through Chorus's public tracking APIs exactly as the SDKs would, together
 * with the ground truth (`truth.json`) and the ad platforms' spend export (`spend.csv`).
 * See docs/demo-brand.md for the world model and how the truth is computed.
 */
export { runDemo, writeOutputs, type RunDemoOptions, type DemoReport, type DemoProgress } from './run-demo.ts'
export { generateDemo, simulateDemo, type WireBatch, type DemoOutcome } from './generator.ts'
export { DemoOptions, resolveDemoOptions, type ResolvedDemoOptions } from './options.ts'
export { DemoTruth } from './truth.ts'
export { SpendRow, spendCsv } from './spend.ts'
export { toHttpRequest, decodeSensorsBody, type HttpRequest, type WireTarget } from './wire.ts'
export { deliver, DemoDeliveryError, DEFAULT_RETRY, type RetryPolicy, type FetchLike } from './sender.ts'
export type { SegmentMessage } from './segment-calls.ts'
export type { SensorsRecord } from './sensors-records.ts'
export { BRAND, PRODUCTS, VENUES } from './brand.ts'
export { CAUSAL_CHANNELS, CHANNEL_EFFECTS, type CausalChannel } from './channels.ts'
export { Rng, seedFromValue } from './prng.ts'
