import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { canonicalProfiles, followIdentityChanges, type IdentityChanges } from '../../measurement/touchpoints/identity-changes.ts'
import type { KpiQuery } from './log-kpis.ts'
import { appendedKpiRows, firstOrders, stretchKpiRows } from './kpi-scan.ts'
import { copyTally, foldRow, movePerson, type KpiRow, type KpiTally } from './kpi-tally.ts'

/** A tally kept for a window [q.from, keptTo) over the events with `seq <= coveredSeq`. */
export interface KeptTally {
  tally: KpiTally
  keptTo: number
  coveredSeq: number
  /** No event with `seq <= coveredSeq` is dated after this (null: there was none). */
  latestAt: number | null
}

/**
 * A kept tally with what happened since folded in, for the window [q.from, q.to) (q.to at least
 * the kept end) over the events with `seq <= upTo`: the answer a fresh scan gives.
 *
 * - The merges and erasures the audit recorded since: a merged-away person's counts go to the
 *   person their profile belongs to now (two counted people count once), an erased person's go.
 * - The events appended since (`after < seq <= upTo`), wherever they are dated: late-arriving
 *   ones inside the part of the window already read are counted like any other.
 * - The events already in the log but dated in the stretch the window has grown by
 *   [keptTo, q.to) (a running campaign's window ends at the clock).
 * - New customers (first order ever in the window) are asked again for the people touched: those
 *   with an order among the events read, and the people merges were made into.
 *
 * Null when only a full scan gives the right answer: the audit says a profile was merged or
 * erased and the profiles table says otherwise, or an event read belongs to a profile erased
 * while this read went on. The kept tally is never changed: concurrent reads may extend it.
 *
 * @example const next = await extendTally(db, query, kept, changes, mark.seq ?? 0)
 */
export async function extendTally(db: Kysely<Schema>, q: KpiQuery, kept: KeptTally, changes: IdentityChanges, upTo: number): Promise<KpiTally | null> {
  const appended = upTo > kept.coveredSeq ? await appendedKpiRows(db, q.workspaceId, kept.coveredSeq, upTo) : []
  // The stretch holds only events that were dated ahead of the kept end when it was read; without
  // any (the usual case, events dated as they happen) there is nothing to look for, and the query
  // would walk the whole workspace: no index orders its events by time.
  const datedAhead = kept.latestAt !== null && kept.latestAt >= kept.keptTo
  const stretch = q.to > kept.keptTo && datedAhead ? await stretchKpiRows(db, q.workspaceId, kept.keptTo, q.to, kept.coveredSeq) : []
  if (appended === null || stretch === null) return null
  const moved = changes.mergedAway.length + changes.survivors.length + changes.erased.length
  if (moved === 0 && appended.length === 0 && stretch.length === 0) return kept.tally

  const tally = copyTally(kept.tally)
  const touched = new Set<string>()
  if (moved > 0) {
    const canonical = await canonicalProfiles(db, q.workspaceId, [...changes.mergedAway, ...changes.survivors, ...changes.erased])
    const gained = followIdentityChanges(changes, canonical, (profileId, to) => movePerson(tally, profileId, to))
    if (gained === null) return null
    for (const person of gained) touched.add(person)
  }
  const fold = (rows: readonly KpiRow[]) => {
    for (const row of rows) {
      foldRow(tally, q, row)
      if (row.orderMinor !== null && row.person !== null) touched.add(row.person)
    }
  }
  fold(appended)
  fold(stretch)

  if (tally.newCustomers && touched.size > 0) {
    const firsts = await firstOrders(db, q.workspaceId, [...touched], upTo)
    for (const person of touched) {
      const first = firsts.get(person)
      if (first !== undefined && first >= q.from && first < q.to) tally.newCustomers.add(person)
      else tally.newCustomers.delete(person)
    }
  }
  return tally
}
