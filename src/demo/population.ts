import { STORES } from './brand.ts'
import { CHANNEL_COUNT } from './channels.ts'
import { CITIES, GIVEN_NAME_PARTS, HANDSETS, MOBILE_PREFIXES, PERSONAS, SURNAMES, type Handset } from './personas.ts'
import { Purpose, Rng } from './prng.ts'

/** One simulated person: who they are, and the latent traits the causal model reads. */
export interface Person {
  index: number
  /** Member id, used on every source once the person has joined the membership. */
  userId: string
  name: string
  /** Eleven digits, no separators; sources write it in their own formats. */
  phone: string
  /** Lower-case canonical address, or null for people who never give one. */
  email: string | null
  city: string
  timeZone: string
  /** Index into `STORES` of the nearest store, or -1 where the brand has none. */
  storeIndex: number
  persona: number
  /** Index into `CAUSAL_CHANNELS`. */
  preferredChannel: number
  /** Latent propensity to buy (mean 1), never written to any payload. */
  propensity: number
  /** Daily purchase hazard without marketing. */
  baseHazard: number
  /** Reach multiplier per causal channel (persona habit × preferred channel). */
  affinity: Float64Array
  initialMember: boolean
  followsOfficialAccount: boolean
  initialSmsOptIn: boolean
  initialEmailOptIn: boolean
  age: number
  handset: Handset
  hasDesktop: boolean
}

const EMAIL_DOMAINS = ['example.com', 'example.cn', 'example.net', 'example.org']
const PREFERRED_BOOST = 1.8
const MEMBER_LOYALTY = 1.5

/**
 * Creates person `index` from its own keyed stream, so person 17 is the same whatever the
 * population size.
 *
 * @example const p = createPerson(seedFromValue(42), 17); p.userId // 'HS1…'
 */
export function createPerson(seed: number, index: number, rng: Rng = new Rng(seed, Purpose.person, index, 0)): Person {
  rng.reseed(seed, Purpose.person, index, 0)
  const personaIndex = rng.weighted(PERSONAS.map((p) => p.share))
  const persona = PERSONAS[personaIndex]!
  const city = CITIES[rng.weighted(CITIES.map((c) => c.weight))]!
  const [surname, surnamePinyin] = pickSurname(rng)
  const givenCount = rng.chance(0.7) ? 2 : 1
  let given = ''
  let givenPinyin = ''
  for (let i = 0; i < givenCount; i++) {
    const [hanzi, pinyin] = rng.pick(GIVEN_NAME_PARTS)
    given += hanzi
    givenPinyin += pinyin
  }
  const hasEmail = rng.chance(persona.emailRate)
  const emailLocal = rng.chance(0.5) ? `${givenPinyin}.${surnamePinyin}` : `${surnamePinyin}${givenPinyin}`
  const email = hasEmail ? `${emailLocal}${rng.between(1, 9999)}@${rng.pick(EMAIL_DOMAINS)}` : null
  // A multiplicative bijection keeps phones and member ids unique across the population.
  const seedOffset = seed % 90_000_000
  const phoneTail = String((index * 48_271 + seedOffset * 7) % 100_000_000).padStart(8, '0')
  const phone = `${MOBILE_PREFIXES[(index + seedOffset) % MOBILE_PREFIXES.length]}${phoneTail}`
  const userId = `HS${10_000_000 + ((index * 7_919 + seedOffset) % 90_000_000)}`

  const preferredChannel = rng.weighted(persona.preferred)
  const affinity = new Float64Array(CHANNEL_COUNT)
  for (let c = 0; c < CHANNEL_COUNT; c++) {
    affinity[c] = (persona.affinity[c] ?? 1) * (c === preferredChannel ? PREFERRED_BOOST : 1)
  }
  // Log-normal with mean 1: most people are lukewarm, a few are keen.
  const sigma = 0.8
  const propensity = Math.exp(sigma * rng.normal() - (sigma * sigma) / 2)
  const initialMember = rng.chance(persona.memberRate)
  const followsOfficialAccount = rng.chance(initialMember ? persona.followRate * 1.3 : persona.followRate * 0.3)
  const initialSmsOptIn = initialMember && rng.chance(0.7)
  const initialEmailOptIn = initialMember && email !== null && rng.chance(0.45)
  const stores = STORES.map((s, i) => (s.city === city.name ? i : -1)).filter((i) => i >= 0)
  const storeIndex = stores.length > 0 ? rng.pick(stores) : -1
  const iOS = rng.chance(persona.iosShare)
  const handsets = HANDSETS.filter((h) => (h.os === 'iOS') === iOS)
  const handset = rng.pick(handsets)
  const hasDesktop = rng.chance(persona.desktopShare)
  const age = rng.between(persona.ages[0], persona.ages[1])

  return {
    index,
    userId,
    name: `${surname}${given}`,
    phone,
    email,
    city: city.name,
    timeZone: city.timeZone,
    storeIndex,
    persona: personaIndex,
    preferredChannel,
    propensity,
    baseHazard: persona.baseHazard * propensity * (initialMember ? MEMBER_LOYALTY : 1),
    affinity,
    initialMember,
    followsOfficialAccount,
    initialSmsOptIn,
    initialEmailOptIn,
    age,
    handset,
    hasDesktop,
  }
}

function pickSurname(rng: Rng): readonly [string, string] {
  const entry = SURNAMES[rng.weighted(SURNAMES.map((s) => s[2]))]!
  return [entry[0], entry[1]]
}

/** Creates the whole population in index order. */
export function createPopulation(seed: number, people: number): Person[] {
  const rng = new Rng(seed)
  const out: Person[] = new Array(people)
  for (let i = 0; i < people; i++) out[i] = createPerson(seed, i, rng)
  return out
}
