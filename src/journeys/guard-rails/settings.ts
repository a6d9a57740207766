import type { Kysely } from 'kysely'
import { z } from 'zod'
import { readJson, writeJson, type Schema } from '../../platform/index.ts'
import { Category } from '../definition/schema.ts'

const LocalTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: 'expected a local time "HH:MM" (24-hour)' })
const ChannelScope = z.union([z.literal('*'), z.array(z.string().min(1)).min(1)])

/**
 * At most `limit` messages per person per calendar `period` in the person's timezone, counted
 * over `channels` together (`*`: every channel) and the given categories.
 *
 * @example { "channels": "*", "limit": 2, "period": "day" } // at most 2 marketing messages a day, all channels
 */
export const FrequencyCap = z.strictObject({
  channels: ChannelScope.default('*'),
  categories: z.array(Category).min(1).default(['marketing']),
  limit: z.number().int().min(0).max(1000),
  period: z.enum(['day', 'week']).default('day'),
})
export type FrequencyCap = z.infer<typeof FrequencyCap>

/**
 * No messages on `channels` between `start` and `end`, the person's local time (a window may wrap
 * midnight: 21:00-08:00). `mode` must be chosen: `hold` delivers when the window ends, `skip`
 * drops the message (recorded as blocked).
 */
export const QuietHours = z
  .strictObject({
    channels: ChannelScope.default('*'),
    categories: z.array(Category).min(1).default(['marketing']),
    start: LocalTime,
    end: LocalTime,
    mode: z.enum(['hold', 'skip'], { error: 'mode is required: "hold" (deliver when quiet hours end) or "skip" (drop the message)' }),
  })
  .refine((q) => q.start !== q.end, { error: 'quiet hours need a start and end that differ' })
export type QuietHours = z.infer<typeof QuietHours>

export const GuardRails = z.strictObject({
  frequencyCaps: z.array(FrequencyCap).default([]),
  quietHours: z.array(QuietHours).default([]),
})
export type GuardRails = z.infer<typeof GuardRails>

export const NO_GUARD_RAILS: GuardRails = { frequencyCaps: [], quietHours: [] }

/** The workspace's guard rails (none until set). */
export async function getGuardRails(db: Kysely<Schema>, workspaceId: string): Promise<GuardRails> {
  const row = await db.selectFrom('journey_settings').select('guard_rails').where('workspace_id', '=', workspaceId).executeTakeFirst()
  return row ? GuardRails.parse(readJson(row.guard_rails, {})) : NO_GUARD_RAILS
}

/** Replaces the workspace's guard rails; they apply to every send decided from now on. */
export async function putGuardRails(db: Kysely<Schema>, workspaceId: string, rails: GuardRails, now: number): Promise<GuardRails> {
  await db
    .insertInto('journey_settings')
    .values({ workspace_id: workspaceId, guard_rails: writeJson(rails), updated_at: now })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ guard_rails: writeJson(rails), updated_at: now }))
    .execute()
  return rails
}

export function appliesTo(scope: '*' | string[], categories: readonly string[], channel: string, category: string): boolean {
  return (scope === '*' || scope.includes(channel)) && categories.includes(category)
}

/**
 * What deciding a batch of sends needs from the workspace, in one query: its guard rails and the
 * timezone of people who have none of their own.
 */
export async function sendSettings(db: Kysely<Schema>, workspaceId: string): Promise<{ rails: GuardRails; timeZone: string }> {
  const row = await db
    .selectFrom('workspaces as w')
    .leftJoin('journey_settings as s', 's.workspace_id', 'w.id')
    .select(['w.settings', 's.guard_rails'])
    .where('w.id', '=', workspaceId)
    .executeTakeFirst()
  const zone = readJson<{ timezone?: unknown }>(row?.settings, {}).timezone
  return {
    rails: row?.guard_rails ? GuardRails.parse(readJson(row.guard_rails, {})) : NO_GUARD_RAILS,
    timeZone: typeof zone === 'string' && zone ? zone : 'Asia/Shanghai',
  }
}
