import { convertedBeforeScan, firstConversionInPeriod, sortedIds, type ExtractionPlan, type PersonPaths } from './extract-paths.ts'
import { canonicalProfiles, followIdentityChanges, type IdentityChanges } from './identity-changes.ts'
import { classifyRow, type TimelineItem } from './journeys.ts'
import { eventsOfProfiles, membersOf, type AppendedEvents } from './log-scan.ts'

/** The people of a path extraction, in id order, with how many classified events they hold. */
export interface PeopleScan {
  people: ReadonlyMap<string, PersonPaths>
  order: readonly string[]
  events: number
}

/**
 * A kept scan's people with what happened since folded in: the merges and erasures the audit
 * recorded, and the events appended to the log. The answer is the people a fresh scan would
 * find: a person is their canonical profile as it stands now, holding the classified events of
 * every profile merged into it.
 *
 * - A merge moves the merged-away person's kept events to the person their profile belongs to
 *   now (following a chain a → b → c to c, since merges are kept flat), and the survivor's
 *   profiles are read again: the merged profile may have had no events in the range, yet it
 *   still counts for the first-ever question.
 * - An erasure drops the erased person (their events are gone from the log).
 * - An appended event goes to the person its profile belongs to now, in (time, seq) order.
 * - The first-ever question is asked again for every person touched.
 *
 * Null when only a full scan gives the right answer: the audit says a profile was merged or
 * erased and the profiles table says otherwise, or an appended event's profile is gone (an
 * erasure committed while this read went on). The kept scan is never changed: concurrent reads
 * may extend it at once.
 *
 * @example const next = await extendPeople(plan, kept, kept.coveredSeq, changes, appended)
 */
export async function extendPeople(plan: ExtractionPlan, previous: PeopleScan, coveredSeq: number, changes: IdentityChanges, appended: AppendedEvents): Promise<PeopleScan | null> {
  const moved = changes.mergedAway.length + changes.survivors.length + changes.erased.length
  if (moved === 0 && appended.rows.length === 0 && appended.earlierConverters.size === 0) return previous
  const { db, workspaceId } = plan.scan
  const canonical = await canonicalProfiles(db, workspaceId, [
    ...changes.mergedAway,
    ...changes.survivors,
    ...changes.erased,
    ...appended.rows.map((row) => row.profileId),
    ...appended.earlierConverters,
  ])

  const people = new Map(previous.people)
  const removed = new Set<string>()
  /** Per person, the lists of classified events to fold into what they had (each in time, seq order). */
  const incoming = new Map<string, (readonly TimelineItem[])[]>()
  /** Per person, the profiles whose events they had before or were handed now. */
  const known = new Map<string, Set<string>>()
  let events = previous.events
  const leave = (personId: string, to: string | undefined) => {
    const person = people.get(personId)
    if (!person) return
    people.delete(personId)
    removed.add(personId)
    events -= person.items.length
    if (to === undefined) return
    add(incoming, to, person.items)
    knownOf(known, to, previous).add(personId)
    for (const id of person.allProfileIds) knownOf(known, to, previous).add(id)
  }

  /** People whose set of profiles changed: read it again. */
  const regrouped = followIdentityChanges(changes, canonical, leave)
  if (regrouped === null) return null

  const appendedItems = new Map<string, TimelineItem[]>()
  for (const row of appended.rows) {
    const personId = canonical.get(row.profileId)
    if (personId === undefined) return null
    let list = appendedItems.get(personId)
    if (!list) appendedItems.set(personId, (list = []))
    list.push(classifyRow(row, plan.timelineOptions))
  }
  // Rows come in profile order: a person's rows from several profiles are put in time order.
  for (const [personId, items] of appendedItems) add(incoming, personId, items.sort(byTimeThenSeq))

  // New people, and those who gained profiles, have their profiles read as a fresh scan reads them.
  const regroup = [...new Set([...regrouped, ...[...incoming.keys()].filter((id) => !previous.people.has(id))])]
  const members = await membersOf(plan.scan, regroup)
  const profilesOf = (personId: string) => [personId, ...(members.get(personId) ?? [])]
  // A profile that joined a person since, and whose events neither person held, had none in the
  // range when the kept scan read it — unless the scan read the survivor just before the merge
  // committed and the merged profile just after, and so took neither's events for it: read them.
  const unseen = new Map<string, string>()
  for (const personId of regrouped) {
    const had = knownOf(known, personId, previous)
    for (const id of profilesOf(personId)) if (!had.has(id)) unseen.set(id, personId)
  }
  const missed = new Map<string, TimelineItem[]>()
  for (const row of await eventsOfProfiles({ ...plan.scan, maxSeq: coveredSeq }, [...unseen.keys()])) {
    const personId = unseen.get(row.profileId)!
    let list = missed.get(personId)
    if (!list) missed.set(personId, (list = []))
    list.push(classifyRow(row, plan.timelineOptions))
  }
  for (const [personId, items] of missed) add(incoming, personId, items.sort(byTimeThenSeq))

  const touched = new Set([...incoming.keys(), ...regrouped])
  for (const profileId of appended.earlierConverters) {
    const personId = canonical.get(profileId)
    if (personId !== undefined && people.has(personId)) touched.add(personId)
  }

  const changed: PersonPaths[] = []
  for (const personId of touched) {
    const before = people.get(personId)
    let items = before?.items ?? []
    for (const list of incoming.get(personId) ?? []) items = mergeItems(items, list)
    if (items.length === 0) continue
    events += items.length - (before?.items.length ?? 0)
    const allProfileIds = before && !regrouped.has(personId) ? before.allProfileIds : profilesOf(personId)
    changed.push({ personId, allProfileIds, items, convertedBefore: false })
  }
  const asked = new Set(changed.filter((person) => firstConversionInPeriod(person.items, plan.window)))
  const converted = await convertedBeforeScan(plan.scan, plan.matcher, [...asked].flatMap((p) => [...p.allProfileIds]))
  for (const person of changed) {
    person.convertedBefore = asked.has(person) && person.allProfileIds.some((id) => converted.has(id))
    people.set(person.personId, person)
  }

  const kept = removed.size === 0 ? previous.order : previous.order.filter((id) => !removed.has(id))
  const added = changed.map((person) => person.personId).filter((id) => !previous.people.has(id))
  return { people, order: withIds(kept, added), events }
}

/** The profiles whose events a person holds: theirs when the scan was kept (or their own id for someone new), and those handed over. */
function knownOf(known: Map<string, Set<string>>, personId: string, previous: PeopleScan): Set<string> {
  let set = known.get(personId)
  if (!set) known.set(personId, (set = new Set(previous.people.get(personId)?.allProfileIds ?? [personId])))
  return set
}

function add(incoming: Map<string, (readonly TimelineItem[])[]>, personId: string, items: readonly TimelineItem[]): void {
  let lists = incoming.get(personId)
  if (!lists) incoming.set(personId, (lists = []))
  lists.push(items)
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

/**
 * Two lists of classified events (each in time, seq order) as one, in time then seq order. An
 * event in both is kept once: a scan that ran while a merge committed may have read a profile's
 * events both as its own person and as part of the person it was merged into.
 */
function mergeItems(kept: readonly TimelineItem[], fresh: readonly TimelineItem[]): TimelineItem[] {
  if (fresh.length === 0) return [...kept]
  const merged: TimelineItem[] = []
  let i = 0
  let j = 0
  while (i < kept.length || j < fresh.length) {
    const next = j >= fresh.length || (i < kept.length && !later(kept[i]!, fresh[j]!)) ? kept[i++]! : fresh[j++]!
    const last = merged.at(-1)
    if (last === undefined || last.seq !== next.seq || last.at !== next.at) merged.push(next)
  }
  return merged
}

function later(a: TimelineItem, b: TimelineItem): boolean {
  return a.at > b.at || (a.at === b.at && a.seq > b.seq)
}

function byTimeThenSeq(a: TimelineItem, b: TimelineItem): number {
  return a.at - b.at || a.seq - b.seq
}
