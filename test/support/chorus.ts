import type { FastifyInstance } from 'fastify'
import { ManualClock, silentLogger, type DialectName } from '../../src/platform/index.ts'
import { openContext } from '../../src/server/runtime.ts'
import { buildApp } from '../../src/server/app.ts'
import type { AppContext } from '../../src/server/context.ts'
import { createAdminToken, createSource, createWorkspace } from '../../src/workspaces/index.ts'
import { createTestDatabase, type TestDatabase } from './databases.ts'

export interface TestChorus {
  app: FastifyInstance
  ctx: AppContext
  clock: ManualClock
  t: TestDatabase
  close(): Promise<void>
}

/** A Chorus app in-process on a fresh database of the dialect, driven through `app.inject()`. */
export async function startTestChorus(dialect: DialectName, options: { start?: number } = {}): Promise<TestChorus> {
  const t = await createTestDatabase(dialect)
  const clock = new ManualClock(options.start ?? Date.UTC(2026, 10, 20, 8, 0, 0))
  const ctx = await openContext({ databaseUrl: t.url, database: t.database, logger: silentLogger(), clock })
  const app = await buildApp(ctx)
  return {
    app,
    ctx,
    clock,
    t,
    async close() {
      await app.close()
      await ctx.writer.close()
      await t.drop()
    },
  }
}

export interface TestWorkspace {
  workspaceId: string
  writeKey: string
  adminToken: string
  /** Authorization headers. */
  basic: { authorization: string }
  bearer: { authorization: string }
}

/** Each test gets its own workspace, so tests in one file never see each other's data. */
export async function newWorkspace(chorus: TestChorus, role: 'admin' | 'viewer' | 'marketer' | 'analyst' | 'content_reviewer' = 'admin'): Promise<TestWorkspace> {
  const db = chorus.ctx.database.db
  const now = chorus.clock.now()
  const workspace = await createWorkspace(db, { name: `ws-${Math.random().toString(36).slice(2)}`, now })
  const source = await createSource(db, { workspaceId: workspace.id, name: 'test', now })
  const { token } = await createAdminToken(db, { workspaceId: workspace.id, name: 'test', role, now })
  return {
    workspaceId: workspace.id,
    writeKey: source.writeKey,
    adminToken: token,
    basic: { authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}` },
    bearer: { authorization: `Bearer ${token}` },
  }
}
