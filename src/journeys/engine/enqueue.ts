import type { Kysely } from 'kysely'
import { newId, writeJson, type EnqueueInput, type Schema } from '../../platform/index.ts'

/**
 * Adds a job inside the caller's transaction, so a run's state change and the timer or step that
 * follows it commit together (or not at all). Same row shape and dedupe rule as
 * `JobQueue.enqueue`, which runs on its own connection and so cannot join a transaction.
 * Returns false when a job with the key already exists.
 *
 * @example await enqueueInTransaction(trx, { kind: STEP_JOB, dedupeKey: `step:${runId}:${token}`, payload: { runId, token }, runAt }, now)
 */
export async function enqueueInTransaction<P>(trx: Kysely<Schema>, input: EnqueueInput<P>, now: number): Promise<boolean> {
  const rows = await trx
    .insertInto('jobs')
    .values({
      id: newId('job', now),
      workspace_id: input.workspaceId ?? null,
      kind: input.kind,
      dedupe_key: input.dedupeKey,
      run_at: input.runAt ?? now,
      locked_until: null,
      locked_by: null,
      attempts: 0,
      max_attempts: input.maxAttempts ?? 10,
      payload: writeJson(input.payload),
      last_error: null,
      created_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute()
  return rows.length > 0
}

/**
 * Like `enqueueInTransaction`, but when the job exists (a periodic job waiting for its next
 * run), brings its run time forward to `runAt` instead of doing nothing.
 */
export async function enqueueOrWake<P>(trx: Kysely<Schema>, input: EnqueueInput<P> & { runAt: number }, now: number): Promise<void> {
  const inserted = await enqueueInTransaction(trx, input, now)
  if (!inserted) await trx.updateTable('jobs').set({ run_at: input.runAt }).where('dedupe_key', '=', input.dedupeKey).where('run_at', '>', input.runAt).execute()
}
