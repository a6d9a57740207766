import { z } from 'zod'
import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { compileMatcher, PropertyFilter } from './event-matcher.ts'
import { membersOf } from './audience-membership.ts'
import { InvalidMeasurementInput } from './input-error.ts'
import { canonicalPeople, scanPersonEvents } from './person-log.ts'
import { DAY_MS, Instant, parseInstant } from './time-window.ts'

/**
 * Who was in which group of an experiment, and since when (their exposure). Three generic inputs,
 * so a journey split, a hold-out, or any other test can be read the same way:
 *
 * - `profiles`: explicit lists of profile ids per group, all exposed at `startAt`;
 * - `event`: an assignment event in the log (e.g. a journey writing `Experiment Assigned` with a
 *   `variant` property): a person's group is that property of their first such event, their
 *   exposure its time;
 * - `bucket`: deterministic hashing of the canonical profile id with a salt into weighted buckets
 *   (see `bucketOf`, which whoever splits traffic should call so analysis sees the same split), over
 *   an audience or everyone active in the days before `startAt`.
 *
 * People are canonical: merged profile ids count once, as their survivor. A person found in two
 * groups is excluded and counted.
 */
const GroupName = z.string().min(1).max(100)

export const ExperimentAssignment = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('profiles'),
    groups: z.array(z.object({ name: GroupName, profileIds: z.array(z.string().min(1)).min(1).max(200_000) })).min(2).max(10),
    startAt: Instant,
  }),
  z.object({
    kind: z.literal('event'),
    event: z.string().min(1).describe('The assignment event name'),
    property: z.string().min(1).describe('The property holding the group name'),
    where: z.array(PropertyFilter).default([]).describe('Filters picking this experiment’s assignments (e.g. journeyId)'),
    from: Instant.optional(),
    to: Instant.optional(),
  }),
  z.object({
    kind: z.literal('bucket'),
    salt: z.string().min(1).max(200),
    buckets: z.array(z.object({ name: GroupName, weight: z.number().positive() })).min(2).max(10),
    startAt: Instant,
    audienceId: z.string().min(1).optional().describe('Population: this audience’s members (else everyone active before startAt)'),
    activeDays: z.number().positive().max(3650).default(90),
  }),
])
export type ExperimentAssignment = z.infer<typeof ExperimentAssignment>

export interface Assignment {
  /** person → group name and exposure time. */
  people: Map<string, { group: string; exposedAt: number }>
  groupNames: string[]
  excluded: { inSeveralGroups: number; unknownProfiles: number }
}

export async function resolveAssignment(db: Kysely<Schema>, workspaceId: string, input: ExperimentAssignment): Promise<Assignment> {
  if (input.kind === 'profiles') return fromProfiles(db, workspaceId, input)
  if (input.kind === 'event') return fromEvents(db, workspaceId, input)
  return fromBuckets(db, workspaceId, input)
}

async function fromProfiles(db: Kysely<Schema>, workspaceId: string, input: Extract<ExperimentAssignment, { kind: 'profiles' }>): Promise<Assignment> {
  const startAt = parseInstant(input.startAt, 'startAt')
  const canonical = await canonicalPeople(db, workspaceId, input.groups.flatMap((g) => g.profileIds))
  const groupsOf = new Map<string, Set<string>>()
  let unknown = 0
  for (const g of input.groups) {
    for (const id of new Set(g.profileIds)) {
      const person = canonical.get(id)
      if (!person) {
        unknown++
        continue
      }
      let set = groupsOf.get(person)
      if (!set) groupsOf.set(person, (set = new Set()))
      set.add(g.name)
    }
  }
  return finish(groupsOf, () => startAt, input.groups.map((g) => g.name), unknown)
}

async function fromEvents(db: Kysely<Schema>, workspaceId: string, input: Extract<ExperimentAssignment, { kind: 'event' }>): Promise<Assignment> {
  const matches = compileMatcher({ event: input.event, where: input.where })
  const from = input.from ? parseInstant(input.from, 'from') : undefined
  const to = input.to ? parseInstant(input.to, 'to') : undefined
  const scope = { names: [input.event], types: [], orders: false, propertiesFor: new Set([input.event]), needsProperties: true }
  const groupsOf = new Map<string, Set<string>>()
  const first = new Map<string, number>()
  for await (const page of scanPersonEvents(db, { workspaceId, from, to, scope })) {
    for (const e of page) {
      if (!matches(e)) continue
      const value = e.properties?.[input.property]
      if (value === undefined || value === null || value === '') continue
      let set = groupsOf.get(e.person)
      if (!set) groupsOf.set(e.person, (set = new Set()))
      set.add(String(value))
      first.set(e.person, Math.min(first.get(e.person) ?? Number.POSITIVE_INFINITY, e.timestamp))
    }
  }
  const names = [...new Set([...groupsOf.values()].flatMap((s) => [...s]))].sort()
  return finish(groupsOf, (person) => first.get(person)!, names, 0)
}

async function fromBuckets(db: Kysely<Schema>, workspaceId: string, input: Extract<ExperimentAssignment, { kind: 'bucket' }>): Promise<Assignment> {
  const startAt = parseInstant(input.startAt, 'startAt')
  let population: Iterable<string>
  if (input.audienceId) population = (await membersOf(db, workspaceId, [input.audienceId])).get(input.audienceId)!
  else {
    const active = new Set<string>()
    for await (const page of scanPersonEvents(db, { workspaceId, from: startAt - input.activeDays * DAY_MS, to: startAt })) for (const e of page) if (!e.system) active.add(e.person)
    population = active
  }
  const groupsOf = new Map<string, Set<string>>()
  for (const person of population) groupsOf.set(person, new Set([bucketOf(input.salt, person, input.buckets)]))
  return finish(groupsOf, () => startAt, input.buckets.map((b) => b.name), 0)
}

function finish(groupsOf: Map<string, Set<string>>, exposure: (person: string) => number, groupNames: string[], unknownProfiles: number): Assignment {
  if (new Set(groupNames).size !== groupNames.length) throw new InvalidMeasurementInput('Group names must be unique')
  const people = new Map<string, { group: string; exposedAt: number }>()
  let inSeveralGroups = 0
  for (const [person, groups] of groupsOf) {
    if (groups.size > 1) inSeveralGroups++
    else people.set(person, { group: [...groups][0]!, exposedAt: exposure(person) })
  }
  return { people, groupNames, excluded: { inSeveralGroups, unknownProfiles } }
}

/**
 * The bucket of a canonical profile id: FNV-1a (32-bit) of `salt:profileId`, mapped onto the
 * buckets' cumulative weights. Deterministic, so the split and its analysis agree.
 *
 * @example bucketOf('welcome-journey-v2', 'prf_01…', [{ name: 'control', weight: 10 }, { name: 'journey', weight: 90 }])
 */
export function bucketOf(salt: string, profileId: string, buckets: ReadonlyArray<{ name: string; weight: number }>): string {
  let hash = 0x811c9dc5
  const text = `${salt}:${profileId}`
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  const total = buckets.reduce((s, b) => s + b.weight, 0)
  let point = (hash / 0x1_0000_0000) * total
  for (const b of buckets) {
    if (point < b.weight) return b.name
    point -= b.weight
  }
  return buckets[buckets.length - 1]!.name
}
