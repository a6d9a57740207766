/**
 * Time is injected wherever it matters (delays, dedupe windows, caps) so tests move it without
 * sleeping. Times are epoch milliseconds in UTC.
 */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  #now: number
  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.#now = typeof start === 'number' ? start : start.getTime()
  }
  now(): number {
    return this.#now
  }
  advance(ms: number): void {
    this.#now += ms
  }
  set(at: number | Date): void {
    this.#now = typeof at === 'number' ? at : at.getTime()
  }
}
