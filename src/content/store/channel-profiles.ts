import type { Kysely } from 'kysely'
import { readJson, writeJson, type Schema } from '../../platform/index.ts'
import { customiseChannelProfile, parseChannelProfile, type ChannelProfile, type ChannelProfileChange } from '../channel-profile.ts'
import { DEFAULT_CHANNEL_PROFILES } from '../default-channels.ts'
import { invalid, notFound, ok, type Actor, type Outcome } from './outcome.ts'

/**
 * Channel profiles per workspace: the shipped defaults (DEFAULT_CHANNEL_PROFILES) unless the
 * workspace has saved its own version of a profile, either an edited default or a channel of its
 * own. The checker always runs with the workspace's effective set.
 */

export interface ChannelProfileView {
  profile: ChannelProfile
  /** The shipped profile of this id exists (so a reset brings it back). */
  hasDefault: boolean
  /** The workspace changed the shipped profile, or defined the channel itself. */
  customised: boolean
  updatedAt: string | null
  updatedBy: string | null
}

type Db = Kysely<Schema>

const DEFAULTS: Readonly<Record<string, ChannelProfile>> = DEFAULT_CHANNEL_PROFILES

/** The profiles in force for a workspace, by id (defaults overlaid with the workspace's own). */
export async function effectiveChannelProfiles(db: Db, workspaceId: string): Promise<ChannelProfileView[]> {
  const rows = await db.selectFrom('content_channel_profiles').selectAll().where('workspace_id', '=', workspaceId).execute()
  const own = new Map(rows.map((r) => [r.channel_id, r]))
  const views: ChannelProfileView[] = Object.values(DEFAULTS).map((profile) => {
    const row = own.get(profile.id)
    return row
      ? { profile: readProfile(row.profile), hasDefault: true, customised: true, updatedAt: iso(row.updated_at), updatedBy: row.updated_by }
      : { profile, hasDefault: true, customised: false, updatedAt: null, updatedBy: null }
  })
  for (const row of rows) {
    if (DEFAULTS[row.channel_id]) continue
    views.push({ profile: readProfile(row.profile), hasDefault: false, customised: true, updatedAt: iso(row.updated_at), updatedBy: row.updated_by })
  }
  return views.sort((a, b) => (a.profile.id < b.profile.id ? -1 : 1))
}

export async function getChannelProfile(db: Db, workspaceId: string, channelId: string): Promise<ChannelProfileView | null> {
  return (await effectiveChannelProfiles(db, workspaceId)).find((v) => v.profile.id === channelId) ?? null
}

/**
 * Saves a whole profile under its id: replaces the default of that id for this workspace, or
 * defines a new channel.
 *
 * @example
 * await putChannelProfile(db, { workspaceId, channelId: 'bilibili-dynamic', input: { id: 'bilibili-dynamic', name: 'B站动态', rules: [] }, actor, now })
 */
export async function putChannelProfile(
  db: Db,
  input: { workspaceId: string; channelId: string; input: unknown; actor: Actor; now: number },
): Promise<Outcome<ChannelProfileView>> {
  const parsed = parseChannelProfile(input.input)
  if (!parsed.ok) return invalid(`the channel profile is not valid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, parsed.issues)
  if (parsed.profile.id !== input.channelId) {
    return invalid(`the profile's id "${parsed.profile.id}" differs from the channel "${input.channelId}" in the path`)
  }
  await save(db, input.workspaceId, parsed.profile, input.actor, input.now)
  return ok({ profile: parsed.profile, hasDefault: Boolean(DEFAULTS[input.channelId]), customised: true, updatedAt: iso(input.now), updatedBy: input.actor.id })
}

/**
 * Edits the profile in force: rules to add or replace (by id), rule ids to drop, a new name or
 * expected pillar count — validated with the engine's customiseChannelProfile.
 */
export async function changeChannelProfile(
  db: Db,
  input: { workspaceId: string; channelId: string; change: ChannelProfileChange; actor: Actor; now: number },
): Promise<Outcome<ChannelProfileView>> {
  const current = await getChannelProfile(db, input.workspaceId, input.channelId)
  if (!current) return notFound(`no channel profile "${input.channelId}"; PUT a whole profile to define a new channel`)
  const changed = customiseChannelProfile(current.profile, input.change)
  if (!changed.ok) return invalid(`the change is not valid: ${changed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, changed.issues)
  await save(db, input.workspaceId, changed.profile, input.actor, input.now)
  return ok({ profile: changed.profile, hasDefault: current.hasDefault, customised: true, updatedAt: iso(input.now), updatedBy: input.actor.id })
}

/** Drops the workspace's version: a default comes back as shipped, an own channel disappears. */
export async function resetChannelProfile(db: Db, input: { workspaceId: string; channelId: string }): Promise<Outcome<{ channelId: string; restoredDefault: boolean }>> {
  const deleted = await db
    .deleteFrom('content_channel_profiles')
    .where('workspace_id', '=', input.workspaceId)
    .where('channel_id', '=', input.channelId)
    .executeTakeFirst()
  if (Number(deleted.numDeletedRows) === 0) return notFound(`the workspace has no version of channel "${input.channelId}" to reset`)
  return ok({ channelId: input.channelId, restoredDefault: Boolean(DEFAULTS[input.channelId]) })
}

async function save(db: Db, workspaceId: string, profile: ChannelProfile, actor: Actor, now: number): Promise<void> {
  await db
    .insertInto('content_channel_profiles')
    .values({ workspace_id: workspaceId, channel_id: profile.id, profile: writeJson(profile), updated_by: actor.id, updated_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel_id']).doUpdateSet({ profile: writeJson(profile), updated_by: actor.id, updated_at: now }))
    .execute()
}

function readProfile(value: unknown): ChannelProfile {
  const parsed = parseChannelProfile(readJson(value, {}))
  if (!parsed.ok) throw new Error(`stored channel profile no longer validates: ${parsed.issues.map((i) => i.message).join('; ')}`)
  return parsed.profile
}

const iso = (ms: number) => new Date(ms).toISOString()
