import { describe, expect, it } from 'vitest'
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import { channelAddress, CHANNELS, type Channel, type ReachRule } from '../channels/index.ts'
import type { DialectName } from '../platform/index.ts'
import { compileAudienceQuery } from './compile.ts'
import { parseDefinition } from './parse-definition.ts'
import { audienceDialect } from './sql-dialect.ts'

/** Kysely with each dialect's SQL compiler and no connection: what would be sent, not run. */
function offline(dialect: DialectName): Kysely<any> {
  const pg = dialect === 'postgres'
  return new Kysely({
    dialect: {
      createAdapter: () => (pg ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (pg ? new PostgresIntrospector(db) : new SqliteIntrospector(db)),
      createQueryCompiler: () => (pg ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
  })
}

const DEFAULT_REACH = Object.fromEntries(CHANNELS.map((c) => [c, { ...channelAddress(c, null), requireOptIn: false }])) as Record<Channel, ReachRule>

function compiled(dialect: DialectName, definition: unknown, scope: { persons: string[]; profiles: string[] } | null = null, reach = DEFAULT_REACH) {
  const parsed = parseDefinition(definition)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return compileAudienceQuery(parsed.definition, { dialect: audienceDialect(dialect), workspaceId: 'ws_1', now: Date.UTC(2026, 10, 20), currency: 'CNY', reach, scope }).compile(offline(dialect))
}

describe.each(['sqlite', 'postgres'] as const)('compiled audience SQL on %s', (dialect) => {
  it('binds every value and trait path as a parameter', () => {
    const hostile = "x'); drop table profiles; --"
    const query = compiled(dialect, {
      all: [
        { trait: 'plan', op: 'equals', value: hostile },
        { trait: 'address.city', op: 'in', value: [hostile, 'Beijing'] },
        { performed: { event: hostile, where: [{ property: 'sku', op: 'starts_with', value: hostile }] } },
        { consent: { channel: 'email', state: 'subscribed' } },
      ],
    })
    expect(query.sql).not.toContain('drop table')
    expect(query.sql).not.toContain('city')
    expect(query.sql).not.toContain('Beijing')
    expect(query.parameters).toContain(hostile)
    if (dialect === 'sqlite') expect(query.parameters).toContain('$."address"."city"')
    else expect(query.parameters).toContainEqual(['address', 'city'])
  })

  it('binds the identifier types of a reachable condition, which come from a provider\'s settings', () => {
    const hostile = "openid'); drop table identities; --"
    for (const scope of [null, { persons: ['prf_1'], profiles: ['prf_1'] }]) {
      const query = compiled(dialect, { reachable: 'wechat' }, scope, { ...DEFAULT_REACH, wechat: { ...channelAddress('wechat', hostile), requireOptIn: false } })
      expect(query.sql).not.toContain('drop table')
      expect(query.sql).not.toContain('wechat')
      expect(JSON.stringify(query.parameters)).toContain('drop table identities')
    }
  })

  it('restricts a scoped query to the listed people, each list bound as one parameter', () => {
    const persons = Array.from({ length: 300 }, (_, i) => `prf_${i}`)
    const query = compiled(dialect, { performed: { event: 'Order Completed', within: '30d' } }, { persons, profiles: [...persons, 'prf_merged'] })
    expect(query.parameters.length).toBeLessThan(10)
    const lists = query.parameters.filter((p) => (Array.isArray(p) ? p.length > 100 : typeof p === 'string' && p.startsWith('["prf_')))
    // The person filter, the merged-profiles CTE and the event rows each bind their list once.
    expect(lists).toHaveLength(3)
    if (dialect === 'sqlite') expect(query.sql).toContain('indexed by events_profile')
  })
})
