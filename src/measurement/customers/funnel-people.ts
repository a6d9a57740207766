import type { FunnelComputation } from './funnel-report.ts'
import { InvalidMeasurementInput } from './input-error.ts'
import { pageOf } from './page-cursor.ts'

/**
 * The people behind a funnel step: those who dropped after it (reached it, not the next) or who
 * reached it. Ids are canonical profile ids in ascending order, so pages are stable and the list
 * can become an audience.
 */
export type FunnelPeopleStatus = 'dropped' | 'reached'

/**
 * @example funnelPeople(computation, { step: 2, status: 'dropped' }) // everyone who reached step 2 but not step 3
 */
export function funnelPeople(computation: FunnelComputation, options: { step: number; status: FunnelPeopleStatus }): string[] {
  const n = computation.definition.steps.length
  if (!Number.isInteger(options.step) || options.step < 1 || options.step > n) throw new InvalidMeasurementInput(`step must be between 1 and ${n}, got ${options.step}`)
  if (options.status === 'dropped' && options.step === n) throw new InvalidMeasurementInput(`Nobody drops after the last step (${n}); ask for status "reached" to list converters`)
  const ids: string[] = []
  for (const [person, attempt] of computation.attempts) {
    if (options.status === 'dropped' ? attempt.reached === options.step : attempt.reached >= options.step) ids.push(person)
  }
  return ids.sort()
}

/**
 * @example funnelPeoplePage(computation, { step: 1, status: 'dropped', limit: 100 }) // { total, items, nextCursor }
 */
export function funnelPeoplePage(computation: FunnelComputation, options: { step: number; status: FunnelPeopleStatus; cursor?: string; limit: number }) {
  const ids = funnelPeople(computation, options)
  return { total: ids.length, ...pageOf(ids, options) }
}

/**
 * The ids as a one-column CSV (RFC 4180; ids never need quoting, but quotes are doubled anyway).
 *
 * @example idsCsv(['prf_1', 'prf_2']) // 'profile_id\r\nprf_1\r\nprf_2\r\n'
 */
export function idsCsv(ids: readonly string[]): string {
  return ['profile_id', ...ids.map((id) => (/[",\r\n]/.test(id) ? `"${id.replaceAll('"', '""')}"` : id))].join('\r\n') + '\r\n'
}
