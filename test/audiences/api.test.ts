import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { DAY, iso, newWorkspace, startAudienceHarness, workspaceClient, type AudienceHarness } from './harness.ts'

describe.each(DIALECTS)('audience API on %s', (dialect) => {
  let h: AudienceHarness
  beforeAll(async () => {
    h = await startAudienceHarness(dialect)
  })
  afterAll(() => h.close())

  const client = async () => workspaceClient(h, await newWorkspace(h.chorus))
  const people = (n: number, traits: (i: number) => Record<string, unknown> = () => ({})) =>
    Array.from({ length: n }, (_, i) => ({ type: 'identify', userId: `u${String(i).padStart(2, '0')}`, traits: { email: `u${i}@example.com`, ...traits(i) } }))

  it('creates, reads, lists, updates and deletes audiences', async () => {
    const c = await client()
    await c.send(people(5, (i) => ({ tier: i < 2 ? 'gold' : 'silver' })))
    const created = await c.api('POST', '/audiences', { name: 'Gold', description: 'Gold tier', definition: { trait: 'tier', op: 'equals', value: 'gold' } })
    expect(created.statusCode).toBe(201)
    const body = created.json()
    expect(body.audience).toMatchObject({ name: 'Gold', kind: 'dynamic', status: 'active', version: 1, size: 0, timeDependent: false })
    expect(body.recompute).toMatchObject({ status: 'queued', reason: 'created' })
    expect(body.warnings).toEqual([])
    const id = body.audience.id
    await h.worker.runDue()

    const read = (await c.api('GET', `/audiences/${id}`)).json()
    expect(read.size).toBe(2)
    expect(read.lastRecompute).toMatchObject({ status: 'done', matched: 2, total: 2, done: 2, entered: 2, exited: 0 })
    const progress = await c.api('GET', `/audiences/${id}/recomputes/${body.recompute.id}`)
    expect(progress.json()).toMatchObject({ id: body.recompute.id, status: 'done', entered: 2 })

    expect((await c.api('POST', '/audiences', { name: 'Gold', definition: { trait: 'tier', op: 'exists' } })).statusCode).toBe(409)

    const updated = await c.api('PATCH', `/audiences/${id}`, { definition: { trait: 'tier', op: 'in', value: ['gold', 'silver'] } })
    expect(updated.statusCode).toBe(200)
    expect(updated.json().audience.version).toBe(2)
    expect(updated.json().recompute.reason).toBe('updated')
    await h.worker.runDue()
    expect((await c.api('GET', `/audiences/${id}`)).json().size).toBe(5)
    // A rename is not a new version and needs no recompute.
    const renamed = (await c.api('PATCH', `/audiences/${id}`, { name: 'Gold and silver' })).json()
    expect(renamed.audience).toMatchObject({ name: 'Gold and silver', version: 2 })
    expect(renamed.recompute).toBeNull()

    // Ids are time-ordered: a millisecond apart, the listing order is the creation order.
    h.chorus.clock.advance(1)
    await c.api('POST', '/audiences', { name: 'Second', definition: { trait: 'tier', op: 'exists' } })
    h.chorus.clock.advance(1)
    await c.api('POST', '/audiences', { name: 'Third', kind: 'static' })
    const names: string[] = []
    let cursor: string | null = null
    do {
      const page: { items: Array<{ name: string }>; nextCursor: string | null } = (await c.api('GET', `/audiences?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json()
      names.push(...page.items.map((a) => a.name))
      cursor = page.nextCursor
    } while (cursor)
    expect(names).toEqual(['Gold and silver', 'Second', 'Third'])

    const deleted = await c.api('DELETE', `/audiences/${id}`)
    expect(deleted.json()).toEqual({ deleted: true, members: 5 })
    expect((await c.api('GET', `/audiences/${id}`)).statusCode).toBe(404)
  })

  it('rejects invalid definitions with messages naming the problem and its path', async () => {
    const c = await client()
    const reject = async (definition: unknown) => {
      const res = await c.api('POST', '/audiences', { name: `bad ${Math.random()}`, definition })
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().error.code).toBe('InvalidDefinition')
      return res.json().error as { message: string; details: Array<{ path: string; message: string }> }
    }
    expect((await reject({ trait: 'plan', op: 'eq', value: 'pro' })).message).toMatch(/^definition\.op: unknown op: use equals, not_equals/)
    const nested = await reject({ all: [{ trait: 'plan', op: 'exists' }, { performed: { event: 'Order Completed', count: { op: '>>', value: 2 } } }] })
    expect(nested.details).toEqual([{ path: 'definition.all[1].performed.count.op', message: 'expected one of =, !=, >, >=, <, <=' }])
    expect((await reject({ trait: 'age', op: 'gt', value: '30' })).details).toEqual([{ path: 'definition.value', message: 'expected a number' }])
    expect((await reject({ performed: { event: 'Order Completed', within: '30 days' } })).message).toContain('definition.performed.within: expected a duration such as "30d"')
    expect((await reject({ trait: 'signup_at', op: 'before', value: '2026-02-30' })).message).toContain('definition.value: expected an ISO 8601 date')
    expect((await reject({ segment: 'vip' })).message).toBe('definition: unknown condition (keys: segment): a condition has one of all, any, not, trait, performed, notPerformed, lastPerformed, computed, rfm, channel, consent, reachable, audience, random')
    expect((await reject({ trait: 'plan', op: 'exists', performed: { event: 'X' } })).message).toContain('exactly one kind')
    expect((await reject({ any: [] })).message).toBe('definition.any: "any" takes a non-empty list of conditions')
    expect((await reject({ random: { seed: 's', percent: [50, 10] } })).message).toContain('definition.random.percent: "from" must be below "to"')
    const two = await reject({ all: [{ trait: 'a', op: 'nope' }, { computed: 'ltv', op: '>=', value: 1 }] })
    expect(two.details.map((d) => d.path)).toEqual(['definition.all[0].op', 'definition.all[1].computed'])
    expect(two.message).toContain('and 1 more problem')
    expect((await reject({ audience: 'aud_doesnotexist' })).message).toBe('definition.audience: there is no audience aud_doesnotexist in this workspace')
    expect((await c.api('POST', '/audiences', { name: 'No definition' })).json().error.message).toContain('needs a definition')
  })

  it('refuses a membership condition that would make a cycle, naming the chain', async () => {
    const c = await client()
    const a = (await c.api('POST', '/audiences', { name: 'A', definition: { trait: 'x', op: 'exists' } })).json().audience.id
    const b = (await c.api('POST', '/audiences', { name: 'B', definition: { audience: a } })).json().audience.id
    const cc = (await c.api('POST', '/audiences', { name: 'C', definition: { all: [{ audience: b }, { trait: 'y', op: 'exists' }] } })).json().audience.id
    const cycle = await c.api('PATCH', `/audiences/${a}`, { definition: { any: [{ trait: 'x', op: 'exists' }, { audience: cc }] } })
    expect(cycle.statusCode).toBe(400)
    expect(cycle.json().error.message).toBe(`definition.any[1].audience: membership of ${cc} would make a cycle: "A" → "C" → "B" → "A"`)
    const self = await c.api('PATCH', `/audiences/${a}`, { definition: { audience: a } })
    expect(self.json().error.message).toBe('definition.audience: an audience cannot contain itself')
    const inUse = await c.api('DELETE', `/audiences/${a}`)
    expect(inUse.statusCode).toBe(409)
    expect(inUse.json().error.message).toContain(`"B" (${b})`)
  })

  // Chorus's own events (Message Clicked) and the traits its models write (churn_score) always pass.
  it('refuses names the workspace has never seen, naming each, and saves nothing', async () => {
    const c = await client()
    await c.send([{ type: 'track', userId: 'w1', event: 'Order Completed', properties: { total: 5 } }, { type: 'identify', userId: 'w1', traits: { plan: 'pro' } }])
    const res = await c.api('POST', '/audiences', {
      name: 'Typos',
      definition: { all: [{ performed: { event: 'Ordr Completed' } }, { performed: { event: 'Order Completed' } }, { trait: 'plna', op: 'exists' }, { trait: 'plan', op: 'exists' }, { performed: { event: 'Message Clicked' } }, { trait: 'churn_score', op: 'gte', value: 0.5 }] },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('InvalidDefinition')
    expect(res.json().error.details).toEqual([
      { path: 'definition.all[0].performed.event', message: 'no event named "Ordr Completed" has been recorded in this workspace; check the spelling, or save with ?allowUnknownNames=true if its tracking is still being added' },
      { path: 'definition.all[2].trait', message: 'no profile among the 10,000 most recently updated has a trait "plna"; check the spelling, or save with ?allowUnknownNames=true if it is still to come' },
    ])
    expect(await h.chorus.ctx.database.db.selectFrom('audiences').select('id').where('name', '=', 'Typos').execute()).toEqual([])
  })

  it('accepts names not seen yet when told to, with a warning naming them', async () => {
    const c = await client()
    await c.send([{ type: 'track', userId: 'w1', event: 'Order Completed', properties: { total: 5 } }, { type: 'identify', userId: 'w1', traits: { plan: 'pro' } }])
    const definition = { all: [{ performed: { event: 'Coupon Redeemed' } }, { performed: { event: 'Order Completed' } }, { trait: 'tier', op: 'exists' }, { trait: 'plan', op: 'exists' }] }
    const warnings = [
      { path: 'definition.all[0].performed.event', message: 'this workspace has never received an event named "Coupon Redeemed"; check the spelling (the definition is accepted)' },
      { path: 'definition.all[2].trait', message: 'no profile among the 10,000 most recently updated has a trait "tier"; check the spelling (the definition is accepted)' },
    ]
    const created = await c.api('POST', '/audiences?allowUnknownNames=true', { name: 'Coupon people', definition })
    expect(created.statusCode).toBe(201)
    expect(created.json().warnings).toEqual(warnings)
    // A change names them again: refused unless told again.
    const id = created.json().audience.id
    expect((await c.api('PATCH', `/audiences/${id}`, { definition })).statusCode).toBe(400)
    const changed = await c.api('PATCH', `/audiences/${id}?allowUnknownNames=true`, { definition: { ...definition, all: definition.all.slice(0, 3) } })
    expect(changed.statusCode).toBe(200)
    expect(changed.json().warnings).toEqual(warnings)
    // An estimate saves nothing: it answers with the size and the same warnings.
    const estimate = await c.api('POST', '/audiences/estimate', { definition })
    expect(estimate.statusCode).toBe(200)
    expect(estimate.json().warnings).toEqual(warnings)
  })

  it('does not refuse names in a workspace with no data yet (it cannot tell a typo)', async () => {
    const c = await client()
    const res = await c.api('POST', '/audiences', { name: 'Early', definition: { all: [{ performed: { event: 'Order Completed' } }, { trait: 'plan', op: 'exists' }] } })
    expect(res.statusCode).toBe(201)
    expect(res.json().warnings.map((w: { path: string }) => w.path)).toEqual(['definition.all[0].performed.event', 'definition.all[1].trait'])
  })

  it('rejects trait paths that could carry SQL or JSON-path syntax', async () => {
    const c = await client()
    for (const trait of ["plan'); drop table profiles; --", 'a.b[0]', '$..*', 'a"b', 'a..b', 'a.b.c.d.e.f']) {
      const res = await c.api('POST', '/audiences/estimate', { definition: { trait, op: 'exists' } })
      expect(res.statusCode, trait).toBe(400)
      expect(res.json().error.message).toMatch(/^definition\.trait: expected names joined by dots/)
    }
    const property = await c.api('POST', '/audiences/estimate', { definition: { performed: { event: 'E', where: [{ property: "x' or 1=1", op: 'exists' }] } } })
    expect(property.json().error.message).toMatch(/^definition\.performed\.where\[0\]\.property: expected names joined by dots/)
    expect((await h.chorus.ctx.database.db.selectFrom('profiles').select('id').limit(1).execute()).length).toBeGreaterThanOrEqual(0)
  })

  it('estimates size and previews people before saving', async () => {
    const c = await client()
    await c.send(people(12, (i) => ({ age: 20 + i })))
    const res = await c.api('POST', '/audiences/estimate', { definition: { trait: 'age', op: 'gte', value: 25 }, sample: 3 })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.size).toBe(7)
    expect(body.sample).toHaveLength(3)
    for (const s of body.sample) expect(s.traits.age).toBeGreaterThanOrEqual(25)
    expect(await c.api('GET', '/audiences').then((r) => r.json().items)).toEqual([])
  })

  it('pages members with a cursor and exports them as CSV', async () => {
    const c = await client()
    await c.send(people(7))
    await c.send([{ type: 'identify', userId: 'u03', traits: { phone: '138 0013 8000', note: 'has, comma' } }])
    const id = await c.create('Everyone', { trait: 'email', op: 'exists' })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { items: Array<{ profileId: string; enteredAt: string }>; nextCursor: string | null } = (await c.api('GET', `/audiences/${id}/members?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json()
      for (const m of page.items) expect(m.enteredAt).toBe(iso(h.chorus.clock.now()))
      seen.push(...page.items.map((m) => m.profileId))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toHaveLength(7)
    expect([...seen].sort()).toEqual(seen)
    expect((await c.api('GET', `/audiences/${id}/members?cursor=%%%`)).statusCode).toBe(400)

    const csv = await c.api('GET', `/audiences/${id}/members.csv`)
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8')
    const lines = csv.body.trimEnd().split('\r\n')
    expect(lines[0]).toBe('profile_id,entered_at,user_id,email,phone,wechat_unionid,wechat_openid')
    expect(lines).toHaveLength(8)
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(seen)
    const u03 = lines.find((l) => l.includes(',u03,'))!
    expect(u03.split(',').slice(2, 5)).toEqual(['u03', 'u3@example.com', '+8613800138000'])
  })

  it('uploads static members from CSV, appending or replacing as asked, with a line-numbered report', async () => {
    const c = await client()
    await c.send(people(4))
    const id = (await c.api('POST', '/audiences', { name: 'VIP list', kind: 'static' })).json().audience.id
    const upload = (csv: string, mode?: string) =>
      h.chorus.app.inject({ method: 'POST', url: `/api/v1/audiences/${id}/members/upload${mode ? `?mode=${mode}` : ''}`, headers: { ...c.ws.bearer, 'content-type': 'text/csv' }, payload: csv })

    const noMode = await upload('type,value\nuser_id,u00\n')
    expect(noMode.statusCode).toBe(400)
    expect(noMode.json().error).toMatchObject({ code: 'ModeRequired' })
    expect(noMode.json().error.message).toContain('?mode=replace')
    expect((await upload('type,value\nuser_id,u00\n', 'merge')).json().error.message).toContain('"merge" is neither')
    expect((await upload('name,city\nLi,Beijing\n', 'append')).json().error.code).toBe('BadFile')

    const first = await upload('type,value\nuser_id,u00\nemail,U1@Example.com\nuser_id,nobody\nphone,12\n,u02\nuser_id,u00\n', 'append')
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json()).toEqual({
      mode: 'append',
      rows: 6,
      matched: 3,
      people: 2,
      unmatched: [
        { line: 4, reason: 'no profile has user_id nobody' },
        { line: 5, reason: '"12" is not a valid phone' },
        { line: 6, reason: 'no identifier type' },
      ],
      unmatchedCount: 3,
      entered: 2,
      exited: 0,
    })
    expect(await c.memberUserIds(id)).toEqual(['u00', 'u01'])

    const appended = (await upload('email\nu2@example.com\n', 'append')).json()
    expect(appended).toMatchObject({ entered: 1, exited: 0 })
    expect(await c.memberUserIds(id)).toEqual(['u00', 'u01', 'u02'])

    const replaced = (await upload('user_id\r\nu02\r\nu03\r\n', 'replace')).json()
    expect(replaced).toMatchObject({ mode: 'replace', rows: 2, matched: 2, entered: 1, exited: 2 })
    expect(await c.memberUserIds(id)).toEqual(['u02', 'u03'])

    const events = await c.membershipEvents(id)
    expect(events.filter((e) => e.event === 'Audience Entered')).toHaveLength(4)
    expect(events.filter((e) => e.event === 'Audience Exited')).toHaveLength(2)
    expect(events[0]!.properties).toEqual({ audienceId: id, audienceName: 'VIP list' })

    const dynamic = await c.create('Dynamic', { trait: 'email', op: 'exists' })
    const refused = await h.chorus.app.inject({ method: 'POST', url: `/api/v1/audiences/${dynamic}/members/upload?mode=append`, headers: { ...c.ws.bearer, 'content-type': 'text/csv' }, payload: 'user_id\nu00\n' })
    expect(refused.statusCode).toBe(409)
    expect((await c.api('POST', `/audiences/${id}/recompute`)).statusCode).toBe(409)
  })

  it('lets a viewer read but not create', async () => {
    const viewer = workspaceClient(h, await newWorkspace(h.chorus, 'viewer'))
    expect((await viewer.api('POST', '/audiences', { name: 'x', definition: { trait: 'a', op: 'exists' } })).statusCode).toBe(403)
    expect((await viewer.api('GET', '/audiences')).statusCode).toBe(200)
  })

  it('marks an audience with a time window as time dependent', async () => {
    const c = await client()
    await c.send([{ type: 'track', userId: 't1', event: 'Order Completed', timestamp: iso(h.chorus.clock.now() - DAY), properties: { total: 10 } }])
    const res = (await c.api('POST', '/audiences', { name: 'Recent', definition: { performed: { event: 'Order Completed', within: '7d' } } })).json()
    expect(res.audience.timeDependent).toBe(true)
    expect(res.audience.nextCheckAt).toBe(iso(h.chorus.clock.now()))
  })
})
