import type { Identifier } from '../ingest/message.ts'

/** One profile's place in the graph: when it was created and the identifiers it holds. */
export interface GraphProfile {
  id: string
  createdAt: number
  identities: Map<string, Set<string>>
}

export interface MergeRecord {
  survivorId: string
  mergedId: string
  messageId: string
  identifiers: Identifier[]
  reason: string
}

export interface RefusalRecord {
  /** The profile the message resolved to; the identifier stayed where it was. */
  profileId: string | null
  /** The profile the dropped identifier belongs to, when it was linked elsewhere. */
  otherProfileId: string | null
  messageId: string
  identifiers: Identifier[]
  reason: string
}

const key = (type: string, value: string) => `${type}\u0000${value}`

/**
 * The part of a workspace's identity graph that one batch of messages touches, loaded in one
 * query and changed in memory; the writer then saves the changes in the same transaction. Every
 * lookup goes through here so messages later in a batch see what earlier ones linked.
 */
export class IdentityGraph {
  readonly #owner = new Map<string, string>()
  readonly #profiles = new Map<string, GraphProfile>()
  readonly newIdentities: Array<Identifier & { profileId: string }> = []
  readonly removedIdentities: Identifier[] = []
  readonly merges: MergeRecord[] = []
  readonly refusals: RefusalRecord[] = []
  readonly newProfiles: GraphProfile[] = []

  /** Adds a row as loaded from storage. */
  load(row: { type: string; value: string; profileId: string; profileCreatedAt: number }): void {
    this.#owner.set(key(row.type, row.value), row.profileId)
    let profile = this.#profiles.get(row.profileId)
    if (!profile) {
      profile = { id: row.profileId, createdAt: row.profileCreatedAt, identities: new Map() }
      this.#profiles.set(row.profileId, profile)
    }
    addTo(profile.identities, row.type, row.value)
  }

  /** Every profile loaded or created so far. */
  profileIds(): string[] {
    return [...this.#profiles.keys()]
  }

  ownerOf(type: string, value: string): string | undefined {
    return this.#owner.get(key(type, value))
  }

  profile(id: string): GraphProfile | undefined {
    return this.#profiles.get(id)
  }

  createProfile(id: string, createdAt: number): GraphProfile {
    const profile: GraphProfile = { id, createdAt, identities: new Map() }
    this.#profiles.set(id, profile)
    this.newProfiles.push(profile)
    return profile
  }

  attach(profileId: string, identifier: Identifier): void {
    const profile = this.#profiles.get(profileId)!
    addTo(profile.identities, identifier.type, identifier.value)
    this.#owner.set(key(identifier.type, identifier.value), profileId)
    this.newIdentities.push({ ...identifier, profileId })
  }

  /** Moves every identifier of `mergedId` onto `survivorId`. */
  merge(record: MergeRecord): void {
    const survivor = this.#profiles.get(record.survivorId)!
    const merged = this.#profiles.get(record.mergedId)!
    for (const [type, values] of merged.identities) {
      for (const value of values) {
        addTo(survivor.identities, type, value)
        this.#owner.set(key(type, value), survivor.id)
      }
    }
    merged.identities.clear()
    this.#profiles.delete(merged.id)
    // Identifiers first attached in this batch were queued under the merged profile.
    for (const pending of this.newIdentities) if (pending.profileId === merged.id) pending.profileId = survivor.id
    this.merges.push(record)
  }

  detach(identifier: Identifier): string | undefined {
    const k = key(identifier.type, identifier.value)
    const owner = this.#owner.get(k)
    if (!owner) return undefined
    this.#owner.delete(k)
    this.#profiles.get(owner)?.identities.get(identifier.type)?.delete(identifier.value)
    const pendingIndex = this.newIdentities.findIndex((n) => n.type === identifier.type && n.value === identifier.value)
    if (pendingIndex >= 0) this.newIdentities.splice(pendingIndex, 1)
    else this.removedIdentities.push(identifier)
    return owner
  }
}

function addTo(map: Map<string, Set<string>>, type: string, value: string): void {
  let set = map.get(type)
  if (!set) {
    set = new Set()
    map.set(type, set)
  }
  set.add(value)
}
