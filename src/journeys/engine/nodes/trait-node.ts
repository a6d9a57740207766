import { lockIngest, readJson, writeJson } from '../../../platform/index.ts'
import { appendSystemEvents, type TraitOp } from '../../../ingest/index.ts'
import { applyTraitOps } from '../../../profiles/index.ts'
import type { UpdateTraitNode } from '../../definition/schema.ts'
import { CONTINUE, STOP, type EngineContext, type StepOutcome } from '../context.ts'
import { transition, type Run } from '../runs.ts'

/** The node's operations in the order the profile API applies them. */
export function traitOps(node: UpdateTraitNode): TraitOp[] {
  const ops: TraitOp[] = []
  if (node.set) ops.push({ op: 'set', traits: node.set })
  if (node.setOnce) ops.push({ op: 'set_once', traits: node.setOnce })
  if (node.increment) ops.push({ op: 'increment', traits: node.increment })
  if (node.unset) ops.push({ op: 'unset', keys: node.unset })
  return ops
}

/**
 * Updates the person's traits, records a `Traits Updated` event in the log (so the change is
 * visible on their timeline and to measurement) and moves the run on — one transaction, so a
 * retried step never increments twice. Takes the ingest lock like the writer does, so a trait
 * written by an identify call at the same moment is not lost.
 */
export async function executeTraitUpdate(ctx: EngineContext, run: Run, node: UpdateTraitNode): Promise<StepOutcome> {
  const { db, dialect } = ctx.database
  const now = ctx.clock.now()
  const moved = await db.transaction().execute(async (trx) => {
    await lockIngest(trx, dialect)
    // The guard first: if another worker moved the run, nothing is written.
    const next = await transition(trx, dialect, run, { state: 'active', toNode: node.next }, now)
    if (!next) return null
    const own = await trx.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', run.workspaceId).where('id', '=', run.profileId).executeTakeFirst()
    const profileId = own?.merged_into ?? own?.id
    if (profileId) {
      const row = await trx.selectFrom('profiles').select('traits').where('id', '=', profileId).executeTakeFirstOrThrow()
      const traits = applyTraitOps(readJson(row.traits, {}), traitOps(node))
      await trx.updateTable('profiles').set({ traits: writeJson(traits), updated_at: now }).where('id', '=', profileId).execute()
      await appendSystemEvents(
        trx,
        dialect,
        run.workspaceId,
        [
          {
            profileId,
            event: 'Traits Updated',
            messageId: `traits:${run.id}:${node.id}:${run.nodeToken}`,
            timestamp: now,
            source: 'journeys',
            properties: { journeyId: run.journeyId, journeyVersion: run.version, nodeId: node.id, ...(node.set ? { set: node.set } : {}), ...(node.setOnce ? { setOnce: node.setOnce } : {}), ...(node.increment ? { increment: node.increment } : {}), ...(node.unset ? { unset: node.unset } : {}) },
          },
        ],
        now,
      )
    }
    return next
  })
  return moved ? CONTINUE : STOP
}
