import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { TEST_HOUSE, tokenFor } from './test-fixtures.ts'

describe.each(DIALECTS)('content hub API on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, headers: object, payload?: object) =>
    chorus.app.inject({ method, url: `/api/v1${url}`, headers: headers as Record<string, string>, ...(payload ? { payload } : {}) })

  async function houseIn(ws: TestWorkspace, house: object = TEST_HOUSE) {
    const res = await call('POST', '/content/houses', ws.bearer, { name: '活力健康 上市', house })
    expect(res.statusCode).toBe(201)
    return res.json()
  }
  const putCell = (ws: TestWorkspace, houseId: string, channel: string, stage: string, body: object, headers: object = ws.bearer) =>
    call('PUT', `/content/houses/${houseId}/matrix/${channel}/${stage}`, headers, body)

  it('versions a message house: each save is a new version, old versions stay readable, checks use the current one', async () => {
    const ws = await newWorkspace(chorus)
    const house = await houseIn(ws)
    expect(house).toMatchObject({ version: 1, currentVersion: 1, brand: '和声优品' })
    const cell = await putCell(ws, house.id, 'weibo-post', 'awareness', { fields: { body: '#活力元气水# 和声优品新品：活力健康每一天，一口补充电解质。' }, hashtags: [] })
    expect(cell.statusCode).toBe(200)
    expect(cell.json().check.houseVersion).toBe(1)

    const v2 = await call('PUT', `/content/houses/${house.id}`, ws.bearer, { house: { ...TEST_HOUSE, forbiddenWords: [{ text: '每一天', reason: 'test: a phrase we no longer use' }] }, note: 'drop 每一天' })
    expect(v2.statusCode).toBe(200)
    expect(v2.json()).toMatchObject({ version: 2, currentVersion: 2, note: 'drop 每一天' })

    const variant = (await call('GET', `/content/variants/${cell.json().id}`, ws.bearer)).json()
    expect(variant.check.houseVersion).toBe(2)
    const forbidden = variant.check.report.items.filter((i: { check: string }) => i.check === 'forbidden')
    expect(forbidden).toHaveLength(1)
    expect(forbidden[0].where[0]).toMatchObject({ field: 'body', text: '每一天' })

    const v1 = (await call('GET', `/content/houses/${house.id}/versions/1`, ws.bearer)).json()
    expect(v1).toMatchObject({ version: 1, currentVersion: 2 })
    expect(v1.house.forbiddenWords).toEqual([{ text: '治愈', reason: '饮料不得宣称疗效' }])
    const versions = (await call('GET', `/content/houses/${house.id}/versions`, ws.bearer)).json().items
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1])
    expect((await call('GET', `/content/houses/${house.id}/versions/3`, ws.bearer)).statusCode).toBe(404)
  })

  it('extends the advertising-law list with the brand\'s own words in a new house version, and rechecks its variants', async () => {
    const ws = await newWorkspace(chorus)
    const house = await houseIn(ws)
    const cell = await putCell(ws, house.id, 'weibo-post', 'awareness', { fields: { body: '#活力元气水# 和声优品新品补充电解质，秒杀价限时三天。' }, hashtags: [] })
    const adLaw = (v: { check: { report: { items: Array<{ check: string; severity: string; where: Array<{ text: string }> }> } } }) =>
      v.check.report.items.filter((i) => i.check === 'ad-law').map((i) => `${i.severity} ${i.where[0]!.text}`)
    expect(adLaw(cell.json())).toEqual([])
    const v2 = await call('PUT', `/content/houses/${house.id}`, ws.bearer, { house: { ...TEST_HOUSE, adLawWords: { block: ['秒杀'] } }, note: '法务：不用秒杀' })
    expect(v2.statusCode).toBe(200)
    expect(v2.json().house.adLawWords).toEqual({ block: ['秒杀'], warn: [], allow: [] })
    const variant = (await call('GET', `/content/variants/${cell.json().id}`, ws.bearer)).json()
    expect(variant.check.houseVersion).toBe(2)
    expect(adLaw(variant)).toEqual(['block 秒杀'])
    const refused = await call('PUT', `/content/houses/${house.id}`, ws.bearer, { house: { ...TEST_HOUSE, adLawWords: { block: ['补充电解质'] } } })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.details).toEqual([{ path: 'adLawWords.block.0', message: '"补充电解质" is both a key phrase and a blocked word' }])
  })

  it('refuses an invalid house with the path and message of each problem', async () => {
    const ws = await newWorkspace(chorus)
    const res = await call('POST', '/content/houses', ws.bearer, { name: 'x', house: { brand: '和声优品', coreMessage: '第一句。第二句。', pillars: [] } })
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.error.message).toContain('coreMessage')
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['coreMessage', 'pillars']))
  })

  it('fills the content matrix, explains each finding and scores variants and the campaign', async () => {
    const ws = await newWorkspace(chorus)
    const house = await houseIn(ws)
    const good = await putCell(ws, house.id, 'weibo-post', 'awareness', { fields: { body: '#活力健康# 和声优品活力元气水，补充电解质，0糖0脂，让活力健康每一天。' } })
    const bad = await putCell(ws, house.id, 'xiaohongshu-note', 'consideration', {
      fields: { title: '全网第一的活力元气水真的绝了姐妹们快冲冲冲', body: '和声优品活力元气水，0糖0脂，到手价¥59。' },
      hashtags: ['活力健康'],
    })
    const sms = await putCell(ws, house.id, 'sms', 'decision', { fields: { signature: '【和声优品】', body: '活力元气水12瓶装到手价¥72，补充电解质。拒收请回复R' } })
    for (const res of [good, bad, sms]) expect(res.statusCode).toBe(200)

    const badVariant = bad.json()
    const items = badVariant.check.report.items as Array<{ code: string; severity: string; what: string; why: string; where: Array<{ field: string; text: string }> }>
    const adLaw = items.find((i) => i.code === 'ad-law.block')!
    expect(adLaw.where[0]).toMatchObject({ field: 'title', text: '全网第一' })
    expect(adLaw.why.length).toBeGreaterThan(10)
    expect(items.some((i) => i.code === 'channel.length.max' && i.where[0]?.field === 'title')).toBe(true)
    expect(badVariant.check.score).toBeLessThan(50)
    expect(good.json().check.score).toBeGreaterThan(badVariant.check.score)

    const matrix = (await call('GET', `/content/houses/${house.id}/matrix`, ws.bearer)).json()
    expect(matrix.stages).toEqual(['awareness', 'consideration', 'decision', 'loyalty'])
    expect(matrix.cells.map((c: { channel: string; stage: string }) => `${c.channel}/${c.stage}`)).toEqual(['sms/decision', 'weibo-post/awareness', 'xiaohongshu-note/consideration'])
    expect(matrix.consistency.score).toEqual(expect.any(Number))
    // ¥59 and ¥72 are two prices for the campaign's offer: a contradiction across variants.
    const contradiction = matrix.consistency.items.find((i: { check: string }) => i.check === 'contradiction')
    expect(contradiction.where.map((w: { variantId: string }) => w.variantId).sort()).toEqual([badVariant.id, sms.json().id].sort())

    // A new version of a cell: same variant, version 2, back to draft, rechecked.
    const fixed = await putCell(ws, house.id, 'xiaohongshu-note', 'consideration', {
      fields: { title: '活力元气水 0糖0脂', body: '和声优品活力元气水，补充电解质，0糖0脂，到手价¥72。' },
      hashtags: ['活力健康'],
      baseVersion: 1,
    })
    expect(fixed.json()).toMatchObject({ id: badVariant.id, version: 2, state: 'draft' })
    expect(fixed.json().check.blocks).toBe(0)
    const stale = await putCell(ws, house.id, 'xiaohongshu-note', 'consideration', { fields: { body: 'x' }, baseVersion: 1 })
    expect(stale.statusCode).toBe(409)
    const old = (await call('GET', `/content/variants/${badVariant.id}?version=1`, ws.bearer)).json()
    expect(old.fields.title).toContain('全网第一')
    expect(old.check.blocks).toBeGreaterThan(0)
    const after = (await call('GET', `/content/houses/${house.id}/report`, ws.bearer)).json()
    expect(after.items.some((i: { check: string }) => i.check === 'contradiction')).toBe(false)
  })

  it('refuses a cell on an unknown channel or stage, naming what is known', async () => {
    const ws = await newWorkspace(chorus)
    const house = await houseIn(ws)
    const unknown = await putCell(ws, house.id, 'myspace', 'awareness', { fields: { body: 'x' } })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.message).toContain('xiaohongshu-note')
    expect((await putCell(ws, house.id, 'sms', 'retention', { fields: { body: 'x' } })).statusCode).toBe(400)
    expect((await putCell(ws, 'mh_missing', 'sms', 'decision', { fields: { body: 'x' } })).statusCode).toBe(404)
  })

  it('lets marketers write and submit, reviewers approve and reject, and records who approved which version when', async () => {
    const ws = await newWorkspace(chorus)
    const db = chorus.ctx.database.db
    const marketer = await tokenFor(db, ws.workspaceId, 'marketer', chorus.clock.now())
    const reviewer = await tokenFor(db, ws.workspaceId, 'content_reviewer', chorus.clock.now())
    const house = await houseIn(ws)
    const cell = await putCell(ws, house.id, 'weibo-post', 'awareness', { fields: { body: '#活力健康# 和声优品活力元气水，补充电解质，0糖0脂。' } }, marketer)
    expect(cell.statusCode).toBe(200)
    const id = cell.json().id

    expect((await putCell(ws, house.id, 'weibo-post', 'loyalty', { fields: { body: 'x' } }, reviewer)).statusCode).toBe(403)
    expect((await call('POST', `/content/variants/${id}/approve`, marketer, {})).statusCode).toBe(403)
    expect((await call('POST', `/content/variants/${id}/submit`, marketer, { version: 1 })).statusCode).toBe(200)
    const marketerApproves = await call('POST', `/content/variants/${id}/approve`, marketer, { version: 1 })
    expect(marketerApproves.statusCode).toBe(403)
    expect(marketerApproves.json().error.message).toContain('marketer')

    const rejectWithoutReason = await call('POST', `/content/variants/${id}/reject`, reviewer, {})
    expect(rejectWithoutReason.statusCode).toBe(400)
    chorus.clock.advance(60_000)
    const approved = await call('POST', `/content/variants/${id}/approve`, reviewer, { version: 1 })
    expect(approved.statusCode).toBe(200)
    expect(approved.json().state).toBe('approved')
    expect((await call('POST', `/content/variants/${id}/publish`, reviewer, {})).statusCode).toBe(403)
    expect((await call('POST', `/content/variants/${id}/publish`, marketer, {})).json().state).toBe('published')

    const history = (await call('GET', `/content/variants/${id}/history`, ws.bearer)).json().items
    expect(history.map((h: { action: string }) => h.action)).toEqual(['created', 'submitted', 'approved', 'published'])
    const approval = history.find((h: { action: string }) => h.action === 'approved')
    expect(approval).toMatchObject({ version: 1, role: 'content_reviewer', actorName: 'content_reviewer-token', fromState: 'in_review', toState: 'approved' })
    expect(approval.at).toBe(new Date(chorus.clock.now()).toISOString())

    // Editing a published variant makes a new version that needs review again.
    const edited = await putCell(ws, house.id, 'weibo-post', 'awareness', { fields: { body: '#活力健康# 和声优品活力元气水，补充电解质，0糖0脂，活力健康每一天。' } }, marketer)
    expect(edited.json()).toMatchObject({ version: 2, state: 'draft' })
  })

  it('refuses to approve a version with a blocking finding, and a step out of order', async () => {
    const ws = await newWorkspace(chorus)
    const house = await houseIn(ws)
    const cell = await putCell(ws, house.id, 'weibo-post', 'awareness', { fields: { body: '#活力健康# 和声优品活力元气水全网第一，补充电解质。' } })
    const id = cell.json().id
    expect((await call('POST', `/content/variants/${id}/approve`, ws.bearer, {})).statusCode).toBe(409)
    await call('POST', `/content/variants/${id}/submit`, ws.bearer, {})
    const refused = await call('POST', `/content/variants/${id}/approve`, ws.bearer, {})
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.message).toContain('全网第一')
    const rejected = await call('POST', `/content/variants/${id}/reject`, ws.bearer, { comment: '去掉全网第一' })
    expect(rejected.json().state).toBe('draft')
  })

  it('applies a workspace\'s channel profile edits to the checks, and restores the default on reset', async () => {
    const ws = await newWorkspace(chorus)
    const house = await houseIn(ws)
    // 24 Chinese characters: over the shipped 20-unit Xiaohongshu title limit.
    const title = '活力元气水补充电解质零糖零脂喝出活力健康每一天真好'
    const cell = await putCell(ws, house.id, 'xiaohongshu-note', 'awareness', { fields: { title, body: '和声优品活力元气水，补充电解质，0糖0脂。' }, hashtags: ['活力健康'] })
    const overLimit = (v: { check: { report: { items: Array<{ code: string }> } } }) => v.check.report.items.some((i) => i.code === 'channel.length.max')
    expect(overLimit(cell.json())).toBe(true)

    const patched = await call('PATCH', '/content/channels/xiaohongshu-note', ws.bearer, { upsert: [{ id: 'title-length', kind: 'length', fields: ['title'], unit: 'units', max: 30 }] })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ customised: true, hasDefault: true })
    expect(overLimit((await call('GET', `/content/variants/${cell.json().id}`, ws.bearer)).json())).toBe(false)

    const listed = (await call('GET', '/content/channels', ws.bearer)).json().items
    expect(listed.find((p: { profile: { id: string } }) => p.profile.id === 'xiaohongshu-note').customised).toBe(true)
    expect(listed.find((p: { profile: { id: string } }) => p.profile.id === 'sms').customised).toBe(false)

    const badRule = await call('PATCH', '/content/channels/xiaohongshu-note', ws.bearer, { remove: ['no-such-rule'] })
    expect(badRule.statusCode).toBe(400)
    expect(badRule.json().error.message).toContain('no-such-rule')

    expect((await call('DELETE', '/content/channels/xiaohongshu-note', ws.bearer)).statusCode).toBe(200)
    expect(overLimit((await call('GET', `/content/variants/${cell.json().id}`, ws.bearer)).json())).toBe(true)

    const own = await call('PUT', '/content/channels/bilibili-dynamic', ws.bearer, { id: 'bilibili-dynamic', name: 'B站动态', rules: [{ id: 'body-length', kind: 'length', fields: ['body'], unit: 'chars', max: 10 }] })
    expect(own.statusCode).toBe(200)
    const onOwn = await putCell(ws, house.id, 'bilibili-dynamic', 'awareness', { fields: { body: '和声优品活力元气水，补充电解质，0糖0脂。' } })
    expect(onOwn.statusCode).toBe(200)
    expect(overLimit(onOwn.json())).toBe(true)
  })

  it('keeps assets with tags and usage per variant, and refuses to delete one in use', async () => {
    const ws = await newWorkspace(chorus)
    const house = await houseIn(ws)
    const cell = (await putCell(ws, house.id, 'weibo-post', 'awareness', { fields: { body: '#活力健康# 和声优品活力元气水，补充电解质。' } })).json()
    const image = await call('POST', '/content/assets', ws.bearer, { kind: 'image', url: 'https://cdn.example.com/kv.jpg', title: '活力元气水 主视觉', tags: ['KV', '活力健康'], meta: { width: 1080, height: 1440 } })
    expect(image.statusCode).toBe(201)
    const video = await call('POST', '/content/assets', ws.bearer, { kind: 'video', url: 'https://video.example.com/tvc.mp4', title: 'Hydration TVC 15s', tags: ['tvc'] })
    expect(video.statusCode).toBe(201)
    expect((await call('POST', '/content/assets', ws.bearer, { kind: 'image', url: 'ftp://x', title: 'x' })).statusCode).toBe(400)

    const byTag = (await call('GET', '/content/assets?tag=kv', ws.bearer)).json().items
    expect(byTag.map((a: { id: string }) => a.id)).toEqual([image.json().id])
    expect((await call('POST', `/content/variants/${cell.id}/assets`, ws.bearer, { assetId: image.json().id, placement: 'cover' })).statusCode).toBe(200)
    const asset = (await call('GET', `/content/assets/${image.json().id}`, ws.bearer)).json()
    expect(asset.usages).toEqual([expect.objectContaining({ variantId: cell.id, placement: 'cover', channel: 'weibo-post', stage: 'awareness' })])
    expect((await call('GET', '/content/assets?tag=kv', ws.bearer)).json().items[0].usageCount).toBe(1)

    const refused = await call('DELETE', `/content/assets/${image.json().id}`, ws.bearer)
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.message).toContain(cell.id)
    await call('DELETE', `/content/variants/${cell.id}/assets/${image.json().id}`, ws.bearer)
    expect((await call('DELETE', `/content/assets/${image.json().id}`, ws.bearer)).statusCode).toBe(200)
  })

  it('searches Chinese and English content, ranked, with highlights', async () => {
    const ws = await newWorkspace(chorus)
    const house = await houseIn(ws)
    await putCell(ws, house.id, 'weibo-post', 'awareness', { fields: { body: '#活力健康# 和声优品活力元气水，活力健康每一天，活力满满。' } })
    await putCell(ws, house.id, 'sms', 'decision', { fields: { signature: '【和声优品】', body: '元气水12瓶装到手价¥72，补充电解质。拒收请回复R' } })
    await putCell(ws, house.id, 'email', 'consideration', { fields: { subject: 'AD: Hydration matters', body: 'Hydration matters after every run. Unsubscribe any time.' } })
    await call('POST', '/content/assets', ws.bearer, { kind: 'video', url: 'https://video.example.com/a.mp4', title: '活力一夏 短视频', tags: ['夏季'] })

    const zh = (await call('GET', `/content/search?q=${encodeURIComponent('活力')}`, ws.bearer)).json()
    const kinds = zh.items.map((i: { kind: string }) => i.kind)
    expect(kinds).toContain('variant')
    expect(kinds).toContain('asset')
    // The Weibo post says 活力 four times; it ranks first.
    expect(zh.items[0]).toMatchObject({ kind: 'variant', title: expect.stringContaining('weibo-post') })
    expect(zh.items[0].snippet.slice(zh.items[0].highlights[0].start, zh.items[0].highlights[0].end)).toBe('活力')
    expect(zh.items.every((i: { score: number }, n: number) => n === 0 || zh.items[n - 1].score >= i.score)).toBe(true)

    const en = (await call('GET', '/content/search?q=hydration&kind=variant', ws.bearer)).json()
    expect(en.items).toHaveLength(1)
    expect(en.items[0].snippet).toContain('Hydration matters')
    const stemmed = (await call('GET', '/content/search?q=hydrated', ws.bearer)).json()
    expect(stemmed.items.map((i: { title: string }) => i.title)).toEqual(expect.arrayContaining([expect.stringContaining('email')]))
    // 和声 sits inside 和声优品, which the segmenter cuts differently: bigrams still find it.
    const inside = (await call('GET', `/content/search?q=${encodeURIComponent('和声')}&kind=variant`, ws.bearer)).json()
    expect(inside.total).toBe(2)
    const single = (await call('GET', `/content/search?q=${encodeURIComponent('夏')}`, ws.bearer)).json()
    expect(single.items.map((i: { kind: string }) => i.kind)).toEqual(['asset'])

    const page1 = (await call('GET', `/content/search?q=${encodeURIComponent('活力')}&limit=1`, ws.bearer)).json()
    expect(page1.items).toHaveLength(1)
    const page2 = (await call('GET', `/content/search?q=${encodeURIComponent('活力')}&limit=1&cursor=${page1.nextCursor}`, ws.bearer)).json()
    expect(page2.items[0].refId).not.toBe(page1.items[0].refId)
    expect((await call('GET', '/content/search?q=x&cursor=bogus', ws.bearer)).statusCode).toBe(400)

    const other = await newWorkspace(chorus)
    expect((await call('GET', `/content/search?q=${encodeURIComponent('活力')}`, other.bearer)).json().total).toBe(0)
  })

  it('describes every content route in the OpenAPI document', async () => {
    const res = await chorus.app.inject({ method: 'GET', url: '/api/openapi.json' })
    expect(res.statusCode).toBe(200)
    const paths = Object.keys(res.json().paths)
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/content/houses', '/api/v1/content/houses/{id}/matrix/{channel}/{stage}', '/api/v1/content/search', '/api/v1/content/variants/{id}/approve']))
  })
})
