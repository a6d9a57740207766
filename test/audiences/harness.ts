import { expect } from 'vitest'
import { JobWorker, ProcessorRunner, silentLogger, type DialectName } from '../../src/platform/index.ts'
import { audienceBackgroundWork } from '../../src/audiences/index.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'

/**
 * A test Chorus with the audience background work wired as the server wires it: the real-time
 * processor (driven with `drain()`) and the job handlers (run with `runJobs()`), on a ManualClock.
 */
export interface AudienceHarness {
  chorus: TestChorus
  runner: ProcessorRunner
  worker: JobWorker
  close(): Promise<void>
}

export async function startAudienceHarness(dialect: DialectName): Promise<AudienceHarness> {
  const chorus = await startTestChorus(dialect)
  const work = audienceBackgroundWork(chorus.ctx)
  const runner = new ProcessorRunner({ database: chorus.ctx.database, clock: chorus.clock, logger: silentLogger(), processors: work.processors })
  const worker = new JobWorker({ queue: chorus.ctx.jobs, handlers: work.jobHandlers, logger: silentLogger() })
  return { chorus, runner, worker, close: () => chorus.close() }
}

export const iso = (ms: number) => new Date(ms).toISOString()
export const DAY = 86_400_000

/** Test helpers bound to one workspace. */
export function workspaceClient(h: AudienceHarness, ws: TestWorkspace) {
  const app = h.chorus.app
  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url: `/api/v1${url}`, headers: ws.bearer, ...(payload === undefined ? {} : { payload: payload as object }) })
  return {
    ws,
    api,
    /** Ingests calls through the tracking API, as an SDK would. */
    async send(batch: object[]) {
      const res = await app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch } })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json().rejected ?? []).toEqual([])
    },
    async profileId(userId: string): Promise<string> {
      const res = await api('GET', `/profiles/lookup?type=user_id&value=${encodeURIComponent(userId)}`)
      expect(res.statusCode, res.body).toBe(200)
      return res.json().id
    },
    /**
     * Creates an audience and runs its initial evaluation. Scenarios define audiences before the
     * events they name arrive, so names not seen yet are allowed (name checks: api.test.ts).
     */
    async create(name: string, definition: unknown): Promise<string> {
      const res = await api('POST', '/audiences?allowUnknownNames=true', { name, definition })
      expect(res.statusCode, res.body).toBe(201)
      await h.worker.runDue()
      return res.json().audience.id
    },
    /** Members' user ids, sorted. */
    async memberUserIds(audienceId: string): Promise<string[]> {
      const res = await api('GET', `/audiences/${audienceId}/members?limit=1000`)
      expect(res.statusCode, res.body).toBe(200)
      return userIdsOf(h, ws, res.json().items.map((m: { profileId: string }) => m.profileId))
    },
    /** Who a definition matches now (the estimate endpoint), as sorted user ids. */
    async matches(definition: unknown): Promise<string[]> {
      const res = await api('POST', '/audiences/estimate', { definition, sample: 100 })
      expect(res.statusCode, res.body).toBe(200)
      const body = res.json()
      expect(body.sample.length).toBe(body.size)
      return userIdsOf(h, ws, body.sample.map((s: { profileId: string }) => s.profileId))
    },
    /** `Audience Entered` / `Audience Exited` events in the log, oldest first. */
    async membershipEvents(audienceId?: string) {
      const rows = await h.chorus.ctx.database.db
        .selectFrom('events')
        .select(['event', 'profile_id', 'payload', 'seq'])
        .where('workspace_id', '=', ws.workspaceId)
        .where('event', 'in', ['Audience Entered', 'Audience Exited'])
        .orderBy('seq')
        .execute()
      return rows
        .map((r) => {
          const payload = typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload
          return { event: r.event!, profileId: r.profile_id!, properties: payload.properties as { audienceId: string; audienceName: string } }
        })
        .filter((e) => audienceId === undefined || e.properties.audienceId === audienceId)
    },
  }
}

async function userIdsOf(h: AudienceHarness, ws: TestWorkspace, profileIds: string[]): Promise<string[]> {
  if (profileIds.length === 0) return []
  const rows = await h.chorus.ctx.database.db
    .selectFrom('identities')
    .select(['profile_id', 'value'])
    .where('workspace_id', '=', ws.workspaceId)
    .where('type', '=', 'user_id')
    .where('profile_id', 'in', profileIds)
    .execute()
  return rows.map((r) => r.value).sort()
}

export { newWorkspace }
