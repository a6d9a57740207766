import type { Identifier } from '../ingest/message.ts'
import type { CompiledRules } from './rules.ts'
import { normaliseIdentifierValue } from './normalise.ts'
import type { GraphProfile, IdentityGraph, RefusalRecord } from './graph.ts'

export interface Resolution {
  /** The surviving profile the message belongs to; null when it carried no usable identifier. */
  profileId: string | null
  /** Identifiers (normalised) that link to the profile. */
  linked: Identifier[]
  /** Identifiers kept on the event but not used for linking, with why. */
  dropped: Array<Identifier & { reason: string }>
  /** Profiles this message merged into `profileId`. */
  mergedIds: string[]
  created: boolean
}

/**
 * Normalises a message's raw identifiers: values normalised by type, blocked placeholders and
 * duplicates removed, sorted by the workspace's priority.
 */
export function prepareIdentifiers(raw: readonly Identifier[], rules: CompiledRules): { usable: Identifier[]; blocked: Identifier[] } {
  const seen = new Set<string>()
  const usable: Identifier[] = []
  const blocked: Identifier[] = []
  for (const identifier of raw) {
    const value = normaliseIdentifierValue(identifier.type, identifier.value, rules.rules.defaultCountryCode)
    if (value === null || rules.isBlocked(value)) {
      blocked.push(identifier)
      continue
    }
    const k = `${identifier.type}\u0000${value}`
    if (seen.has(k)) continue
    seen.add(k)
    usable.push({ type: identifier.type, value })
  }
  usable.sort((a, b) => rules.rank(a.type) - rules.rank(b.type))
  return { usable, blocked }
}

/**
 * Resolves one message's identifiers to a profile (the approach of Segment's identity
 * resolution): identifiers are taken from most to least trusted; an identifier already linked
 * elsewhere merges that profile in, unless the merge would give one profile more values of a type
 * than its limit allows (two different user ids), in which case that identifier is dropped from
 * linking and the refusal recorded. A new identifier attaches when under its limit. Merges keep
 * the oldest profile.
 *
 * @example resolveIdentities({ graph, rules, identifiers: [{type:'user_id', value:'u1'}, {type:'anonymous_id', value:'a1'}], messageId, newProfileId, now })
 */
export function resolveIdentities(input: {
  graph: IdentityGraph
  rules: CompiledRules
  identifiers: readonly Identifier[]
  messageId: string
  newProfileId: () => string
  now: number
}): Resolution {
  const { graph, rules, messageId } = input
  // The identifiers this person will hold, per type: the current profile's plus new ones planned.
  let current: GraphProfile | null = null
  const planned = new Map<string, Set<string>>()
  const toAttach: Identifier[] = []
  const linked: Identifier[] = []
  const dropped: Resolution['dropped'] = []
  const mergedIds: string[] = []
  const refusals: RefusalRecord[] = []

  const countOf = (type: string) => (current?.identities.get(type)?.size ?? 0) + (planned.get(type)?.size ?? 0)

  for (const identifier of input.identifiers) {
    const ownerId = graph.ownerOf(identifier.type, identifier.value)
    if (ownerId === undefined) {
      if (countOf(identifier.type) >= rules.limit(identifier.type)) {
        dropped.push({ ...identifier, reason: `limit of ${rules.limit(identifier.type)} ${identifier.type} per profile reached` })
        continue
      }
      let set = planned.get(identifier.type)
      if (!set) planned.set(identifier.type, (set = new Set()))
      set.add(identifier.value)
      toAttach.push(identifier)
      linked.push(identifier)
      continue
    }
    if (current && ownerId === current.id) {
      linked.push(identifier)
      continue
    }
    const owner: GraphProfile = graph.profile(ownerId)!
    const conflict = mergeConflict(owner, current, planned, rules)
    if (conflict) {
      dropped.push({ ...identifier, reason: conflict })
      refusals.push({
        profileId: null,
        otherProfileId: owner.id,
        messageId,
        identifiers: [identifier],
        reason: conflict,
      })
      continue
    }
    if (!current) {
      current = owner
    } else {
      const [survivor, merged] = older(current, owner)
      graph.merge({
        survivorId: survivor.id,
        mergedId: merged.id,
        messageId,
        identifiers: [identifier],
        reason: `${identifier.type} ${identifier.value} links both profiles`,
      })
      mergedIds.push(merged.id)
      current = survivor
    }
    linked.push(identifier)
  }

  let created = false
  if (!current && toAttach.length > 0) {
    current = graph.createProfile(input.newProfileId(), input.now)
    created = true
  }
  if (current) {
    for (const identifier of toAttach) if (!current.identities.get(identifier.type)?.has(identifier.value)) graph.attach(current.id, identifier)
  }
  // A refusal names the profile the message went to, which may only exist now.
  for (const refusal of refusals) graph.refusals.push({ ...refusal, profileId: current?.id ?? null })
  return { profileId: current?.id ?? null, linked, dropped, mergedIds, created }
}

/** Why `other` cannot join the person being resolved, or null when it can. */
function mergeConflict(
  other: GraphProfile,
  current: GraphProfile | null,
  planned: Map<string, Set<string>>,
  rules: CompiledRules,
): string | null {
  const types = new Set([...other.identities.keys(), ...planned.keys(), ...(current?.identities.keys() ?? [])])
  for (const type of types) {
    const union = new Set([...(other.identities.get(type) ?? []), ...(planned.get(type) ?? []), ...(current?.identities.get(type) ?? [])])
    if (union.size > rules.limit(type)) {
      const mine = [...(planned.get(type) ?? []), ...(current?.identities.get(type) ?? [])]
      const theirs = [...(other.identities.get(type) ?? [])]
      return `merge refused: would give one profile ${union.size} ${type} values (limit ${rules.limit(type)}): ${mine.join(', ')} and ${theirs.join(', ')}`
    }
  }
  return null
}

function older(a: GraphProfile, b: GraphProfile): [GraphProfile, GraphProfile] {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? [a, b] : [b, a]
  return a.id < b.id ? [a, b] : [b, a]
}
