import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { AudienceDialect, Sql } from './sql-dialect.ts'

/** 10,000 buckets: a percentage with two decimals picks a whole number of them. */
export const BUCKETS = 10_000

/** Characters of the profile id that are hashed (profile ids have 30). */
export const HASHED_CHARACTERS = 40

// The Mersenne prime 2^31 − 1: products of two residues stay below 2^62, inside the 64-bit
// integers both SQLite and PostgreSQL compute with.
const PRIME = 2_147_483_647n

interface SeedKeys {
  start: bigint
  multiplier: bigint
  scale: bigint
  shift: bigint
}

/**
 * Keys drawn from the seed's SHA-256. The id is hashed as a polynomial evaluated at a
 * seed-chosen point modulo a prime — the Carter–Wegman universal family (Carter & Wegman,
 * "Universal classes of hash functions", 1979) — so two seeds split people close to
 * independently, which is what stacked holdouts need. A seed only shifting one hash would make
 * every seed's 10% the same people.
 */
function seedKeys(seed: string): SeedKeys {
  const digest = createHash('sha256').update(seed, 'utf8').digest()
  const word = (i: number) => BigInt(digest.readUInt32BE(i * 4)) % PRIME
  const atLeastTwo = (v: bigint) => (v < 2n ? v + 2n : v)
  return { start: word(0), multiplier: atLeastTwo(word(1)), scale: atLeastTwo(word(2)), shift: word(3) }
}

/**
 * The bucket (0–9,999) of a profile for a seed: the same in JavaScript and in the SQL both
 * dialects run, so a holdout computed in the database can be checked (or used) in code.
 *
 * @example randomBucket('prf_01jd4k7w2m9q8r7s6t5v4w3x2y', 'spring-holdout') // e.g. 4821
 */
export function randomBucket(profileId: string, seed: string): number {
  const keys = seedKeys(seed)
  const chars = Array.from(profileId)
  let h = keys.start
  for (let k = 0; k < HASHED_CHARACTERS; k++) {
    const code = k < chars.length ? BigInt(chars[k]!.codePointAt(0)!) : 0n
    h = (h * keys.multiplier + code) % PRIME
  }
  return Number(((h * keys.scale + keys.shift) % PRIME) % BigInt(BUCKETS))
}

/** The same bucket as SQL over a profile id column. Constants are integers derived here, never input. */
export function randomBucketSql(dialect: AudienceDialect, id: Sql, seed: string): Sql {
  const keys = seedKeys(seed)
  const lit = (v: bigint) => sql.lit(Number(v))
  let h: Sql = sql`cast(${lit(keys.start)} as bigint)`
  for (let k = 1; k <= HASHED_CHARACTERS; k++) h = sql`((${h}) * ${lit(keys.multiplier)} + ${dialect.charCode(id, k)}) % ${lit(PRIME)}`
  return sql`((((${h}) * ${lit(keys.scale)} + ${lit(keys.shift)}) % ${lit(PRIME)}) % ${sql.lit(BUCKETS)})`
}
