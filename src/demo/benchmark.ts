/**
 * How fast the demo brand is generated, without a server: the payload-free simulation (truth and
 * spend only) and the full generator (every wire batch built and sized). Prints medians.
 *
 *   node bin/run-ts.js src/demo/benchmark.ts [people=20000] [days=90] [runs=3]
 */
import { generateDemo, simulateDemo } from './generator.ts'

const people = Number(process.argv[2] ?? 20_000)
const days = Number(process.argv[3] ?? 90)
const runs = Number(process.argv[4] ?? 3)
const options = { people, days, seed: 42, start: '2025-03-01' }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const simulate: number[] = []
const generate: number[] = []
let events = 0
let batches = 0
for (let run = 0; run < runs; run++) {
  let started = performance.now()
  simulateDemo(options)
  simulate.push(performance.now() - started)
  started = performance.now()
  events = 0
  batches = 0
  const generator = generateDemo(options)
  for (let step = generator.next(); !step.done; step = generator.next()) {
    batches++
    events += step.value.api === 'segment' ? step.value.body.batch.length : step.value.body.length
  }
  generate.push(performance.now() - started)
}
const personDays = people * days
console.log(`demo brand: ${people} people × ${days} days, ${runs} runs`)
console.log(`  simulate (truth + spend):  median ${Math.round(median(simulate))} ms  (${(median(simulate) * 1000 / personDays).toFixed(2)} µs per person-day, 9 worlds)`)
console.log(`  generate (all payloads):   median ${Math.round(median(generate))} ms  (${events} events in ${batches} batches, ${Math.round(events / (median(generate) / 1000))} events/s)`)
console.log(`  rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`)
