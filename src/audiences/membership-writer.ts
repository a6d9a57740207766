import type { Kysely } from 'kysely'
import { chunked, insertRows, type DialectName, type Schema } from '../platform/index.ts'
import type { SystemEvent } from '../ingest/index.ts'

export const AUDIENCE_ENTERED = 'Audience Entered'
export const AUDIENCE_EXITED = 'Audience Exited'

/**
 * Membership changes made in one transaction, and the `Audience Entered` / `Audience Exited`
 * events that record them. The events are appended to the log at the end of the transaction
 * (see `flushMembershipEvents`), so they commit with the change or not at all.
 */
export class MembershipChanges {
  readonly events: SystemEvent[] = []
  entered = 0
  exited = 0
  /** Entries and exits per audience. */
  readonly byAudience = new Map<string, { entered: number; exited: number }>()

  note(audienceId: string, kind: 'entered' | 'exited'): void {
    let counts = this.byAudience.get(audienceId)
    if (!counts) this.byAudience.set(audienceId, (counts = { entered: 0, exited: 0 }))
    counts[kind]++
    this[kind]++
  }
}

interface AudienceRef {
  id: string
  name: string
  workspaceId: string
}

/**
 * Adds members; only rows actually inserted get an `Audience Entered` event, so two transactions
 * racing to add one person (PostgreSQL) record the entry once.
 */
export async function addMembers(trx: Kysely<Schema>, dialect: DialectName, audience: AudienceRef, profileIds: Iterable<string>, now: number, changes: MembershipChanges): Promise<string[]> {
  const added: string[] = []
  for (const part of chunked([...profileIds], 5_000)) {
    const rows = await insertRows<{ profile_id: string }>(
      trx,
      dialect,
      'audience_members',
      ['workspace_id', 'audience_id', 'profile_id', 'entered_at'],
      part.map((id) => [audience.workspaceId, audience.id, id, now]),
      { ignoreConflicts: true, returning: ['profile_id'] },
    )
    for (const { profile_id } of rows) {
      added.push(profile_id)
      changes.note(audience.id, 'entered')
      changes.events.push(membershipEvent(AUDIENCE_ENTERED, audience, profile_id, now))
    }
  }
  return added
}

/**
 * Removes members; rows actually deleted get an `Audience Exited` event — except people whose
 * profile no longer exists (a data-subject deletion), about whom nothing new is written.
 */
export async function removeMembers(trx: Kysely<Schema>, audience: AudienceRef, profileIds: Iterable<string>, now: number, changes: MembershipChanges, gone: ReadonlySet<string> = new Set()): Promise<string[]> {
  const removed: string[] = []
  for (const part of chunked([...profileIds], 5_000)) {
    const rows = await trx.deleteFrom('audience_members').where('audience_id', '=', audience.id).where('profile_id', 'in', part).returning('profile_id').execute()
    for (const { profile_id } of rows) {
      removed.push(profile_id)
      changes.note(audience.id, 'exited')
      if (!gone.has(profile_id)) changes.events.push(membershipEvent(AUDIENCE_EXITED, audience, profile_id, now))
    }
  }
  return removed
}

function membershipEvent(event: string, audience: AudienceRef, profileId: string, now: number): SystemEvent {
  return { profileId, event, properties: { audienceId: audience.id, audienceName: audience.name }, timestamp: now, source: 'audiences' }
}
