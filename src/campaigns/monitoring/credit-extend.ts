import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { canonicalProfiles, followIdentityChanges, type IdentityChanges } from '../../measurement/touchpoints/identity-changes.ts'
import { creditsOfPeople, stretchConversions } from './credit-scan.ts'
import { appendedKpiRows } from './kpi-scan.ts'
import type { KpiRow } from './kpi-tally.ts'
import type { Conversion, CreditQuery, CreditTally } from './last-touch.ts'

/** Credits kept for a window [q.from, keptTo) over the events with `seq <= coveredSeq`. */
export interface KeptCredits {
  tally: CreditTally
  keptTo: number
  coveredSeq: number
}

/**
 * Kept credits with what happened since folded in, for the window [q.from, q.to) (q.to at least
 * the kept end) over the events with `seq <= upTo`: the answer a fresh scan gives. A person's
 * credits depend only on their own conversions and touches, so only the people something
 * happened to are credited again, from their own events:
 *
 * - anyone with a conversion or a touch appended since, wherever it is dated (a late touch dated
 *   before a conversion already credited can take the credit from another channel);
 * - anyone a merge was made into (their touches may now precede the merged profile's
 *   conversions); merged-away and erased people are dropped;
 * - anyone with a conversion in the stretch the window has grown by [keptTo, q.to) (a touch in
 *   the stretch can only credit a conversion after it, so it is in the stretch too).
 *
 * Conversions without a person are never credited: they are added as they are read.
 *
 * Null when only a full scan gives the right answer: the audit says a profile was merged or
 * erased and the profiles table says otherwise, or an event read belongs to a profile erased
 * while this read went on. The kept credits are never changed: concurrent reads may extend them.
 *
 * @example const next = await extendCredits(db, query, kept, changes, mark.seq ?? 0)
 */
export async function extendCredits(db: Kysely<Schema>, q: CreditQuery, kept: KeptCredits, changes: IdentityChanges, upTo: number): Promise<CreditTally | null> {
  const appended = upTo > kept.coveredSeq ? await appendedKpiRows(db, q.workspaceId, kept.coveredSeq, upTo) : []
  const stretch = q.to > kept.keptTo ? await stretchConversions(db, q, kept.keptTo, q.to, kept.coveredSeq) : []
  if (appended === null || stretch === null) return null
  const moved = changes.mergedAway.length + changes.survivors.length + changes.erased.length
  if (moved === 0 && appended.length === 0 && stretch.length === 0) return kept.tally

  const tally: CreditTally = new Map(kept.tally)
  const affected = new Set<string>()
  if (moved > 0) {
    const canonical = await canonicalProfiles(db, q.workspaceId, [...changes.mergedAway, ...changes.survivors, ...changes.erased])
    // A merged-away person's conversions are credited again under the person they belong to now.
    const gained = followIdentityChanges(changes, canonical, (profileId) => tally.delete(profileId))
    if (gained === null) return null
    for (const person of gained) affected.add(person)
  }

  const conversionEvents = new Set(q.conversionEvents)
  const isConversion = (row: KpiRow) => row.event !== null && conversionEvents.has(row.event) && row.timestamp >= q.from && row.timestamp < q.to
  const isTouch = (row: KpiRow) => row.channel !== null && q.sourceToChannel.has(row.channel.toLowerCase())
  for (const row of appended) {
    if (row.person !== null && (isConversion(row) || isTouch(row))) affected.add(row.person)
    else if (row.person === null && isConversion(row)) addUnattributed(tally, q, { amount: row.orderMinor, currency: row.orderCurrency })
  }
  for (const conversion of stretch) {
    if (conversion.person !== null) affected.add(conversion.person)
    else addUnattributed(tally, q, conversion)
  }

  const recredited = await creditsOfPeople(db, q, [...affected], upTo)
  for (const person of affected) {
    const credits = recredited.get(person)
    if (credits) tally.set(person, credits)
    else tally.delete(person)
  }
  return tally
}

/** A conversion without a person: unattributed, as a fresh scan finds it (copied, not changed in place). */
function addUnattributed(tally: CreditTally, q: CreditQuery, conversion: Pick<Conversion, 'amount' | 'currency'>): void {
  const nobody = new Map(tally.get(null) ?? [])
  const bucket = nobody.get(null) ?? { conversions: 0, revenueMinor: 0 }
  nobody.set(null, {
    conversions: bucket.conversions + 1,
    revenueMinor: bucket.revenueMinor + (conversion.amount !== null && conversion.currency === q.currency ? conversion.amount : 0),
  })
  tally.set(null, nobody)
}
