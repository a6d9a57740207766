import { randomBytes, randomFillSync, randomUUID } from 'node:crypto'

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz'

/**
 * Time-ordered identifiers (`prf_01hx…`): a 48-bit millisecond timestamp then 80 random bits,
 * Crockford base32, like ULID. Sorting ids sorts by creation time, which keeps B-tree inserts
 * at the right edge of the index.
 *
 * @example newId('prf') // 'prf_01jd4k7w2m9q8r7s6t5v4w3x2y'
 */
export function newId(prefix: string, at: number = Date.now()): string {
  let time = ''
  let t = at
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time
    t = Math.floor(t / 32)
  }
  const bytes = randomPool(10)
  let rand = ''
  // 80 bits -> 16 base32 characters, 5 bits at a time.
  let acc = 0
  let bits = 0
  for (const byte of bytes) {
    acc = (acc << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      rand += CROCKFORD[(acc >> bits) & 31]
    }
    acc &= (1 << bits) - 1
  }
  return `${prefix}_${time}${rand}`
}

// One syscall fills many ids' worth of randomness: ingest mints thousands of ids a second.
const pool = Buffer.alloc(4096)
let poolOffset = pool.length

function randomPool(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const out = pool.subarray(poolOffset, poolOffset + size)
  poolOffset += size
  return out
}

/** A random secret suitable for write keys and tokens (URL-safe, 32 bytes of entropy). */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`
}

export function newMessageId(): string {
  return randomUUID()
}
