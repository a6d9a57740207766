import type { Kysely } from 'kysely'
import { newId, readJson, writeJson, type Database, type Schema } from '../../platform/index.ts'
import { JourneyDefinition } from '../definition/schema.ts'
import { enqueueInTransaction } from '../engine/enqueue.ts'

export type JourneyStatus = 'draft' | 'published' | 'paused' | 'archived'

export interface JourneyVersionSummary {
  version: number
  state: 'draft' | 'published' | 'superseded'
  createdAt: string
  publishedAt: string | null
}

export interface JourneyView {
  id: string
  name: string
  status: JourneyStatus
  /** The published version new people enter; null until the first publish. */
  currentVersion: number | null
  /** The version being edited, when there is one. */
  draftVersion: number | null
  versions: JourneyVersionSummary[]
  createdAt: string
  updatedAt: string
}

export type JourneyRefusal = { kind: 'NotFound' } | { kind: 'WrongStatus'; status: JourneyStatus; message: string } | { kind: 'NothingToPublish' }

export type JourneyChange = { kind: 'Ok'; journey: JourneyView } | JourneyRefusal

/** Job kinds that follow a status change through every run (a journey may hold many). */
export const RESUME_JOB = 'journeys.resume'
export const ARCHIVE_JOB = 'journeys.archive'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/**
 * Creates a journey with its first version as a draft.
 *
 * @example await createJourney(db, { workspaceId, name: 'Abandoned cart', definition, now })
 */
export async function createJourney(db: Kysely<Schema>, input: { workspaceId: string; name: string; definition: JourneyDefinition; now: number }): Promise<JourneyView> {
  const id = newId('jny', input.now)
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('journeys')
      .values({ id, workspace_id: input.workspaceId, name: input.name, status: 'draft', current_version: null, latest_version: 1, created_at: input.now, updated_at: input.now })
      .execute()
    await trx
      .insertInto('journey_versions')
      .values({ journey_id: id, version: 1, workspace_id: input.workspaceId, definition: writeJson(input.definition), state: 'draft', created_at: input.now, published_at: null })
      .execute()
  })
  return (await getJourney(db, input.workspaceId, id))!
}

export async function getJourney(db: Kysely<Schema>, workspaceId: string, id: string): Promise<JourneyView | null> {
  const row = await db.selectFrom('journeys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  if (!row) return null
  const versions = await db
    .selectFrom('journey_versions')
    .select(['version', 'state', 'created_at', 'published_at'])
    .where('journey_id', '=', id)
    .orderBy('version')
    .execute()
  const draft = versions.find((v) => v.state === 'draft')
  return {
    id: row.id,
    name: row.name,
    status: row.status as JourneyStatus,
    currentVersion: row.current_version,
    draftVersion: draft ? draft.version : null,
    versions: versions.map((v) => ({ version: v.version, state: v.state as JourneyVersionSummary['state'], createdAt: iso(v.created_at)!, publishedAt: iso(v.published_at) })),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  }
}

/** A page of journeys, newest first; the cursor is the last id of the previous page. */
export async function listJourneys(db: Kysely<Schema>, workspaceId: string, page: { limit: number; cursor?: string; status?: JourneyStatus }): Promise<{ items: JourneyView[]; nextCursor: string | null }> {
  let query = db.selectFrom('journeys').select('id').where('workspace_id', '=', workspaceId)
  if (page.status) query = query.where('status', '=', page.status)
  if (page.cursor) query = query.where('id', '<', page.cursor)
  const ids = await query.orderBy('id', 'desc').limit(page.limit + 1).execute()
  const items: JourneyView[] = []
  for (const { id } of ids.slice(0, page.limit)) items.push((await getJourney(db, workspaceId, id))!)
  return { items, nextCursor: ids.length > page.limit ? items[items.length - 1]!.id : null }
}

/** A version's definition as stored (published versions never change). */
export async function getVersionDefinition(db: Kysely<Schema>, workspaceId: string, journeyId: string, version: number): Promise<JourneyDefinition | null> {
  const row = await db
    .selectFrom('journey_versions')
    .select('definition')
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .where('version', '=', version)
    .executeTakeFirst()
  return row ? JourneyDefinition.parse(readJson(row.definition, {})) : null
}

/**
 * Saves an edit. Published versions are immutable: editing a journey whose latest version is
 * published starts a new draft version; editing a draft replaces it.
 */
export async function saveDraft(db: Kysely<Schema>, input: { workspaceId: string; journeyId: string; definition: JourneyDefinition; name?: string; now: number }): Promise<JourneyChange> {
  const outcome = await db.transaction().execute(async (trx): Promise<JourneyRefusal | null> => {
    const journey = await trx.selectFrom('journeys').selectAll().where('workspace_id', '=', input.workspaceId).where('id', '=', input.journeyId).executeTakeFirst()
    if (!journey) return { kind: 'NotFound' }
    if (journey.status === 'archived') return { kind: 'WrongStatus', status: 'archived', message: 'An archived journey cannot be edited' }
    const latest = await trx.selectFrom('journey_versions').select(['version', 'state']).where('journey_id', '=', input.journeyId).where('version', '=', journey.latest_version).executeTakeFirstOrThrow()
    if (latest.state === 'draft') {
      await trx.updateTable('journey_versions').set({ definition: writeJson(input.definition), created_at: input.now }).where('journey_id', '=', input.journeyId).where('version', '=', latest.version).execute()
    } else {
      await trx
        .insertInto('journey_versions')
        .values({ journey_id: input.journeyId, version: latest.version + 1, workspace_id: input.workspaceId, definition: writeJson(input.definition), state: 'draft', created_at: input.now, published_at: null })
        .execute()
    }
    await trx
      .updateTable('journeys')
      .set({ latest_version: latest.state === 'draft' ? latest.version : latest.version + 1, updated_at: input.now, ...(input.name ? { name: input.name } : {}) })
      .where('id', '=', input.journeyId)
      .execute()
    return null
  })
  return outcome ?? { kind: 'Ok', journey: (await getJourney(db, input.workspaceId, input.journeyId))! }
}

/**
 * Publishes the draft: it becomes the current version that new people enter; the previous one is
 * superseded, and the people inside it finish on it. `check` re-validates the draft against the
 * workspace as it is now (names may have been removed since it was saved).
 */
export async function publishDraft(
  db: Kysely<Schema>,
  input: { workspaceId: string; journeyId: string; now: number },
): Promise<JourneyChange> {
  const outcome = await db.transaction().execute(async (trx): Promise<JourneyRefusal | null> => {
    const journey = await trx.selectFrom('journeys').selectAll().where('workspace_id', '=', input.workspaceId).where('id', '=', input.journeyId).executeTakeFirst()
    if (!journey) return { kind: 'NotFound' }
    if (journey.status === 'archived') return { kind: 'WrongStatus', status: 'archived', message: 'An archived journey cannot be published' }
    const draft = await trx.selectFrom('journey_versions').select('version').where('journey_id', '=', input.journeyId).where('state', '=', 'draft').executeTakeFirst()
    if (!draft) return { kind: 'NothingToPublish' }
    await trx.updateTable('journey_versions').set({ state: 'superseded' }).where('journey_id', '=', input.journeyId).where('state', '=', 'published').execute()
    await trx.updateTable('journey_versions').set({ state: 'published', published_at: input.now }).where('journey_id', '=', input.journeyId).where('version', '=', draft.version).execute()
    await trx
      .updateTable('journeys')
      .set({ current_version: draft.version, status: journey.status === 'paused' ? 'paused' : 'published', updated_at: input.now })
      .where('id', '=', input.journeyId)
      .execute()
    return null
  })
  return outcome ?? { kind: 'Ok', journey: (await getJourney(db, input.workspaceId, input.journeyId))! }
}

/** The draft's definition, for re-validation before publishing. */
export async function draftDefinition(db: Kysely<Schema>, workspaceId: string, journeyId: string): Promise<unknown | null> {
  const row = await db
    .selectFrom('journey_versions')
    .select('definition')
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .where('state', '=', 'draft')
    .executeTakeFirst()
  return row ? readJson(row.definition, null) : null
}

/**
 * Pause: nobody new enters and runs hold where they are (a wait still notices its event). Resume:
 * held runs carry on. Archive: every run ends; the journey can no longer change.
 */
export async function setJourneyStatus(
  database: Database,
  input: { workspaceId: string; journeyId: string; action: 'pause' | 'resume' | 'archive'; now: number },
): Promise<JourneyChange> {
  const { db } = database
  const outcome = await db.transaction().execute(async (trx): Promise<JourneyRefusal | null> => {
    const journey = await trx.selectFrom('journeys').selectAll().where('workspace_id', '=', input.workspaceId).where('id', '=', input.journeyId).executeTakeFirst()
    if (!journey) return { kind: 'NotFound' }
    const status = journey.status as JourneyStatus
    let next: JourneyStatus
    if (input.action === 'pause') {
      if (status !== 'published') return { kind: 'WrongStatus', status, message: `Only a published journey can be paused; this one is ${status}` }
      next = 'paused'
    } else if (input.action === 'resume') {
      if (status !== 'paused') return { kind: 'WrongStatus', status, message: `Only a paused journey can be resumed; this one is ${status}` }
      next = 'published'
      await enqueueInTransaction(trx, { kind: RESUME_JOB, dedupeKey: `${RESUME_JOB}:${journey.id}:${input.now}`, workspaceId: input.workspaceId, payload: { journeyId: journey.id }, runAt: input.now }, input.now)
    } else {
      if (status === 'archived') return { kind: 'WrongStatus', status, message: 'The journey is already archived' }
      next = 'archived'
      await enqueueInTransaction(trx, { kind: ARCHIVE_JOB, dedupeKey: `${ARCHIVE_JOB}:${journey.id}`, workspaceId: input.workspaceId, payload: { journeyId: journey.id }, runAt: input.now }, input.now)
    }
    await trx.updateTable('journeys').set({ status: next, updated_at: input.now }).where('id', '=', journey.id).execute()
    return null
  })
  return outcome ?? { kind: 'Ok', journey: (await getJourney(db, input.workspaceId, input.journeyId))! }
}
