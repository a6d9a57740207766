import { sql, type Kysely } from 'kysely'
import { chunked, type DialectName, type Schema } from '../../platform/index.ts'
import { localDay, localWeek } from '../time/zoned-time.ts'
import { appliesTo, type FrequencyCap } from './settings.ts'

export interface CapCandidate {
  key: string
  profileId: string
  channel: string
  category: string
  timeZone: string
}

interface PriorSend {
  channel: string
  category: string
  decidedAt: number
}

/** A cap as people read it: `2/day on *` or `1/week on sms+wechat`. */
export function capLabel(cap: FrequencyCap): string {
  return `${cap.limit}/${cap.period} on ${cap.channels === '*' ? '*' : [...cap.channels].sort().join('+')}`
}

/**
 * Decides which candidates stay within every frequency cap, counting sends already let through
 * (from the outbox, journeys and broadcasts alike) in the person's current calendar day or week —
 * to their surviving profile and to every profile since merged into it — plus the candidates
 * approved before them in this call. Candidates name the surviving profile. Returns, per blocked key, the cap that
 * blocked it.
 *
 * The caller holds `lockPeople` for these people in the same transaction, so two workers cannot
 * both approve the last slot.
 */
export async function decideCaps(trx: Kysely<Schema>, input: { workspaceId: string; candidates: readonly CapCandidate[]; caps: readonly FrequencyCap[]; now: number }): Promise<Map<string, string>> {
  const blocked = new Map<string, string>()
  if (input.caps.length === 0 || input.candidates.length === 0) return blocked
  const horizon = input.now - 8 * 86_400_000
  const prior = new Map<string, PriorSend[]>()
  const sendsOf = async (profileIds: readonly string[], personOf: (profileId: string) => string) => {
    const rows = await trx
      .selectFrom('journey_sends')
      .select(['profile_id', 'channel', 'category', 'decided_at'])
      .where('workspace_id', '=', input.workspaceId)
      .where('profile_id', 'in', profileIds)
      .where('decided_at', '>=', horizon)
      .where('state', 'in', ['sending', 'sent'])
      .where('kind', '=', 'message')
      .execute()
    for (const r of rows) {
      const person = personOf(r.profile_id)
      const list = prior.get(person) ?? []
      list.push({ channel: r.channel ?? '', category: r.category, decidedAt: Number(r.decided_at) })
      prior.set(person, list)
    }
  }
  for (const part of chunked([...new Set(input.candidates.map((c) => c.profileId))], 5_000)) {
    await sendsOf(part, (id) => id)
    // Sends recorded under profiles since merged into these people are theirs too: the merged
    // profiles first (`merged_into` always names the final survivor), then their sends, both by
    // index — joined in one statement, SQLite's planner may walk every send instead.
    const merged = await trx.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', input.workspaceId).where('merged_into', 'in', part).execute()
    const survivor = new Map(merged.map((m) => [m.id, m.merged_into!]))
    for (const ids of chunked([...survivor.keys()], 5_000)) await sendsOf(ids, (id) => survivor.get(id)!)
  }
  // Most people share a few timezones: each zone's day and week are worked out once.
  const periods = new Map<string, { start: number; end: number }>()
  const periodOf = (kind: 'day' | 'week', timeZone: string) => {
    const key = `${kind}:${timeZone}`
    let period = periods.get(key)
    if (!period) periods.set(key, (period = kind === 'day' ? localDay(input.now, timeZone) : localWeek(input.now, timeZone)))
    return period
  }
  for (const candidate of input.candidates) {
    const sends = prior.get(candidate.profileId) ?? []
    let refusal: string | null = null
    for (const cap of input.caps) {
      if (!appliesTo(cap.channels, cap.categories, candidate.channel, candidate.category)) continue
      const period = periodOf(cap.period, candidate.timeZone)
      let used = 0
      for (const s of sends) if (s.decidedAt >= period.start && s.decidedAt < period.end && appliesTo(cap.channels, cap.categories, s.channel, s.category)) used++
      if (used >= cap.limit) {
        refusal = capLabel(cap)
        break
      }
    }
    if (refusal) blocked.set(candidate.key, refusal)
    else {
      sends.push({ channel: candidate.channel, category: candidate.category, decidedAt: input.now })
      prior.set(candidate.profileId, sends)
    }
  }
  return blocked
}

/**
 * Serialises decisions about the same people across workers: on PostgreSQL a transaction-scoped
 * advisory lock per person, taken in a fixed order so two batches cannot deadlock; SQLite has one
 * writer already.
 */
export async function lockPeople(trx: Kysely<Schema>, dialect: DialectName, workspaceId: string, profileIds: readonly string[]): Promise<void> {
  if (dialect !== 'postgres' || profileIds.length === 0) return
  const keys = [...new Set(profileIds)].sort().map((id) => `journeys:${workspaceId}:${id}`)
  for (const part of chunked(keys, 1_000)) {
    // unnest yields the array in order, so locks are taken in sorted order.
    await sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${part}::text[]) as t(k)`.execute(trx)
  }
}
