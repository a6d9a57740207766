/**
 * A table from non-negative integer keys (below 2^53) to non-negative int32 values. The Markov
 * graph looks up a state or an edge once per touch — millions of times — and a `Map` with number
 * keys costs several times more per lookup. Keys below `directLimit` live in a plain array
 * indexed by the key (grown as keys appear; states are numbered as discovered, so most keys are
 * small); larger keys go to a hash table with open addressing over typed arrays.
 *
 * @example
 * const table = new IntKeyTable()
 * table.set(2 ** 40 + 7, 3)
 * table.get(2 ** 40 + 7) // → 3
 * table.get(8) // → -1
 */
export class IntKeyTable {
  readonly #directLimit: number
  #direct: Int32Array = new Int32Array(0)
  #keys: Float64Array
  #values: Int32Array
  #shift: number
  #hashed = 0
  #size = 0

  constructor(options: { directLimit?: number } = {}) {
    this.#directLimit = options.directLimit ?? 1 << 21
    const bits = 4
    this.#keys = new Float64Array(1 << bits).fill(-1)
    this.#values = new Int32Array(1 << bits)
    this.#shift = 32 - bits
  }

  get size(): number {
    return this.#size
  }

  /** The value stored under `key`, or -1. */
  get(key: number): number {
    if (key < this.#directLimit) {
      const direct = this.#direct
      return key < direct.length ? direct[key]! : -1
    }
    const keys = this.#keys
    const mask = keys.length - 1
    let slot = this.#slotOf(key)
    for (;;) {
      const k = keys[slot]!
      if (k === key) return this.#values[slot]!
      if (k === -1) return -1
      slot = (slot + 1) & mask
    }
  }

  /** Stores `value` (≥ 0) under `key`, replacing what was there. */
  set(key: number, value: number): void {
    if (key < this.#directLimit) {
      if (key >= this.#direct.length) this.#growDirect(key)
      if (this.#direct[key] === -1) this.#size++
      this.#direct[key] = value
      return
    }
    if ((this.#hashed + 1) * 2 > this.#keys.length) this.#growHashed()
    const keys = this.#keys
    const mask = keys.length - 1
    let slot = this.#slotOf(key)
    for (;;) {
      const k = keys[slot]!
      if (k === key) break
      if (k === -1) {
        keys[slot] = key
        this.#hashed++
        this.#size++
        break
      }
      slot = (slot + 1) & mask
    }
    this.#values[slot] = value
  }

  /** Multiplicative (Fibonacci) hashing of both 32-bit halves; the top bits pick the slot. */
  #slotOf(key: number): number {
    const low = key >>> 0
    const high = (key / 4294967296) | 0
    return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> this.#shift
  }

  #growDirect(key: number): void {
    let length = Math.max(64, this.#direct.length * 2)
    while (length <= key) length *= 2
    const direct = new Int32Array(Math.min(length, this.#directLimit)).fill(-1)
    direct.set(this.#direct)
    this.#direct = direct
  }

  #growHashed(): void {
    const oldKeys = this.#keys
    const oldValues = this.#values
    this.#keys = new Float64Array(oldKeys.length * 2).fill(-1)
    this.#values = new Int32Array(oldKeys.length * 2)
    this.#shift--
    this.#hashed = 0
    this.#size -= this.#countHashed(oldKeys)
    for (let slot = 0; slot < oldKeys.length; slot++) {
      if (oldKeys[slot] !== -1) this.set(oldKeys[slot]!, oldValues[slot]!)
    }
  }

  #countHashed(keys: Float64Array): number {
    let n = 0
    for (let slot = 0; slot < keys.length; slot++) if (keys[slot] !== -1) n++
    return n
  }
}
