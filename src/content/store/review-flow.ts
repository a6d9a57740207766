import type { Kysely } from 'kysely'
import { newId, readJson, type Schema } from '../../platform/index.ts'
import type { VariantReport } from '../report.ts'
import { iso, lockHouse, type HubDeps } from './deps.ts'
import { conflict, invalid, notFound, ok, type Actor, type Outcome } from './outcome.ts'
import { getVariant, type VariantState, type VariantView } from './variants.ts'

/**
 * The review flow of a variant: draft → in_review → approved → published, with `reject` sending
 * a reviewed version back to draft. Writers submit and publish; reviewers (the `review`
 * permission) approve and reject — the routes enforce who may call which step. Each step is
 * recorded with the version it applied to, who took it and when; a version with a blocking
 * finding cannot be approved.
 */

export const ReviewAction = ['submit', 'approve', 'reject', 'publish'] as const
export type ReviewAction = (typeof ReviewAction)[number]

const STEPS: Record<ReviewAction, { from: VariantState; to: VariantState }> = {
  submit: { from: 'draft', to: 'in_review' },
  approve: { from: 'in_review', to: 'approved' },
  reject: { from: 'in_review', to: 'draft' },
  publish: { from: 'approved', to: 'published' },
}

/** Which permission each step needs: the routes check it against the caller's role. */
export const STEP_PERMISSION: Record<ReviewAction, 'write' | 'review'> = { submit: 'write', approve: 'review', reject: 'review', publish: 'write' }

export interface StepInput {
  workspaceId: string
  variantId: string
  action: ReviewAction
  actor: Actor
  now: number
  comment?: string | null
  /** The version the person reviewed; if another was saved since, the step is refused. */
  version?: number
}

/**
 * @example
 * await stepVariant(deps, { workspaceId, variantId, action: 'approve', version: 2, actor: { id: tokenId, role: 'content_reviewer' }, now })
 */
export async function stepVariant(deps: HubDeps, input: StepInput): Promise<Outcome<VariantView>> {
  const step = STEPS[input.action]
  if (input.action === 'reject' && !input.comment?.trim()) return invalid('say why the variant is rejected (comment), so the writer knows what to change')
  const db = deps.database.db
  const head = await db.selectFrom('content_variants').select(['house_id']).where('workspace_id', '=', input.workspaceId).where('id', '=', input.variantId).executeTakeFirst()
  if (!head) return notFound(`no variant ${input.variantId}`)
  const outcome = await db.transaction().execute(async (trx): Promise<Outcome<null>> => {
    await lockHouse(trx, deps.database.dialect, input.workspaceId, head.house_id)
    const row = await trx.selectFrom('content_variants').selectAll().where('id', '=', input.variantId).executeTakeFirstOrThrow()
    if (input.version !== undefined && input.version !== row.current_version) {
      return conflict(`version ${row.current_version} is current; you reviewed version ${input.version}. Read the current version before you ${input.action} it`)
    }
    if (row.state !== step.from) {
      return conflict(`cannot ${input.action} a variant that is ${row.state.replace('_', ' ')}: ${input.action} applies to ${step.from.replace('_', ' ')} variants`)
    }
    if (input.action === 'approve') {
      const v = await trx.selectFrom('content_variant_versions').select(['report']).where('variant_id', '=', row.id).where('version', '=', row.current_version).executeTakeFirstOrThrow()
      const report = readJson<VariantReport | null>(v.report, null)
      const blocking = (report?.items ?? []).filter((i) => i.severity === 'block')
      if (blocking.length > 0) {
        return conflict(
          `version ${row.current_version} has ${blocking.length} blocking finding${blocking.length === 1 ? '' : 's'} and cannot be approved: ${blocking.map((b) => b.what).join('; ')}`,
          { blocking },
        )
      }
    }
    await trx.updateTable('content_variants').set({ state: step.to, updated_at: input.now }).where('id', '=', row.id).execute()
    await trx
      .insertInto('content_variant_events')
      .values({
        id: newId('vev', input.now),
        workspace_id: input.workspaceId,
        variant_id: row.id,
        version: row.current_version,
        action: input.action === 'submit' ? 'submitted' : input.action === 'approve' ? 'approved' : input.action === 'reject' ? 'rejected' : 'published',
        from_state: row.state,
        to_state: step.to,
        actor: input.actor.id,
        role: input.actor.role,
        comment: input.comment?.trim() || null,
        at: input.now,
      })
      .execute()
    return ok(null)
  })
  if (!outcome.ok) return outcome
  return ok((await getVariant(db, { workspaceId: input.workspaceId, variantId: input.variantId }))!)
}

export interface ReviewEvent {
  id: string
  version: number
  action: string
  fromState: string | null
  toState: string
  /** Who took the step (an admin token or a dashboard user), their name and role. */
  actor: string
  actorName: string | null
  role: string
  comment: string | null
  at: string
}

/** The variant's trail, oldest first: who created, edited, submitted, approved, rejected, published which version, and when. */
export async function variantHistory(db: Kysely<Schema>, input: { workspaceId: string; variantId: string }): Promise<ReviewEvent[]> {
  const rows = await db
    .selectFrom('content_variant_events as e')
    .leftJoin('admin_tokens as t', 't.id', 'e.actor')
    .leftJoin('users as u', 'u.id', 'e.actor')
    .select(['e.id', 'e.version', 'e.action', 'e.from_state', 'e.to_state', 'e.actor', 't.name as token_name', 'u.display_name as user_name', 'e.role', 'e.comment', 'e.at'])
    .where('e.workspace_id', '=', input.workspaceId)
    .where('e.variant_id', '=', input.variantId)
    .orderBy('e.seq')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    action: r.action,
    fromState: r.from_state,
    toState: r.to_state,
    actor: r.actor,
    actorName: r.user_name ?? r.token_name ?? null,
    role: r.role,
    comment: r.comment,
    at: iso(r.at)!,
  }))
}
