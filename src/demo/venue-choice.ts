import { VENUES } from './brand.ts'
import { PERSONAS } from './personas.ts'
import type { Person } from './population.ts'
import { pickWeighted } from './prng.ts'

/** How much a click in the last three days tilts where a person buys: [site, mini program, tmall, jd, pos], per causal channel. */
const VENUE_TILT: readonly (readonly number[])[] = [
  [1, 3, 1, 1, 1], [2, 1, 1.3, 1, 1], [1.2, 1, 2.5, 1.2, 1], [1.3, 1, 1.5, 1.2, 1], [3, 1, 1, 1, 1], [2, 2, 1, 1, 1], [2.5, 1, 1, 1, 1],
]

/**
 * Where a buyer buys (index into `VENUES`): the persona's habits, tilted by the channel clicked in
 * the last three days (the official account opens the mini program, search and email land on the
 * site), by Xiaohongshu notes (which send people to search Tmall) and by membership (members
 * favour the brand's own shops). No store in the city, no POS. `weights` is scratch space.
 *
 * @example chooseVenue(fitnessProfessional, -1, 0, false, 0.5, new Float64Array(VENUES.length)) // 2: tmall
 */
export function chooseVenue(person: Person, recentClick: number, xiaohongshuSaturation: number, member: boolean, u: number, weights: Float64Array): number {
  const persona = PERSONAS[person.persona]!
  for (let v = 0; v < VENUES.length; v++) weights[v] = persona.venues[v]!
  if (person.storeIndex < 0) weights[4] = 0
  if (recentClick >= 0) for (let v = 0; v < VENUES.length; v++) weights[v] = weights[v]! * VENUE_TILT[recentClick]![v]!
  weights[2] = weights[2]! * (1 + 1.5 * xiaohongshuSaturation)
  if (member) {
    weights[0] = weights[0]! * 1.3
    weights[1] = weights[1]! * 1.3
  }
  return pickWeighted(weights, u)
}
