import type { Kysely } from 'kysely'
import { chunked, type Schema } from '../../platform/index.ts'
import {
  buildExtraction,
  convertedBeforeScan,
  extractionPlan,
  firstConversionInPeriod,
  scanPeoplePaths,
  sortedIds,
  type ExtractionPlan,
  type PathExtraction,
  type PathExtractionInput,
  type PersonPaths,
} from './extract-paths.ts'
import { classifyRow, type TimelineItem } from './journeys.ts'
import { appendedEvents, membersOf } from './log-scan.ts'
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
interface KeptScan {
  mark: LogMark
  /** The scan covered events with `seq <= coveredSeq`. */
  coveredSeq: number
  people: ReadonlyMap<string, PersonPaths>
  order: readonly string[]
  events: number
}

/** How an extraction was produced: read whole, or a kept one extended with the events appended since. */
export type ExtractionSource = 'full' | 'extended'

const kept = new WeakMap<Kysely<Schema>, Map<string, KeptScan>>()

/**
 * {@link extractPaths} for a log that grows all day. The log is append-only by `seq`, so the
 * people and classified events of the last scan with this key are kept with the `seq` it
 * covered; the next read reads only the events appended since (by sequence number, an indexed
 * range), reclassifies the people they belong to, and rebuilds the paths from what is kept —
 * the same paths, in the same order, as a fresh scan. A full scan is made instead when nothing is
 * kept, when a merge or an erasure happened since (the merge audit changed, or there are fewer
 * profiles: history moved between people or was deleted), when an appended event belongs to a
 * merged profile, or when the kept events would exceed {@link MAX_KEPT_EVENTS}. The key holds
 * everything else the paths depend on (period, conversion definition, channel rules, grouping,
 * visit window); a changed definition or rule set is a different key, hence a full scan.
 *
 * @example const { extraction, source } = await extractPathsIncrementally(input, ['paths', from, to, conversion, rules])
 */
export async function extractPathsIncrementally(
  input: Omit<PathExtractionInput, 'onConversion'>,
  key: readonly unknown[],
  maxKeptEvents = MAX_KEPT_EVENTS,
): Promise<{ extraction: PathExtraction; source: ExtractionSource }> {
  const started = performance.now()
  const db = input.database.db
  let scans = kept.get(db)
  if (!scans) kept.set(db, (scans = new Map()))
  const id = JSON.stringify([input.workspaceId, ...key])
  const mark = await logMark(db, input.workspaceId)
  const upTo = mark.seq ?? 0
  const plan = extractionPlan(input, upTo)

  const previous = scans.get(id)
  if (previous && extendable(previous, mark)) {
    const extended = await extend(plan, previous, upTo)
    if (extended) {
      keep(scans, id, { ...extended, mark, coveredSeq: upTo }, maxKeptEvents)
      return { extraction: buildExtraction(plan, extended.people, started, extended.order), source: 'extended' }
    }
  }

  const people = await scanPeoplePaths(plan)
  const order = sortedIds(people)
  keep(scans, id, { mark, coveredSeq: upTo, people, order, events: countEvents(people) }, maxKeptEvents)
  return { extraction: buildExtraction(plan, people, started, order), source: 'full' }
}

/** No merge or erasure since the kept scan, and the log has not gone backwards (a restored database). */
function extendable(previous: KeptScan, mark: LogMark): boolean {
  return (
    previous.mark.merges === mark.merges &&
    previous.mark.latestMerge === mark.latestMerge &&
    mark.profiles >= previous.mark.profiles &&
    (mark.seq ?? 0) >= previous.coveredSeq
  )
}

function keep(scans: Map<string, KeptScan>, id: string, scan: KeptScan, maxKeptEvents: number): void {
  const current = scans.get(id)
  // Two reads extending together: the one that covered more stays.
  if (current && current.coveredSeq > scan.coveredSeq) return
  scans.delete(id)
  if (scan.events > maxKeptEvents) return
  scans.set(id, scan)
  while (scans.size > MAX_KEPT_EXTRACTIONS) scans.delete(scans.keys().next().value!)
}

/**
 * The kept people with the appended events folded in; null when only a full scan gives the right
 * answer (an appended event of a merged profile: which person it belongs to, and where a fresh
 * scan would meet them, depends on the merge). The kept scan is never changed: concurrent reads
 * may extend it at once.
 */
async function extend(plan: ExtractionPlan, previous: KeptScan, upTo: number): Promise<Omit<KeptScan, 'mark' | 'coveredSeq'> | null> {
  if (upTo === previous.coveredSeq) return previous
  const appended = await appendedEvents(plan.scan, plan.input.database.dialect, previous.coveredSeq, upTo)
  const byProfile = new Map<string, TimelineItem[]>()
  for (const row of appended.rows) {
    let list = byProfile.get(row.profileId)
    if (!list) byProfile.set(row.profileId, (list = []))
    list.push(classifyRow(row, plan.timelineOptions))
  }
  if (byProfile.size === 0 && appended.earlierConverters.size === 0) return previous
  if (await anyMerged(plan, [...new Set([...byProfile.keys(), ...appended.earlierConverters])])) return null
  const touched = [...new Set([...byProfile.keys(), ...[...appended.earlierConverters].filter((p) => previous.people.has(p))])]

  const people = new Map(previous.people)
  const added = touched.filter((p) => !people.has(p))
  const members = await membersOf(plan.scan, added)
  let events = previous.events
  const changed: PersonPaths[] = []
  for (const personId of touched) {
    const before = people.get(personId)
    const fresh = byProfile.get(personId) ?? []
    const items = before ? mergeItems(before.items, fresh) : fresh
    if (items.length === 0) continue
    events += items.length - (before?.items.length ?? 0)
    changed.push({ personId, allProfileIds: before?.allProfileIds ?? [personId, ...(members.get(personId) ?? [])], items, convertedBefore: false })
  }
  const asked = new Set(changed.filter((person) => firstConversionInPeriod(person.items, plan.window)))
  const converted = await convertedBeforeScan(plan.scan, plan.matcher, [...asked].flatMap((p) => [...p.allProfileIds]))
  for (const person of changed) {
    person.convertedBefore = asked.has(person) && person.allProfileIds.some((id) => converted.has(id))
    people.set(person.personId, person)
  }
  return { people, order: withIds(previous.order, added.filter((p) => people.has(p))), events }
}

/** `order` (sorted) with `ids` (none of them in it) inserted in their places. */
function withIds(order: readonly string[], ids: string[]): readonly string[] {
  if (ids.length === 0) return order
  const fresh = sortedIds(new Map(ids.map((id) => [id, null])))
  const merged: string[] = new Array(order.length + fresh.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < order.length && j < fresh.length) merged[k++] = order[i]! < fresh[j]! ? order[i++]! : fresh[j++]!
  while (i < order.length) merged[k++] = order[i++]!
  while (j < fresh.length) merged[k++] = fresh[j++]!
  return merged
}

/** Whether any of these profiles is merged into another. */
async function anyMerged(plan: ExtractionPlan, profileIds: readonly string[]): Promise<boolean> {
  for (const part of chunked(profileIds)) {
    const found = await plan.scan.db
      .selectFrom('profiles')
      .select('id')
      .where('workspace_id', '=', plan.scan.workspaceId)
      .where('id', 'in', part)
      .where('merged_into', 'is not', null)
      .limit(1)
      .execute()
    if (found.length > 0) return true
  }
  return false
}

/** Kept items and appended ones (in the scan's profile, time, seq order), in time then seq order. */
function mergeItems(kept: readonly TimelineItem[], fresh: readonly TimelineItem[]): TimelineItem[] {
  if (fresh.length === 0) return [...kept]
  const merged: TimelineItem[] = new Array(kept.length + fresh.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < kept.length && j < fresh.length) merged[k++] = later(kept[i]!, fresh[j]!) ? fresh[j++]! : kept[i++]!
  while (i < kept.length) merged[k++] = kept[i++]!
  while (j < fresh.length) merged[k++] = fresh[j++]!
  return merged
}

function later(a: TimelineItem, b: TimelineItem): boolean {
  return a.at > b.at || (a.at === b.at && a.seq > b.seq)
}

function countEvents(people: ReadonlyMap<string, PersonPaths>): number {
  let total = 0
  for (const person of people.values()) total += person.items.length
  return total
}
