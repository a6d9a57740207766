import type { Kysely } from 'kysely'
import { newId, readJson, writeJson, type Schema } from '../../platform/index.ts'
import type { SearchIndex } from '../../content/index.ts'

/**
 * The knowledge base: lessons a team writes down after a campaign (what worked, what did not,
 * what to do next time), tagged with the channels and goal metrics they are about, indexed for
 * search in Chinese and English with the content hub's index (kind `lesson`).
 */
export interface Lesson {
  id: string
  campaignId: string | null
  title: string
  body: string
  channels: string[]
  metrics: string[]
  tags: string[]
  createdBy: string
  createdAt: string
}

type Db = Kysely<Schema>

function toLesson(row: Schema['campaign_lessons']): Lesson {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    title: row.title,
    body: row.body,
    channels: readJson(row.channels, []),
    metrics: readJson(row.metrics, []),
    tags: readJson(row.tags, []),
    createdBy: row.created_by,
    createdAt: new Date(Number(row.created_at)).toISOString(),
  }
}

export async function insertLesson(
  db: Db,
  search: SearchIndex,
  input: { workspaceId: string; campaignId: string | null; title: string; body: string; channels: string[]; metrics: string[]; tags: string[]; actor: string; now: number },
): Promise<Lesson> {
  const id = newId('lsn', input.now)
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('campaign_lessons')
      .values({
        id,
        workspace_id: input.workspaceId,
        campaign_id: input.campaignId,
        title: input.title,
        body: input.body,
        channels: writeJson(input.channels),
        metrics: writeJson(input.metrics),
        tags: writeJson(input.tags),
        created_by: input.actor,
        created_at: input.now,
      })
      .execute()
    await search.put(trx, { workspaceId: input.workspaceId, kind: 'lesson', refId: id, title: input.title, text: [input.body, ...input.tags, ...input.channels].join('\n'), now: input.now })
  })
  return (await readLessons(db, input.workspaceId, { ids: [id] }))[0]!
}

export async function readLessons(db: Db, workspaceId: string, filter: { ids?: readonly string[]; campaignId?: string } = {}): Promise<Lesson[]> {
  let query = db.selectFrom('campaign_lessons').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id')
  if (filter.ids) {
    if (filter.ids.length === 0) return []
    query = query.where('id', 'in', [...filter.ids])
  }
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId)
  return (await query.execute()).map(toLesson)
}

export async function deleteLesson(db: Db, search: SearchIndex, input: { workspaceId: string; lessonId: string }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('campaign_lessons').where('workspace_id', '=', input.workspaceId).where('id', '=', input.lessonId).executeTakeFirst()
    if (Number(result.numDeletedRows) === 0) return false
    await search.remove(trx, input.workspaceId, 'lesson', input.lessonId)
    return true
  })
}
