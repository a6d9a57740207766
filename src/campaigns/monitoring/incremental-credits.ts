import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { identityChangesSince } from '../../measurement/touchpoints/identity-changes.ts'
import { extendable } from '../../measurement/touchpoints/incremental-paths.ts'
import { logMark, type LogMark } from '../../measurement/touchpoints/reuse-while-unchanged.ts'
import { extendCredits, type KeptCredits } from './credit-extend.ts'
import { scanCredits } from './credit-scan.ts'
import { keepNewest, MAX_APPENDED_SEQS, type KpiSource } from './incremental-kpis.ts'
import { creditsAnswer, type CreditQuery, type Credits } from './last-touch.ts'

interface Kept extends KeptCredits {
  /** The log and merge audit as the scan (or the extension that made it) found them. */
  mark: LogMark
}

const kept = new WeakMap<Kysely<Schema>, Map<string, Kept>>()

/**
 * Last-touch credits for the window [q.from, q.to), kept between reads and extended with what the
 * log and the merge audit recorded since, as campaign KPIs are (see `incrementalKpis`): the same
 * answer as `lastTouchCredits` on a fresh scan. A read is keyed by everything but the window's
 * end — the sources and their channels, the lookback and the conversion events included, so reads
 * that credit differently never share what is kept; the kept credits grow to the new end.
 *
 * The window is read whole instead when:
 * - nothing is kept for this read (the first, or one evicted by newer ones);
 * - the window now ends before the kept one: conversions in the part cut off would have to be
 *   found again, which is the scan;
 * - the log or the audit has gone backwards (a restored database): what was credited is no
 *   longer what the log holds;
 * - the credits are more than {@link MAX_APPENDED_SEQS} behind: reading that many appended events
 *   and crediting their people again costs about what the window's scan does;
 * - the audit cannot tell what changed (an erasure deleted audit rows recorded since), or it and
 *   the profiles table disagree, or a profile was erased while its events were read: only a
 *   fresh scan knows who is who then.
 *
 * @example const { answer } = await incrementalCredits(db, query)
 */
export async function incrementalCredits(db: Kysely<Schema>, q: CreditQuery): Promise<{ answer: Credits; source: KpiSource }> {
  let reads = kept.get(db)
  if (!reads) kept.set(db, (reads = new Map()))
  const { to, sourceToChannel, ...rest } = q
  const id = JSON.stringify([rest, [...sourceToChannel].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))])
  const mark = await logMark(db)
  const upTo = mark.seq ?? 0

  const previous = reads.get(id)
  if (previous && previous.keptTo <= to && extendable(previous, mark) && upTo - previous.coveredSeq <= MAX_APPENDED_SEQS) {
    const changes = await identityChangesSince(db, q.workspaceId, previous.mark.mergeSeq, mark.mergeSeq)
    const tally = changes === null ? null : await extendCredits(db, q, previous, changes, upTo)
    if (tally !== null) {
      keepNewest(reads, id, { tally, keptTo: to, mark, coveredSeq: Math.max(upTo, previous.coveredSeq) }, tally.size)
      return { answer: creditsAnswer(tally), source: 'extended' }
    }
  }

  const tally = await scanCredits(db, q, upTo)
  keepNewest(reads, id, { tally, keptTo: to, mark, coveredSeq: upTo }, tally.size)
  return { answer: creditsAnswer(tally), source: 'full' }
}
