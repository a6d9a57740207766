import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { androidFormBody, jsImageUrl, jsSendData, miniProgramGzipBody } from '../../src/ingest/sensors/sdk-encoders.fixture.ts'

describe.each(DIALECTS)('Sensors Data upload endpoint on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const workspaceName = async (ws: TestWorkspace) =>
    (await chorus.ctx.database.db.selectFrom('workspaces').select('name').where('id', '=', ws.workspaceId).executeTakeFirstOrThrow()).name
  const events = (ws: TestWorkspace) =>
    chorus.ctx.database.db.selectFrom('events').select(['type', 'event', 'user_id', 'anonymous_id', 'channel', 'profile_id']).where('workspace_id', '=', ws.workspaceId).orderBy('seq').execute()
  const serverUrl = async (ws: TestWorkspace, path = '/sa') => `${path}?project=${await workspaceName(ws)}&token=${ws.writeKey}`
  const time = Date.UTC(2026, 10, 20, 7, 0, 0)

  it('stores a Web SDK image beacon (GET) and answers a 1×1 GIF', async () => {
    const ws = await newWorkspace(chorus)
    const record = { type: 'track', event: '$pageview', distinct_id: 'cookie-1', time, _track_id: 11, lib: { $lib: 'js' }, properties: { $lib: 'js', $url: 'https://brand.example/', $title: '首页' } }
    const res = await chorus.app.inject({ method: 'GET', url: jsImageUrl(await serverUrl(ws, '/sa.gif'), record) })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/gif')
    expect(res.rawPayload.subarray(0, 6).toString()).toBe('GIF89a')
    expect(await events(ws)).toMatchObject([{ type: 'page', anonymous_id: 'cookie-1', channel: 'web' }])
  })

  it('stores a gzip data_list POSTed the way the Android SDK does', async () => {
    const ws = await newWorkspace(chorus)
    const records = [1, 2, 3].map((i) => ({
      type: 'track', event: 'ViewProduct', distinct_id: 'android-id-1', time: time + i, _track_id: i,
      identities: { $identity_android_id: 'android-id-1' }, lib: { $lib: 'Android' }, properties: { $lib: 'Android', product: `p${i}` },
    }))
    const res = await chorus.app.inject({ method: 'POST', url: await serverUrl(ws), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: androidFormBody(records) })
    expect(res.statusCode).toBe(200)
    expect((await events(ws)).map((e) => e.event)).toEqual(['ViewProduct', 'ViewProduct', 'ViewProduct'])
    // The SDK resends the same records after a timeout: nothing is stored twice.
    await chorus.app.inject({ method: 'POST', url: await serverUrl(ws), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: androidFormBody(records) })
    expect(await events(ws)).toHaveLength(3)
  })

  it('stores a text/plain beacon body', async () => {
    const ws = await newWorkspace(chorus)
    const record = { type: 'track', event: 'AddToCart', distinct_id: 'cookie-2', time, _track_id: 5, lib: { $lib: 'js' }, properties: { $lib: 'js' } }
    const res = await chorus.app.inject({ method: 'POST', url: await serverUrl(ws), headers: { 'content-type': 'text/plain' }, payload: jsSendData(record) })
    expect(res.statusCode).toBe(200)
    expect((await events(ws)).map((e) => e.event)).toEqual(['AddToCart'])
  })

  it('joins a mini-program user and a website user into one profile once an identifier links them', async () => {
    const ws = await newWorkspace(chorus)
    const mp = {
      type: 'track', event: '$MPViewScreen', distinct_id: 'member-77', time, _track_id: 1, lib: { $lib: 'MiniProgram' },
      identities: { $identity_login_id: 'member-77', $identity_mp_openid: 'oXyZ-openid', $identity_mobile: '13700007777' },
      properties: { $lib: 'MiniProgram', $is_login_id: true },
    }
    const res = await chorus.app.inject({ method: 'POST', url: await serverUrl(ws), headers: { 'content-type': 'application/json' }, payload: miniProgramGzipBody([mp]) })
    expect(res.statusCode).toBe(200)
    await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch: [{ type: 'identify', anonymousId: 'web-anon', traits: { phone: '+86 137 0000 7777' } }, { type: 'track', anonymousId: 'web-anon', event: 'Product Viewed' }] } })
    const profile = (await chorus.app.inject({ method: 'GET', url: '/api/v1/profiles/lookup?type=wechat_openid&value=oXyZ-openid', headers: ws.bearer })).json()
    expect(profile.identities).toEqual(expect.arrayContaining([{ type: 'anonymous_id', value: 'web-anon' }, { type: 'user_id', value: 'member-77' }, { type: 'phone', value: '+8613700007777' }]))
    expect(profile.eventCount).toBe(3)
    expect(profile.channels).toEqual(expect.arrayContaining(['wechat_mini_program']))
  })

  it('applies profile_set and profile_increment to the same profile', async () => {
    const ws = await newWorkspace(chorus)
    const base = { distinct_id: 'm-1', time, lib: { $lib: 'js' }, identities: { $identity_login_id: 'm-1' } }
    await chorus.app.inject({
      method: 'POST', url: await serverUrl(ws), headers: { 'content-type': 'text/plain' },
      payload: `data_list=${encodeURIComponent(Buffer.from(JSON.stringify([
        { ...base, type: 'profile_set', _track_id: 1, properties: { city: '杭州', level: 'gold' } },
        { ...base, type: 'profile_increment', _track_id: 2, properties: { points: 5 } },
        { ...base, type: 'profile_increment', _track_id: 3, properties: { points: 7 } },
      ])).toString('base64'))}`,
    })
    const profile = (await chorus.app.inject({ method: 'GET', url: '/api/v1/profiles/lookup?type=user_id&value=m-1', headers: ws.bearer })).json()
    expect(profile.traits).toMatchObject({ city: '杭州', level: 'gold', points: 12 })
  })

  it('stores item_set as an item, not an event', async () => {
    const ws = await newWorkspace(chorus)
    const record = { type: 'item_set', item_type: 'product', item_id: 'sku-1', time, lib: { $lib: 'js' }, properties: { name: '活力元气水', price: 19.9 } }
    const res = await chorus.app.inject({ method: 'GET', url: jsImageUrl(await serverUrl(ws), record) })
    expect(res.statusCode).toBe(200)
    const items = await chorus.ctx.database.db.selectFrom('items').selectAll().where('workspace_id', '=', ws.workspaceId).execute()
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ item_type: 'product', item_id: 'sku-1', deleted: 0 })
    expect(await events(ws)).toHaveLength(0)
  })

  it('validates without storing in debug mode', async () => {
    const ws = await newWorkspace(chorus)
    const record = { type: 'track', event: 'Debugged', distinct_id: 'd', time, _track_id: 9, lib: { $lib: 'js' }, properties: {} }
    const res = await chorus.app.inject({ method: 'POST', url: await serverUrl(ws, '/debug'), headers: { 'content-type': 'text/plain', 'dry-run': 'true' }, payload: jsSendData(record) })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({})
    expect(await events(ws)).toHaveLength(0)
  })

  it('refuses encrypted, broken and unauthenticated uploads with a clear 4xx', async () => {
    const ws = await newWorkspace(chorus)
    const encrypted = await chorus.app.inject({ method: 'POST', url: await serverUrl(ws), headers: { 'content-type': 'text/plain' }, payload: 'data_list=abcd&gzip=13' })
    expect(encrypted.statusCode).toBe(400)
    expect(encrypted.json().error.message).toMatch(/encrypt/i)
    const broken = await chorus.app.inject({ method: 'POST', url: await serverUrl(ws), headers: { 'content-type': 'text/plain' }, payload: 'data_list=%%%not-base64&gzip=1' })
    expect(broken.statusCode).toBe(400)
    const noToken = await chorus.app.inject({ method: 'POST', url: '/sa?project=default', headers: { 'content-type': 'text/plain' }, payload: jsSendData({ type: 'track', event: 'x', distinct_id: 'd', time, properties: {} }) })
    expect(noToken.statusCode).toBe(401)
    const wrongProject = await chorus.app.inject({ method: 'POST', url: `/sa?project=elsewhere&token=${ws.writeKey}`, headers: { 'content-type': 'text/plain' }, payload: jsSendData({ type: 'track', event: 'x', distinct_id: 'd', time, properties: {} }) })
    expect(wrongProject.statusCode).toBe(403)
    expect(await events(ws)).toHaveLength(0)
  })
})
