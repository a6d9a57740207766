import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { api, newWorkspace, startJourneyHarness, type JourneyHarness } from './support/journey-harness.ts'

const HOUR = 3_600_000

const welcome = (text: string) => ({
  entry: { event: 'Signed Up' },
  start: 'wait-a-day',
  nodes: [
    { id: 'wait-a-day', type: 'delay', for: '1d', next: 'welcome' },
    { id: 'welcome', type: 'send', channel: 'webhook', message: { text }, next: 'done' },
    { id: 'done', type: 'exit' },
  ],
})

describe.each(DIALECTS)('journeys API (%s)', (dialect) => {
  let h: JourneyHarness
  beforeAll(async () => {
    h = await startJourneyHarness(dialect)
  })
  afterAll(() => h.close())

  it('rejects a bad definition with every problem named by node', async () => {
    const ws = await newWorkspace(h.chorus)
    const res = await api(h, ws).createJourney('Broken', {
      entry: { event: 'Signed Up' },
      start: 'a',
      nodes: [
        { id: 'a', type: 'random_split', branches: [{ key: 'x', percent: 60, next: 'b' }, { key: 'y', percent: 30, next: 'gone' }] },
        { id: 'b', type: 'teleport' },
        { id: 'c', type: 'exit' },
      ],
    })
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.error.code).toBe('InvalidJourney')
    expect(body.error.message).toBe('The journey definition has 1 problem: node "b": unknown node type "teleport"; expected one of delay, wait_for_event, condition, random_split, send, update_trait, webhook, exit')
    const fixedType = await api(h, ws).createJourney('Broken', {
      entry: { event: 'Signed Up' },
      start: 'a',
      nodes: [
        { id: 'a', type: 'random_split', branches: [{ key: 'x', percent: 60, next: 'b' }, { key: 'y', percent: 30, next: 'gone' }] },
        { id: 'b', type: 'exit' },
        { id: 'c', type: 'exit' },
      ],
    })
    expect(fixedType.statusCode).toBe(400)
    expect(fixedType.json().error.details.map((p: { node: string; message: string }) => [p.node, p.message])).toEqual([
      ['a', 'node "a": branches[1].next points to "gone", which is not a node (missing exit)'],
      ['a', 'node "a": branch percentages sum to 90, not 100'],
      ['c', 'node "c": unreachable from start "a"'],
    ])
  })

  it('refuses a cycle that takes no time, naming its nodes, and stores nothing', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const res = await client.createJourney(
      'Spinner',
      {
        entry: { event: 'Signed Up' },
        start: 'nudge',
        nodes: [
          { id: 'nudge', type: 'send', channel: 'webhook', message: { text: 'hello' }, next: 'tag' },
          { id: 'tag', type: 'update_trait', increment: { nudges: 1 }, next: 'enough' },
          { id: 'enough', type: 'condition', branches: [{ key: 'many', when: { trait: 'nudges', op: 'gte', value: 3 }, next: 'done' }], otherwise: 'nudge' },
          { id: 'done', type: 'exit' },
        ],
      },
      '?allowUnknownNames=true',
    )
    expect(res.statusCode).toBe(400)
    const error = res.json().error
    expect(error.code).toBe('InvalidJourney')
    expect(error.details.map((p: { node: string; message: string }) => [p.node, p.message])).toEqual([['nudge', 'node "nudge": cycle nudge → tag → enough → nudge has no delay or wait_for_event, so a run would loop without end']])
    expect(error.message).toContain('nudge → tag → enough → nudge')
    const list = await client.inject({ method: 'GET', url: '/api/v1/journeys', headers: ws.bearer })
    expect(list.json().items).toEqual([])
    const stored = await h.chorus.ctx.database.db.selectFrom('journeys').select('id').where('workspace_id', '=', ws.workspaceId).execute()
    expect(stored).toEqual([])
  })

  it('checks event and trait names against what the workspace has recorded', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    await client.identify('u1', { name: '王芳', plan: 'pro' })
    await client.track('u1', 'Product Added', { sku: 'A' })
    const definition = {
      entry: { event: 'Product Addded' },
      start: 'vip',
      nodes: [
        { id: 'vip', type: 'condition', branches: [{ key: 'pro', when: { trait: 'plann', op: 'eq', value: 'pro' }, next: 'done' }], otherwise: 'done' },
        { id: 'done', type: 'exit' },
      ],
    }
    const res = await client.createJourney('Typos', definition)
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details.map((p: { message: string }) => p.message)).toEqual([
      'journey: no event named "Product Addded" has been recorded in this workspace',
      'node "vip": no profile has a trait named "plann"',
    ])
    expect((await client.createJourney('Planned tracking', definition, '?allowUnknownNames=true')).statusCode).toBe(201)
    const validate = await client.inject({ method: 'POST', url: '/api/v1/journeys/validate', headers: ws.bearer, payload: { definition: { ...definition, entry: { event: 'Product Added' }, nodes: [definition.nodes[0], { id: 'done', type: 'exit' }].map((n) => (n!.id === 'vip' ? { ...n, branches: [{ key: 'pro', when: { trait: 'plan', op: 'eq', value: 'pro' }, next: 'done' }] } : n)) } } })
    expect(validate.json()).toEqual({ valid: true, problems: [] })
  })

  it('keeps published versions immutable; people inside finish on theirs while new people get the new one', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Welcome', welcome('Welcome (v1)'))
    await client.track('early', 'Signed Up')
    await h.settle()

    const edit = await client.inject({ method: 'PUT', url: `/api/v1/journeys/${id}`, headers: ws.bearer, payload: { definition: welcome('Welcome (v2)') } })
    expect(edit.statusCode).toBe(200)
    expect(edit.json()).toMatchObject({ status: 'published', currentVersion: 1, draftVersion: 2 })
    // Editing again replaces the draft, never version 1.
    await client.inject({ method: 'PUT', url: `/api/v1/journeys/${id}`, headers: ws.bearer, payload: { definition: welcome('Welcome (v2, final)') } })
    const v1 = await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/versions/1`, headers: ws.bearer })
    expect(v1.json().definition.nodes[1].message.text).toBe('Welcome (v1)')

    const publish = await client.inject({ method: 'POST', url: `/api/v1/journeys/${id}/publish`, headers: ws.bearer })
    expect(publish.json()).toMatchObject({ currentVersion: 2, draftVersion: null, versions: [{ version: 1, state: 'superseded' }, { version: 2, state: 'published' }] })
    expect((await client.inject({ method: 'POST', url: `/api/v1/journeys/${id}/publish`, headers: ws.bearer })).json().error.code).toBe('NothingToPublish')

    await client.track('late', 'Signed Up')
    await h.settle()
    await h.advance(25 * HOUR)
    const early = await client.profileId('early')
    const late = await client.profileId('late')
    expect(h.sink.to(early).map((m) => m.text)).toEqual(['Welcome (v1)'])
    expect(h.sink.to(late).map((m) => m.text)).toEqual(['Welcome (v2, final)'])
    const runs = (await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs`, headers: ws.bearer })).json().items
    expect(runs.map((r: { profileId: string; version: number; state: string; endReason: string }) => [r.profileId, r.version, r.state, r.endReason]).sort()).toEqual(
      [
        [early, 1, 'ended', 'exit'],
        [late, 2, 'ended', 'exit'],
      ].sort(),
    )
    expect((await client.metrics(id, 1)).nodes[1]).toMatchObject({ id: 'welcome', sent: 1 })
    expect((await client.metrics(id, 2)).nodes[1]).toMatchObject({ id: 'welcome', sent: 1 })
  })

  it('pauses entries and progress, resumes where runs stood, and archives for good', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    const id = await client.publishJourney('Welcome', welcome('Hello'))
    await client.track('inside', 'Signed Up')
    await h.settle()
    expect((await client.inject({ method: 'POST', url: `/api/v1/journeys/${id}/pause`, headers: ws.bearer })).json().status).toBe('paused')

    await client.track('while-paused', 'Signed Up')
    await h.settle()
    await h.advance(25 * HOUR)
    expect(h.sink.to(await client.profileId('inside'))).toHaveLength(0)
    const held = (await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs?state=paused`, headers: ws.bearer })).json().items
    expect(held).toHaveLength(1)
    expect((await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs`, headers: ws.bearer })).json().items).toHaveLength(1)

    expect((await client.inject({ method: 'POST', url: `/api/v1/journeys/${id}/resume`, headers: ws.bearer })).json().status).toBe('published')
    await h.settle()
    expect(h.sink.to(await client.profileId('inside')).map((m) => m.text)).toEqual(['Hello'])

    await client.track('second', 'Signed Up')
    await h.settle()
    const archived = await client.inject({ method: 'POST', url: `/api/v1/journeys/${id}/archive`, headers: ws.bearer })
    expect(archived.json().status).toBe('archived')
    await h.advance(25 * HOUR)
    expect(h.sink.to(await client.profileId('second'))).toHaveLength(0)
    const runs = (await client.inject({ method: 'GET', url: `/api/v1/journeys/${id}/runs?profileId=${await client.profileId('second')}`, headers: ws.bearer })).json().items
    expect(runs).toMatchObject([{ state: 'ended', endReason: 'archived' }])
    const edit = await client.inject({ method: 'PUT', url: `/api/v1/journeys/${id}`, headers: ws.bearer, payload: { definition: welcome('x') } })
    expect(edit.statusCode).toBe(409)
    expect(edit.json().error.message).toBe('An archived journey cannot be edited')
  })

  it('lists journeys a page at a time and refuses viewers changes', async () => {
    const ws = await newWorkspace(h.chorus)
    const client = api(h, ws)
    for (const name of ['One', 'Two', 'Three']) {
      h.chorus.clock.advance(1)
      expect((await client.createJourney(name, welcome(name))).statusCode).toBe(201)
    }
    const first = (await client.inject({ method: 'GET', url: '/api/v1/journeys?limit=2', headers: ws.bearer })).json()
    expect(first.items.map((j: { name: string }) => j.name)).toEqual(['Three', 'Two'])
    const second = (await client.inject({ method: 'GET', url: `/api/v1/journeys?limit=2&cursor=${first.nextCursor}`, headers: ws.bearer })).json()
    expect(second.items.map((j: { name: string }) => j.name)).toEqual(['One'])
    expect(second.nextCursor).toBeNull()

    const viewer = await newWorkspace(h.chorus, 'viewer')
    const refused = await api(h, viewer).createJourney('Nope', welcome('x'))
    expect(refused.statusCode).toBe(403)
  })
})
