import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { extendPeople, type PeopleScan } from './extend-paths.ts'
import {
  buildExtraction,
  extractionPlan,
  scanPeoplePaths,
  sortedIds,
  type ExtractionPlan,
  type PathExtraction,
  type PathExtractionInput,
  type PersonPaths,
} from './extract-paths.ts'
import { identityChangesSince } from './identity-changes.ts'
import { appendedEvents, type AppendedEvents } from './log-scan.ts'
import { logMark, type LogMark } from './reuse-while-unchanged.ts'

/**
 * Classified events kept per extraction, at most: above this a workspace's extraction is not kept
 * and every read after new events scans the period again. About 100 bytes each (a few numbers and
 * a reference to a touch), so the bound is about 150 MB for the largest extraction kept.
 */
export const MAX_KEPT_EVENTS = 1_500_000

/** Extractions kept per database handle (newest used first): a few periods and rule sets per workspace. */
export const MAX_KEPT_EXTRACTIONS = 4

/** A finished scan, kept so the next read scans only what was appended since. */
interface KeptScan extends PeopleScan {
  /** The log and merge audit as the scan (or the extension that made it) found them. */
  mark: LogMark
  /** The scan covered events with `seq <= coveredSeq`. */
  coveredSeq: number
}

/** How an extraction was produced: read whole, or a kept one extended with the events appended since. */
export type ExtractionSource = 'full' | 'extended'

const kept = new WeakMap<Kysely<Schema>, Map<string, KeptScan>>()

/**
 * {@link extractPaths} for a log that grows all day. The log is append-only by `seq`, so the
 * people and classified events of the last scan with this key are kept with the `seq` it
 * covered and the merge audit's; the next read reads only the events appended since (by sequence
 * number, an indexed range) and the merges and erasures recorded since, moves history between
 * the people they concern, reclassifies the people touched, and rebuilds the paths from what is
 * kept — the same paths, in the same order, as a fresh scan (see `extendPeople`). A full scan is
 * made instead when nothing is kept, when the audit cannot tell what changed (an erasure deleted
 * audit rows recorded since the kept scan), when the log or the audit has gone backwards (a
 * restored database), or when the kept events would exceed {@link MAX_KEPT_EVENTS}. The key
 * holds everything else the paths depend on (period, conversion definition, channel rules,
 * grouping, visit window); a changed definition or rule set is a different key, hence a full scan.
 *
 * @example const { extraction, source } = await extractPathsIncrementally(input, ['paths', from, to, conversion, rules])
 */
export async function extractPathsIncrementally(
  input: Omit<PathExtractionInput, 'onConversion'>,
  key: readonly unknown[],
  maxKeptEvents = MAX_KEPT_EVENTS,
  /** Where the log stands, when the caller has just read it (see `reuseWhileUnchanged`). */
  at?: LogMark,
): Promise<{ extraction: PathExtraction; source: ExtractionSource }> {
  const started = performance.now()
  const db = input.database.db
  let scans = kept.get(db)
  if (!scans) kept.set(db, (scans = new Map()))
  const id = JSON.stringify([input.workspaceId, ...key])
  const mark = at ?? (await logMark(db))
  const upTo = mark.seq ?? 0
  const plan = extractionPlan(input, upTo)

  const previous = scans.get(id)
  if (previous && extendable(previous, mark)) {
    const extended = await extend(plan, previous, mark)
    if (extended) {
      keep(scans, id, { ...extended, mark, coveredSeq: Math.max(upTo, previous.coveredSeq) }, maxKeptEvents)
      return { extraction: buildExtraction(plan, extended.people, started, extended.order), source: 'extended' }
    }
  }

  const people = await scanPeoplePaths(plan)
  const order = sortedIds(people)
  keep(scans, id, { mark, coveredSeq: upTo, people, order, events: countEvents(people) }, maxKeptEvents)
  return { extraction: buildExtraction(plan, people, started, order), source: 'full' }
}

/**
 * Neither the log nor the merge audit has gone backwards (a restored database). The log's last
 * number goes down when an erasure deletes the newest events; the audit then records it. Any
 * result kept with the marks it covered can be asked (campaign KPIs keep theirs the same way).
 */
export function extendable(previous: { mark: LogMark; coveredSeq: number }, mark: LogMark): boolean {
  return mark.mergeSeq >= previous.mark.mergeSeq && ((mark.seq ?? 0) >= previous.coveredSeq || mark.mergeSeq > previous.mark.mergeSeq)
}

function keep(scans: Map<string, KeptScan>, id: string, scan: KeptScan, maxKeptEvents: number): void {
  const current = scans.get(id)
  // Two reads extending together: the one that covered more stays (the audit first: after an
  // erasure of the newest events the log's last number is lower than it was).
  if (current && (current.mark.mergeSeq > scan.mark.mergeSeq || (current.mark.mergeSeq === scan.mark.mergeSeq && current.coveredSeq > scan.coveredSeq))) return
  scans.delete(id)
  if (scan.events > maxKeptEvents) return
  scans.set(id, scan)
  while (scans.size > MAX_KEPT_EXTRACTIONS) scans.delete(scans.keys().next().value!)
}

const NOTHING_APPENDED: AppendedEvents = { rows: [], earlierConverters: new Set() }

/** The kept people with what happened since folded in; null when only a full scan gives the right answer. */
async function extend(plan: ExtractionPlan, previous: KeptScan, mark: LogMark): Promise<PeopleScan | null> {
  const upTo = mark.seq ?? 0
  const changes = await identityChangesSince(plan.scan.db, plan.scan.workspaceId, previous.mark.mergeSeq, mark.mergeSeq)
  if (changes === null) return null
  const appended = upTo <= previous.coveredSeq ? NOTHING_APPENDED : await appendedEvents(plan.scan, plan.input.database.dialect, previous.coveredSeq, upTo)
  return extendPeople(plan, previous, previous.coveredSeq, changes, appended)
}

function countEvents(people: ReadonlyMap<string, PersonPaths>): number {
  let total = 0
  for (const person of people.values()) total += person.items.length
  return total
}
