import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, ≈ 0.1 s on one core). Percival's scrypt paper
 * (2009, §7) suggests N = 2^14 for interactive logins; hardware has moved on, and the cost is
 * stored in each hash, so it can be raised later without invalidating existing passwords.
 */
export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32
const SALT_BYTES = 16

/**
 * Passwords are checked by length only: NIST SP 800-63B §5.1.1.2 asks for at least 8 characters,
 * at least 64 accepted, and no composition rules (they push people to predictable patterns).
 */
export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 256

/** Why a password cannot be used, in words for the person choosing it; null when it is fine. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH) return `The password needs at least ${PASSWORD_MIN_LENGTH} characters (it has ${length})`
  if (length > PASSWORD_MAX_LENGTH) return `The password may have at most ${PASSWORD_MAX_LENGTH} characters`
  return null
}

/**
 * Hashes a password with a fresh random salt. The result is self-describing:
 * `scrypt$<N>$<r>$<p>$<salt base64>$<key base64>`.
 *
 * @example
 * const stored = await hashPassword('correct horse battery')
 * await verifyPassword('correct horse battery', stored) // true
 */
export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, cost)
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$')
}

/**
 * Checks a password against a stored hash in constant time. A malformed stored hash is a
 * programmer error and throws; a wrong password returns false.
 *
 * @example await verifyPassword('wrong', stored) // false
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw new Error('stored password hash is not in the scrypt$N$r$p$salt$key format')
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  const salt = Buffer.from(parts[4]!, 'base64')
  const expected = Buffer.from(parts[5]!, 'base64')
  const actual = await derive(password, salt, { N, r, p }, expected.length)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * A hash of a random password, computed once: checking a password against it when the user name
 * is unknown makes a failed sign-in take as long whether or not the name exists.
 */
let decoy: Promise<string> | null = null
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'))
  return decoy
}

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }, length = KEY_LENGTH): Promise<Buffer> {
  // maxmem must exceed 128·N·r bytes, or Node refuses the parameters.
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r }
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))))
}
