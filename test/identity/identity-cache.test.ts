import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IdentityCache } from '../../src/identity/cache.ts'
import { normaliseSegmentCall } from '../../src/ingest/segment/normalise.ts'
import { writeBatch } from '../../src/ingest/write-batch.ts'
import { deleteProfile } from '../../src/profiles/privacy.ts'
import { createWorkspace } from '../../src/workspaces/store.ts'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.ts'

const NOW = Date.UTC(2026, 10, 22, 9)

function messages(calls: object[]) {
  return calls.map((call) => {
    const result = normaliseSegmentCall(call, { receivedAt: NOW, ip: '127.0.0.1' })
    if (result.kind !== 'ok') throw new Error(result.reason)
    return result.message
  })
}

describe.each(DIALECTS)('the ingest writer’s identity cache on %s', (dialect) => {
  let test: TestDatabase
  beforeAll(async () => {
    test = await createTestDatabase(dialect)
  })
  afterAll(() => test.drop())

  const write = (workspaceId: string, calls: object[], identityCache?: IdentityCache) =>
    writeBatch({ database: test.database, now: NOW, batches: [{ workspaceId, sourceId: null, messages: messages(calls) }], identityCache })
  const ownerOf = async (workspaceId: string, type: string, value: string) =>
    (await test.database.db.selectFrom('identities').select('profile_id').where('workspace_id', '=', workspaceId).where('type', '=', type).where('value', '=', value).executeTakeFirst())?.profile_id
  const canonical = async (profileId: string) =>
    (await test.database.db.selectFrom('profiles').select(['id', 'merged_into']).where('id', '=', profileId).executeTakeFirstOrThrow()).merged_into ?? profileId

  it('resolves a returning person to the profile it remembers', async () => {
    const ws = await createWorkspace(test.database.db, { name: `cache-a-${dialect}`, now: NOW })
    const cache = new IdentityCache()
    await write(ws.id, [{ type: 'identify', userId: 'u1', anonymousId: 'a1', traits: { email: 'u1@example.com' } }], cache)
    expect(cache.size).toBe(1)
    await write(ws.id, [{ type: 'track', anonymousId: 'a1', event: 'Product Viewed' }], cache)
    const events = await test.database.db.selectFrom('events').select('profile_id').where('workspace_id', '=', ws.id).execute()
    expect(new Set(events.map((e) => e.profile_id))).toEqual(new Set([await ownerOf(ws.id, 'user_id', 'u1')]))
  })

  it('keeps resolving correctly once it has to evict people it remembered', async () => {
    const ws = await createWorkspace(test.database.db, { name: `cache-e-${dialect}`, now: NOW })
    const cache = new IdentityCache({ maxProfiles: 4 })
    for (let i = 0; i < 12; i++) await write(ws.id, [{ type: 'identify', userId: `p${i}`, anonymousId: `anon-${i}` }], cache)
    expect(cache.size).toBeLessThanOrEqual(4)
    await write(ws.id, [{ type: 'track', anonymousId: 'anon-0', event: 'Came Back' }, { type: 'track', anonymousId: 'anon-11', event: 'Came Back' }], cache)
    const back = await test.database.db.selectFrom('events').select(['profile_id', 'anonymous_id']).where('workspace_id', '=', ws.id).where('event', '=', 'Came Back').execute()
    for (const e of back) expect(e.profile_id).toBe(await ownerOf(ws.id, 'user_id', e.anonymous_id!.replace('anon-', 'p')))
    const profiles = await test.database.db.selectFrom('profiles').select('id').where('workspace_id', '=', ws.id).execute()
    expect(profiles).toHaveLength(12)
  })

  it('sees a merge another writer made since its last transaction', async () => {
    const ws = await createWorkspace(test.database.db, { name: `cache-b-${dialect}`, now: NOW })
    const mine = new IdentityCache()
    const theirs = new IdentityCache()
    await write(ws.id, [{ type: 'track', anonymousId: 'web-1', event: 'Product Viewed' }], mine)
    await write(ws.id, [{ type: 'track', userId: 'member-1', event: 'Signed In' }], mine)
    // Another process links the two: the anonymous profile merges into the member's (or back).
    await write(ws.id, [{ type: 'identify', userId: 'member-1', anonymousId: 'web-1' }], theirs)
    const survivor = await canonical((await ownerOf(ws.id, 'user_id', 'member-1'))!)
    // A stale cache would attach this to the merged-away profile or insert web-1 a second time.
    await write(ws.id, [{ type: 'track', anonymousId: 'web-1', event: 'Order Completed', properties: { total: 10 } }], mine)
    const last = await test.database.db.selectFrom('events').select('profile_id').where('workspace_id', '=', ws.id).where('event', '=', 'Order Completed').executeTakeFirstOrThrow()
    expect(await canonical(last.profile_id!)).toBe(survivor)
    expect(await ownerOf(ws.id, 'anonymous_id', 'web-1')).toBe(survivor)
  })

  it('drops events of a person deleted on request after it cached them', async () => {
    const ws = await createWorkspace(test.database.db, { name: `cache-c-${dialect}`, now: NOW })
    const cache = new IdentityCache()
    await write(ws.id, [{ type: 'identify', userId: 'gone', traits: { phone: '13800138000' } }], cache)
    const profileId = (await ownerOf(ws.id, 'user_id', 'gone'))!
    const deleted = await deleteProfile({ database: test.database, workspaceId: ws.id, profileId, now: NOW, actor: 'test' })
    expect(deleted.kind).toBe('Deleted')
    const [outcome] = await write(ws.id, [{ type: 'track', userId: 'gone', event: 'Product Viewed' }], cache)
    expect(outcome).toMatchObject({ stored: 0, suppressed: 1 })
    expect(await ownerOf(ws.id, 'user_id', 'gone')).toBeUndefined()
  })

  it('forgets everything when a transaction fails', async () => {
    const ws = await createWorkspace(test.database.db, { name: `cache-d-${dialect}`, now: NOW })
    const cache = new IdentityCache()
    await write(ws.id, [{ type: 'track', userId: 'kept', event: 'Product Viewed' }], cache)
    expect(cache.size).toBe(1)
    // An event without a timestamp breaks the log's NOT NULL constraint at the very end of the
    // transaction, after the graph was resolved and the cache told what it would hold.
    const broken = messages([{ type: 'track', userId: 'other', event: 'Product Viewed' }]).map((m) => ({ ...m, timestamp: null as unknown as number }))
    await expect(writeBatch({ database: test.database, now: NOW, batches: [{ workspaceId: ws.id, sourceId: null, messages: broken }], identityCache: cache })).rejects.toThrow()
    expect(cache.size).toBe(0)
  })
})
