import { Analytics } from '@segment/analytics-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus } from '../support/chorus.ts'

// The real Segment Node.js library, pointed at Chorus by changing only its host.
describe.each(DIALECTS)('@segment/analytics-node against a running Chorus on %s', (dialect) => {
  let chorus: TestChorus
  let url: string
  beforeAll(async () => {
    chorus = await startTestChorus(dialect, { start: Date.now() })
    url = await chorus.app.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(() => chorus.close())

  it('delivers identify, track, page, group and alias', { timeout: 90_000 }, async () => {
    const ws = await newWorkspace(chorus)
    const analytics = new Analytics({ writeKey: ws.writeKey, host: url, flushAt: 3, maxRetries: 2 })
    const errors: unknown[] = []
    analytics.on('error', (e) => errors.push(e))
    analytics.identify({ userId: 'node-user', traits: { email: 'node@example.com', plan: 'gold' } })
    analytics.track({ userId: 'node-user', event: 'Order Completed', properties: { order_id: 'n1', total: 88, currency: 'CNY' } })
    analytics.page({ anonymousId: 'node-anon', name: 'Pricing', properties: { url: 'https://brand.example/pricing' } })
    analytics.group({ userId: 'node-user', groupId: 'company-1', traits: { name: '和声' } })
    analytics.alias({ userId: 'node-user', previousId: 'node-anon' })
    await analytics.closeAndFlush({ timeout: 60_000 })
    expect(errors).toEqual([])

    const events = await chorus.ctx.database.db.selectFrom('events').select(['type', 'event', 'user_id', 'anonymous_id', 'profile_id']).where('workspace_id', '=', ws.workspaceId).execute()
    expect(events.map((e) => e.type).sort()).toEqual(['alias', 'group', 'identify', 'page', 'track'])
    // alias linked the anonymous page view to the user: one person.
    const profiles = await chorus.app.inject({ method: 'GET', url: '/api/v1/profiles/lookup?type=anonymous_id&value=node-anon', headers: ws.bearer })
    expect(profiles.json()).toMatchObject({ eventCount: 5, orderCount: 1, lifetimeRevenue: { amountMinor: 8800, currency: 'CNY' } })
  })
})
