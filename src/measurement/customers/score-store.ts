import { sql, type Kysely } from 'kysely'
import { insertRows, lockIngest, type Database, type Schema } from '../../platform/index.ts'
import { decodeCursor, encodeCursor } from './page-cursor.ts'

/**
 * Per-person scores (`customer_scores`, one row per canonical profile and kind) and their copies in
 * profile traits, so audiences can select on them like any trait.
 *
 * Traits are written straight into `profiles.traits` of canonical profiles — one JSON key set per
 * profile with the database's own JSON function (json_set / jsonb_set), never a read-modify-write
 * of the whole object — in transactions that take the ingest lock, so they serialise with the
 * ingest writer (which loads and saves profile records under the same lock) and no trait written
 * by either side is lost.
 */
export type ScoreKind = 'propensity' | 'churn' | 'predicted_ltv' | 'p_alive' | 'expected_transactions'

/** The trait each score is mirrored to, where it is. */
export const SCORE_TRAITS: Partial<Record<ScoreKind, string>> = { propensity: 'propensity_score', churn: 'churn_score' }

/** Replaces every score of a kind in one transaction: readers see the old set or the new one. */
export async function replaceScores(database: Database, input: { workspaceId: string; kind: ScoreKind; modelId: string; scores: Map<string, number>; now: number }): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('customer_scores').where('workspace_id', '=', input.workspaceId).where('kind', '=', input.kind).execute()
    const rows = [...input.scores].map(([profileId, score]) => [input.workspaceId, input.kind, profileId, score, input.modelId, input.now])
    await insertRows(trx, database.dialect, 'customer_scores', ['workspace_id', 'kind', 'profile_id', 'score', 'model_id', 'computed_at'], rows)
  })
}

/**
 * Writes `trait = score` on each canonical profile, in chunks of 500 profiles per transaction.
 * Returns how many profiles were updated (merged or deleted ones are skipped).
 */
export async function writeScoreTraits(database: Database, input: { workspaceId: string; trait: string; scores: Map<string, number>; now: number }): Promise<number> {
  if (!/^[a-z_][a-z0-9_]*$/.test(input.trait)) throw new Error(`Invalid trait name ${input.trait}`)
  const entries = [...input.scores]
  let updated = 0
  for (let i = 0; i < entries.length; i += 500) {
    const chunk = entries.slice(i, i + 500)
    updated += await database.db.transaction().execute(async (trx) => {
      await lockIngest(trx, database.dialect)
      const values = sql.join(chunk.map(([id, score]) => (database.dialect === 'postgres' ? sql`(${id}::text, ${score}::float8)` : sql`(${id}, ${score})`)))
      const query =
        database.dialect === 'postgres'
          ? sql`update profiles as p set traits = jsonb_set(p.traits, ${`{${input.trait}}`}::text[], to_jsonb(v.score)), updated_at = ${input.now}
                from (values ${values}) as v(id, score)
                where p.id = v.id and p.workspace_id = ${input.workspaceId} and p.merged_into is null`
          : sql`with v(id, score) as (values ${values})
                update profiles set traits = json_set(traits, ${`$.${input.trait}`}, (select score from v where v.id = profiles.id)), updated_at = ${input.now}
                where workspace_id = ${input.workspaceId} and merged_into is null and id in (select id from v)`
      const result = await query.execute(trx)
      return Number(result.numAffectedRows ?? 0)
    })
  }
  return updated
}

export interface ScoreRow {
  profileId: string
  score: number
  modelId: string
  computedAt: string
}

/**
 * Scores of a kind, highest first (ties by profile id), cursor-paginated.
 *
 * @example const { items, nextCursor } = await listScores(db, workspaceId, { kind: 'churn', limit: 100 })
 */
export async function listScores(
  db: Kysely<Schema>,
  workspaceId: string,
  options: { kind: ScoreKind; cursor?: string; limit: number },
): Promise<{ items: ScoreRow[]; nextCursor: string | null }> {
  const after = decodeCursor(options.cursor)
  let query = db.selectFrom('customer_scores').selectAll().where('workspace_id', '=', workspaceId).where('kind', '=', options.kind)
  if (after !== null) {
    const [scoreText, profileId] = splitCursor(after)
    const score = Number(scoreText)
    query = query.where((eb) => eb.or([eb('score', '<', score), eb.and([eb('score', '=', score), eb('profile_id', '>', profileId)])]))
  }
  const rows = await query.orderBy('score', 'desc').orderBy('profile_id').limit(options.limit + 1).execute()
  const items = rows.slice(0, options.limit).map((r) => ({ profileId: r.profile_id, score: Number(r.score), modelId: r.model_id, computedAt: new Date(Number(r.computed_at)).toISOString() }))
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor(`${last.score}\u0000${last.profileId}`) : null }
}

function splitCursor(value: string): [string, string] {
  const i = value.indexOf('\u0000')
  return i < 0 ? [value, ''] : [value.slice(0, i), value.slice(i + 1)]
}

/**
 * Every score a person has, by kind (pass the canonical profile id).
 *
 * @example (await scoresOf(db, workspaceId, profileId)).propensity?.score // 0.42
 */
export async function scoresOf(db: Kysely<Schema>, workspaceId: string, profileId: string): Promise<Record<string, { score: number; modelId: string; computedAt: string }>> {
  const rows = await db.selectFrom('customer_scores').selectAll().where('workspace_id', '=', workspaceId).where('profile_id', '=', profileId).execute()
  return Object.fromEntries(rows.map((r) => [r.kind, { score: Number(r.score), modelId: r.model_id, computedAt: new Date(Number(r.computed_at)).toISOString() }]))
}
