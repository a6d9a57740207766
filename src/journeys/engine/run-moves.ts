import { CompiledQuery, type Kysely } from 'kysely'
import { insertRows, newId, writeJson, type DialectName, type Schema } from '../../platform/index.ts'
import { recordFacts, type Fact } from './facts.ts'
import { factsOfMove, movedRun, STEP_JOB, transition, type Run, type Transition } from './runs.ts'

export interface Move {
  run: Run
  change: Transition
}

/** Rows per statement: 13 parameters each, well under both dialects' limits. */
const ROWS_PER_STATEMENT = 500

const JOB_COLUMNS = ['id', 'workspace_id', 'kind', 'dedupe_key', 'run_at', 'locked_until', 'locked_by', 'attempts', 'max_attempts', 'payload', 'last_error', 'created_at']

/**
 * `transition` for a set of runs: every run's new state in one UPDATE joined to a VALUES list
 * (UPDATE … FROM, on SQLite 3.33+ and PostgreSQL), each row still guarded by the token it was
 * read with; then the facts of the moves that applied in one insert, and their timers in one.
 * Answers, in order, each moved run or null where the guard failed.
 *
 * A run named twice (two drivers of one run met in one batch) is moved by its first entry here;
 * the others go through `transition` afterwards and so meet the guard exactly as they would alone.
 *
 * @example const [moved] = await transitionMany(trx, dialect, [{ run, change: { state: 'ended', endReason: 'exit' } }], now)
 */
export async function transitionMany(trx: Kysely<Schema>, dialect: DialectName, moves: readonly Move[], now: number): Promise<Array<Run | null>> {
  const results: Array<Run | null> = moves.map(() => null)
  const first = new Map<string, number>()
  const again: number[] = []
  moves.forEach((m, i) => {
    if (first.has(m.run.id)) again.push(i)
    else first.set(m.run.id, i)
  })
  const set = [...first.values()]
  const applied = new Map<string, number | null>()
  for (let start = 0; start < set.length; start += ROWS_PER_STATEMENT) {
    for (const [id, convertedAt] of await updateRuns(trx, dialect, set.slice(start, start + ROWS_PER_STATEMENT).map((i) => moves[i]!), now)) applied.set(id, convertedAt)
  }
  const facts: Fact[] = []
  const timers: Array<{ run: Run; at: number }> = []
  for (const i of set) {
    const { run, change } = moves[i]!
    if (!applied.has(run.id)) continue
    // A goal reached meanwhile is not a move (no token): the update reports it.
    const moved = { ...movedRun(run, change), convertedAt: applied.get(run.id)! }
    results[i] = moved
    facts.push(...factsOfMove(run, moved, change, now))
    if (change.timerAt !== undefined) timers.push({ run: moved, at: change.timerAt })
    if (change.enqueueNow) timers.push({ run: moved, at: now })
  }
  await recordFacts(trx, dialect, facts)
  await armSteps(trx, dialect, timers, now)
  for (const i of again) results[i] = await transition(trx, dialect, moves[i]!.run, moves[i]!.change, now)
  return results
}

/** The runs whose token still matched, now moved: id → when they reached the journey's goal. */
async function updateRuns(trx: Kysely<Schema>, dialect: DialectName, moves: readonly Move[], now: number): Promise<Map<string, number | null>> {
  const params: unknown[] = [now]
  const tuples = moves.map(({ run, change }) => {
    const m = movedRun(run, change)
    const ended = change.state === 'ended'
    params.push(run.id, run.token, m.token, m.state, m.nodeId, m.nodeToken, m.markSeq, m.waitEvent, m.waitUntil, m.wakeAt, ended ? 1 : 0, ended ? (change.endReason ?? 'exit') : null)
    const n = params.length - 12
    if (dialect === 'sqlite') return '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
    const p = (k: number, type: string) => `$${n + k}::${type}`
    return `(${p(1, 'text')}, ${p(2, 'int')}, ${p(3, 'int')}, ${p(4, 'text')}, ${p(5, 'text')}, ${p(6, 'int')}, ${p(7, 'bigint')}, ${p(8, 'text')}, ${p(9, 'bigint')}, ${p(10, 'bigint')}, ${p(11, 'int')}, ${p(12, 'text')})`
  })
  const now$ = dialect === 'postgres' ? '$1::bigint' : '?'
  const v = dialect === 'postgres' ? (name: string) => `v.${name}` : (name: string) => `v.column${VALUE_COLUMNS.indexOf(name) + 1}`
  const alias = dialect === 'postgres' ? `v(${VALUE_COLUMNS.join(', ')})` : 'v'
  // The end columns are written only by a set that ends a run: naming `active_key` in the SET
  // makes the database maintain its unique index for every row, changed or not.
  const ends = moves.some((m) => m.change.state === 'ended')
  const query =
    `update journey_runs set state = ${v('state')}, token = ${v('token')}, node_id = ${v('node_id')}, node_token = ${v('node_token')}, mark_seq = ${v('mark_seq')}, ` +
    `wait_event = ${v('wait_event')}, wait_until = ${v('wait_until')}, wake_at = ${v('wake_at')}, updated_at = ${now$}` +
    (ends
      ? `, ended_at = case when ${v('ended')} = 1 then ${now$} else journey_runs.ended_at end, ` +
        `end_reason = case when ${v('ended')} = 1 then ${v('end_reason')} else journey_runs.end_reason end, ` +
        `active_key = case when ${v('ended')} = 1 then null else journey_runs.active_key end`
      : '') +
    ` from (values ${tuples.join(', ')}) as ${alias} where journey_runs.id = ${v('id')} and journey_runs.token = ${v('old_token')} returning journey_runs.id, journey_runs.converted_at`
  // SQLite numbers its placeholders in order of appearance: `now` is used once or twice, before the list.
  const bound = dialect === 'postgres' ? params : [...(ends ? [now, now] : [now]), ...params.slice(1)]
  const result = await trx.executeQuery<{ id: string; converted_at: number | string | null }>(CompiledQuery.raw(query, bound))
  return new Map(result.rows.map((r) => [r.id, r.converted_at === null ? null : Number(r.converted_at)]))
}

const VALUE_COLUMNS = ['id', 'old_token', 'token', 'state', 'node_id', 'node_token', 'mark_seq', 'wait_event', 'wait_until', 'wake_at', 'ended', 'end_reason']

/** `armStep` for many runs in one insert: a step job per run and token (so re-arming is harmless). */
export async function armSteps(trx: Kysely<Schema>, dialect: DialectName, steps: ReadonlyArray<{ run: Pick<Run, 'id' | 'workspaceId' | 'token'>; at: number }>, now: number): Promise<void> {
  const rows = steps.map(({ run, at }) => [newId('job', now), run.workspaceId, STEP_JOB, `${STEP_JOB}:${run.id}:${run.token}`, at, null, null, 0, 10, writeJson({ runId: run.id }), null, now])
  await insertRows(trx, dialect, 'jobs', JOB_COLUMNS, rows, { ignoreConflicts: true })
}
