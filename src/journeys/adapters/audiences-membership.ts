import type { Database } from '../../platform/index.ts'
import { audienceExists, audienceMembers, isMember } from '../../audiences/index.ts'
import type { AudienceMembership } from '../ports.ts'

/**
 * Membership as the audiences module keeps it (its membership table, updated in real time from
 * the log and by scheduled sweeps).
 *
 * @example const audiences = new AudiencesMembership(database)
 */
export class AudiencesMembership implements AudienceMembership {
  readonly #database: Database

  constructor(database: Database) {
    this.#database = database
  }

  isMember(workspaceId: string, audienceId: string, profileId: string): Promise<boolean> {
    return isMember(this.#database.db, workspaceId, audienceId, profileId)
  }

  members(workspaceId: string, audienceId: string, page: { after: string | null; limit: number }): Promise<string[]> {
    return audienceMembers(this.#database.db, workspaceId, audienceId, page)
  }

  exists(workspaceId: string, audienceId: string): Promise<boolean> {
    return audienceExists(this.#database.db, workspaceId, audienceId)
  }
}
