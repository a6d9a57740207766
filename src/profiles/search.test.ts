import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../test/support/chorus.ts'

describe.each(DIALECTS)('GET /api/v1/profiles (people search) on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const send = (ws: TestWorkspace, batch: object[]) => chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch } })
  const search = async (ws: TestWorkspace, query: string) => {
    const res = await chorus.app.inject({ method: 'GET', url: `/api/v1/profiles?${query}`, headers: ws.bearer })
    expect(res.statusCode).toBe(200)
    return res.json() as { items: Array<{ id: string; displayName: string; match: string | null; identities: Array<{ type: string; value: string }> }>; nextCursor: string | null }
  }

  /** Three people, written a minute apart so "most recently updated" has one answer. */
  async function seed(ws: TestWorkspace) {
    const t = Date.UTC(2026, 9, 1)
    const people = [
      { userId: 'u-wang', traits: { name: '王芳', phone: '13800138000', city: '上海' } },
      { userId: 'u-li', traits: { name: '李雷', email: 'Li.Lei@Example.com', city: '北京', note: '喜欢上海的咖啡' } },
      { userId: 'u-chen', traits: { name: '陈静', city: '上海', vip: true } },
    ]
    for (const [i, person] of people.entries()) {
      chorus.clock.advance(60_000)
      expect((await send(ws, [{ type: 'identify', ...person, timestamp: new Date(t + i * 60_000).toISOString() }])).statusCode).toBe(200)
    }
  }

  it('finds a person by a phone number typed the way people type it, first and marked as an identifier match', async () => {
    const ws = await newWorkspace(chorus)
    await seed(ws)
    const page = await search(ws, `q=${encodeURIComponent('138 0013 8000')}`)
    expect(page.items[0]).toMatchObject({ displayName: '王芳', match: 'identifier' })
    expect(page.items[0]!.identities).toContainEqual({ type: 'phone', value: '+8613800138000' })
    const partial = await search(ws, 'q=1380013')
    expect(partial.items.map((i) => i.displayName)).toEqual(['王芳'])
  })

  it('finds people by an email in any case and by text in a trait value', async () => {
    const ws = await newWorkspace(chorus)
    await seed(ws)
    expect((await search(ws, 'q=LI.LEI@example.com')).items.map((i) => i.displayName)).toEqual(['李雷'])
    const shanghai = await search(ws, `q=${encodeURIComponent('上海')}`)
    expect(shanghai.items.map((i) => i.displayName).sort()).toEqual(['李雷', '王芳', '陈静'].sort())
    expect(shanghai.items.every((i) => i.match === 'trait')).toBe(true)
    expect((await search(ws, 'q=nobody-matches-this')).items).toEqual([])
  })

  it('filters by a trait value and by having an identifier type', async () => {
    const ws = await newWorkspace(chorus)
    await seed(ws)
    expect((await search(ws, `trait=${encodeURIComponent('city=上海')}`)).items.map((i) => i.displayName).sort()).toEqual(['王芳', '陈静'].sort())
    expect((await search(ws, 'trait=vip=true')).items.map((i) => i.displayName)).toEqual(['陈静'])
    expect((await search(ws, 'identifierType=email')).items.map((i) => i.displayName)).toEqual(['李雷'])
    const bad = await chorus.app.inject({ method: 'GET', url: '/api/v1/profiles?trait=city', headers: ws.bearer })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('key=value')
  })

  it('pages through everyone, most recently updated first, without repeats', async () => {
    const ws = await newWorkspace(chorus)
    await seed(ws)
    const first = await search(ws, 'limit=2')
    expect(first.items.map((i) => i.displayName)).toEqual(['陈静', '李雷'])
    const second = await search(ws, `limit=2&cursor=${first.nextCursor}`)
    expect(second).toMatchObject({ items: [{ displayName: '王芳' }], nextCursor: null })
  })
})
