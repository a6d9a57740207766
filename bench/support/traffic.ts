import { createSeededRandom } from '../../src/measurement/mmm/seeded-random.ts'

/**
 * Realistic tracking traffic for load tests: a population where most calls come from returning
 * people and some from new ones, with the identifier mix a Chinese brand sees (anonymous web ids,
 * user ids after login, phones, emails, device ids), Segment-shaped with a full context.
 */
export class TrafficGenerator {
  #seq = 0
  readonly #random: () => number
  readonly #population: number
  readonly #runId: string

  constructor(options: { population: number; seed?: number; runId?: string }) {
    this.#population = options.population
    this.#random = createSeededRandom(options.seed ?? 1).next
    this.#runId = options.runId ?? Math.random().toString(36).slice(2, 8)
  }

  /**
   * A version-4-shaped UUID, as analytics.js and the other Segment libraries give every call: random
   * ids land anywhere in the dedupe index, which sequential ones would flatter. Unique per run.
   */
  #uuid(): string {
    const hex = (n: number) => Math.floor(this.#random() * 16 ** n).toString(16).padStart(n, '0')
    return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${this.#runId}${hex(6)}`
  }

  /** One call as a JSON string (pre-serialised so the generator stays cheap). */
  call(now: number): string {
    const n = this.#seq++
    // 80 % of calls come from 20 % of people, like real traffic.
    const r = this.#random()
    const person = r < 0.8 ? Math.floor(this.#random() * this.#population * 0.2) : Math.floor(this.#random() * this.#population)
    const known = person % 3 !== 0
    const kind = this.#random()
    const ids = known ? `"userId":"u${person}","anonymousId":"a${person}"` : `"anonymousId":"a${person}"`
    const context = `"context":{"library":{"name":"analytics.js","version":"5.2.0"},"ip":"10.${person % 250}.${n % 250}.7","userAgent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 MicroMessenger/8.0.47","locale":"zh-CN","page":{"path":"/products/p${n % 40}","url":"https://brand.example/products/p${n % 40}?utm_source=douyin","referrer":"https://www.douyin.com/"},"campaign":{"source":"douyin","medium":"cpc","name":"launch"},"device":{"id":"d${person}"}}`
    const ts = new Date(now - Math.floor(this.#random() * 5000)).toISOString()
    const id = `"messageId":"${this.#uuid()}","timestamp":"${ts}"`
    if (kind < 0.1) {
      return `{"type":"identify",${ids},${id},"traits":{"email":"p${person}@example.com","phone":"138${String(person).padStart(8, '0')}","name":"用户${person}","city":"上海"},${context}}`
    }
    if (kind < 0.4) {
      return `{"type":"page",${ids},${id},"name":"Product","properties":{"path":"/products/p${n % 40}","title":"活力元气水 ${n % 40}"},${context}}`
    }
    if (kind < 0.97) {
      return `{"type":"track",${ids},${id},"event":"Product Viewed","properties":{"product_id":"p${n % 40}","price":19.9,"category":"drinks"},${context}}`
    }
    return `{"type":"track",${ids},${id},"event":"Order Completed","properties":{"order_id":"o${this.#runId}${n}","total":59.7,"currency":"CNY","products":[{"product_id":"p1","quantity":3,"price":19.9}]},${context}}`
  }

  batch(size: number, now: number): string {
    const calls: string[] = []
    for (let i = 0; i < size; i++) calls.push(this.call(now))
    return `{"batch":[${calls.join(',')}],"sentAt":"${new Date(now).toISOString()}"}`
  }

  get generated(): number {
    return this.#seq
  }
}
