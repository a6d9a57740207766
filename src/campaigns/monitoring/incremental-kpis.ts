import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { identityChangesSince } from '../../measurement/touchpoints/identity-changes.ts'
import { extendable } from '../../measurement/touchpoints/incremental-paths.ts'
import { logMark, type LogMark } from '../../measurement/touchpoints/reuse-while-unchanged.ts'
import { extendTally, type KeptTally } from './kpi-extend.ts'
import { latestEventAt } from './latest-event.ts'
import { scanTally } from './kpi-scan.ts'
import { tallyAnswer, tallySize, type Measure } from './kpi-tally.ts'
import type { KpiQuery, LogKpis } from './log-kpis.ts'

/**
 * Entries (people, visitors per source, people's sums per currency) one kept tally may hold:
 * above this a window's tally is not kept and every read after a change scans the window. Each
 * is a short string in a set or map, about 100 bytes, so about 100 MB for the largest kept.
 */
export const MAX_KEPT_TALLY_ENTRIES = 1_000_000

/** Tallies kept per database handle (newest used last): each campaign's KPIs and its goals' metrics. */
export const MAX_KEPT_TALLIES = 32

/**
 * Sequence numbers a kept tally may be behind by. Past this a tally is too old to be worth
 * extending: reading that many appended events one by one costs about what the window's indexed
 * scan does, and a tally untouched for that long is likely never asked for again.
 */
export const MAX_APPENDED_SEQS = 250_000

interface KeptKpis extends KeptTally {
  /** The log and merge audit as the scan (or the extension that made it) found them. */
  mark: LogMark
}

/** How an answer was produced: the window read whole, or a kept tally extended with what happened since. */
export type KpiSource = 'full' | 'extended'

const kept = new WeakMap<Kysely<Schema>, Map<string, KeptKpis>>()

/**
 * Campaign KPIs (`measures` of them) for the window [q.from, q.to), kept between reads and
 * extended with what the log and the merge audit recorded since, as attribution's path
 * extraction is (see `extractPathsIncrementally`): the same answer as `logKpis` on a fresh scan.
 * A read is keyed by everything but the window's end, which a running campaign moves with the
 * clock; the kept tally grows to the new end.
 *
 * The window is read whole instead when:
 * - nothing is kept for this read (the first, or one evicted by newer ones);
 * - the window now ends before the kept one: what was counted in the part cut off cannot be
 *   taken out of a set of people;
 * - the log or the audit has gone backwards (a restored database): what the tally covered is
 *   no longer what the log holds;
 * - the tally is more than {@link MAX_APPENDED_SEQS} behind (see there);
 * - the audit cannot tell what changed (an erasure deleted audit rows recorded since), or it and
 *   the profiles table disagree, or a profile was erased while its events were read: only a
 *   fresh scan knows who is who then.
 *
 * @example const { answer } = await incrementalKpis(db, query, ALL_MEASURES)
 */
export async function incrementalKpis(db: Kysely<Schema>, q: KpiQuery, measures: readonly Measure[]): Promise<{ answer: Partial<LogKpis>; source: KpiSource }> {
  let tallies = kept.get(db)
  if (!tallies) kept.set(db, (tallies = new Map()))
  const { to, ...rest } = q
  const id = JSON.stringify([measures, rest])
  const mark = await logMark(db)
  const upTo = mark.seq ?? 0

  const previous = tallies.get(id)
  if (previous && previous.keptTo <= to && extendable(previous, mark) && upTo - previous.coveredSeq <= MAX_APPENDED_SEQS) {
    const changes = await identityChangesSince(db, q.workspaceId, previous.mark.mergeSeq, mark.mergeSeq)
    const tally = changes === null ? null : await extendTally(db, q, previous, changes, upTo)
    if (tally !== null) {
      const coveredSeq = Math.max(upTo, previous.coveredSeq)
      keepNewest(tallies, id, { tally, keptTo: to, mark, coveredSeq, latestAt: await latestEventAt(db, q.workspaceId, coveredSeq) }, tallySize(tally))
      return { answer: tallyAnswer(tally, q), source: 'extended' }
    }
  }

  const tally = await scanTally(db, q, measures, upTo)
  keepNewest(tallies, id, { tally, keptTo: to, mark, coveredSeq: upTo, latestAt: await latestEventAt(db, q.workspaceId, upTo) }, tallySize(tally))
  return { answer: tallyAnswer(tally, q), source: 'full' }
}

/**
 * Files `next` as the kept read `id` (newest used last, at most {@link MAX_KEPT_TALLIES}), unless
 * it holds more than {@link MAX_KEPT_TALLY_ENTRIES} entries (`size`). Last-touch credits keep
 * theirs the same way (see `incremental-credits.ts`).
 */
export function keepNewest<T extends { mark: LogMark; coveredSeq: number }>(kept: Map<string, T>, id: string, next: T, size: number): void {
  const current = kept.get(id)
  // Two reads extending together: the one that covered more stays (the audit first: after an
  // erasure of the newest events the log's last number is lower than it was).
  if (current && (current.mark.mergeSeq > next.mark.mergeSeq || (current.mark.mergeSeq === next.mark.mergeSeq && current.coveredSeq > next.coveredSeq))) return
  kept.delete(id)
  if (size > MAX_KEPT_TALLY_ENTRIES) return
  kept.set(id, next)
  while (kept.size > MAX_KEPT_TALLIES) kept.delete(kept.keys().next().value!)
}
