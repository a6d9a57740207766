import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { audienceExists, audienceMembers } from '../../audiences/index.ts'
import { InvalidMeasurementInput } from './input-error.ts'

/**
 * Current members of audiences, for funnel breakdowns and experiment populations. Membership lives
 * on the surviving (canonical) profile, so members are people as the rest of this module counts
 * them. Read a page at a time through the audiences module.
 */
export async function membersOf(db: Kysely<Schema>, workspaceId: string, audienceIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const byAudience = new Map<string, Set<string>>()
  for (const audienceId of audienceIds) {
    if (!(await audienceExists(db, workspaceId, audienceId))) throw new InvalidMeasurementInput(`No audience ${audienceId} in this workspace`, { status: 404, code: 'NotFound' })
    const members = new Set<string>()
    let after: string | null = null
    for (;;) {
      const page = await audienceMembers(db, workspaceId, audienceId, { after, limit: 5000 })
      if (page.length === 0) break
      for (const id of page) members.add(id)
      after = page[page.length - 1]!
    }
    byAudience.set(audienceId, members)
  }
  return byAudience
}
