import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus } from '../support/chorus.ts'
import { addProvider, addTemplate, configureChannels, identify } from './support/setup.ts'

const LAUNCH = {
  name: '新品上市',
  description: 'Launch of 活力元气水',
  variants: {
    email: {
      subject: '{{ profile.name }}，{{ event.properties.product }}上市了',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>亲爱的{{ profile.name }}：{{ event.properties.product }}今天上市。</mj-text><mj-button href="https://shop.example.com/p/{{ event.properties.sku }}">立即购买</mj-button></mj-column></mj-section></mj-body></mjml>',
    },
    sms: { text: '{{ profile.name }}，{{ event.properties.product }}今日上市，首单立减{{ event.properties.discount }}元，详情 https://s.example.com/x', templateCode: 'SMS_200', params: { name: '{{ profile.name }}' } },
    inbox: { title: '{{ event.properties.product }}上市', body: '首单立减{{ event.properties.discount }}元' },
  },
}
const EVENT = { name: 'Product Launched', properties: { product: '活力元气水', sku: 'VW-12', discount: 10 } }

describe.each(DIALECTS)('templates API on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  it('creates, reads, lists, replaces and deletes a template', async () => {
    const ws = await newWorkspace(chorus)
    const id = await addTemplate(chorus, ws, LAUNCH)
    const got = (await chorus.app.inject({ method: 'GET', url: `/api/v1/templates/${id}`, headers: ws.bearer })).json()
    expect(got).toMatchObject({ id, name: '新品上市', description: 'Launch of 活力元气水', channels: ['email', 'sms', 'inbox'] })
    expect(got.variants.sms.templateCode).toBe('SMS_200')
    chorus.clock.advance(1)
    const second = await addTemplate(chorus, ws, { name: 'Second', variants: { inbox: { title: 't', body: 'b' } } })
    const page1 = (await chorus.app.inject({ method: 'GET', url: '/api/v1/templates?limit=1', headers: ws.bearer })).json()
    expect(page1.items.map((t: { id: string }) => t.id)).toEqual([id])
    const page2 = (await chorus.app.inject({ method: 'GET', url: `/api/v1/templates?limit=1&cursor=${page1.nextCursor}`, headers: ws.bearer })).json()
    expect(page2).toMatchObject({ items: [expect.objectContaining({ id: second })], nextCursor: null })
    const put = await chorus.app.inject({ method: 'PUT', url: `/api/v1/templates/${second}`, headers: ws.bearer, payload: { name: 'Renamed', variants: { webhook: { fields: { a: '{{ profile.id }}' } } } } })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({ name: 'Renamed', channels: ['webhook'] })
    expect((await chorus.app.inject({ method: 'DELETE', url: `/api/v1/templates/${second}`, headers: ws.bearer })).statusCode).toBe(200)
    expect((await chorus.app.inject({ method: 'GET', url: `/api/v1/templates/${second}`, headers: ws.bearer })).statusCode).toBe(404)
    // Another workspace cannot see it.
    const other = await newWorkspace(chorus)
    expect((await chorus.app.inject({ method: 'GET', url: `/api/v1/templates/${id}`, headers: other.bearer })).statusCode).toBe(404)
  })

  it('refuses invalid Liquid, unknown filters, misspelt channels and email bodies given twice, saying what to fix', async () => {
    const ws = await newWorkspace(chorus)
    const create = (variants: unknown) => chorus.app.inject({ method: 'POST', url: '/api/v1/templates', headers: ws.bearer, payload: { name: 'x', variants } })
    const syntax = await create({ inbox: { title: '{% if profile.vip %}VIP', body: 'b' } })
    expect(syntax.statusCode).toBe(400)
    expect(syntax.json().error.message).toContain('inbox.title is not valid Liquid')
    const filter = await create({ inbox: { title: '{{ profile.name | shout }}', body: 'b' } })
    expect(filter.statusCode).toBe(400)
    expect(filter.json().error.message).toContain('undefined filter: shout')
    const typo = await create({ emial: { subject: 's', html: 'h' } })
    expect(typo.statusCode).toBe(400)
    expect(typo.json().error.message).toContain('emial')
    const both = await create({ email: { subject: 's', html: '<p>h</p>', mjml: '<mjml></mjml>' } })
    expect(both.statusCode).toBe(400)
    expect(both.json().error.message).toContain('either mjml or html')
  })

  it('reports MJML validation problems as warnings', async () => {
    const ws = await newWorkspace(chorus)
    const res = await chorus.app.inject({
      method: 'POST',
      url: '/api/v1/templates',
      headers: ws.bearer,
      payload: { name: 'x', variants: { email: { subject: 's', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text color="notacolor">Hi</mj-text></mj-column></mj-section></mj-body></mjml>' } } },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json().warnings).toEqual(['email.mjml line 1, mj-text: Attribute color has invalid value: notacolor for type Color'])
  })

  it('previews every variant for a profile and a sample event, with SMS length and email HTML', async () => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    await addProvider(chorus, ws, { kind: 'aliyun_sms', settings: { endpoint: 'http://127.0.0.1:9', accessKeyId: 'k', signName: '和声优品' }, secrets: { accessKeySecret: 's' } })
    const id = await addTemplate(chorus, ws, LAUNCH)
    const profileId = await identify(chorus, ws, 'u-preview', { name: '李雷' })
    const res = await chorus.app.inject({ method: 'POST', url: `/api/v1/templates/${id}/preview`, headers: ws.bearer, payload: { profileId, event: EVENT } })
    expect(res.statusCode, res.body).toBe(200)
    const { channels } = res.json()
    expect(channels.email.content.subject).toBe('李雷，活力元气水上市了')
    expect(channels.email.html).toContain('亲爱的李雷：活力元气水今天上市。')
    expect(channels.email.html).toMatch(/href="https:\/\/chorus\.example\.com\/r\/msg_[0-9a-z]+\.c0\.[A-Za-z0-9_-]{22}"/)
    expect(channels.email.warnings).toEqual([])
    expect(channels.inbox.content).toMatchObject({ title: '活力元气水上市', body: '首单立减10元' })
    // The counted text is the signature plus the message with its tracked link, as the person gets it.
    const sms = channels.sms
    expect(sms.content.params).toEqual({ name: '李雷' })
    expect(sms.sms.counted.startsWith('【和声优品】李雷，活力元气水今日上市，首单立减10元，详情 https://chorus.example.com/r/')).toBe(true)
    const length = [...sms.sms.counted].length
    expect(sms.sms).toMatchObject({ encoding: 'ucs-2', length, perSegment: 67, segments: Math.ceil(length / 67) })
    expect(sms.sms.cnDomestic).toEqual({ length, segments: Math.ceil(length / 67), perSegment: 67 })
  })

  it('counts GSM-7 and UCS-2 segments at 160/153 and 70/67', async () => {
    const ws = await newWorkspace(chorus)
    const id = await addTemplate(chorus, ws, { name: 'len', variants: { sms: { text: '{{ data.body }}', templateCode: 'SMS_1', params: {} } } })
    const preview = async (body: string) =>
      (await chorus.app.inject({ method: 'POST', url: `/api/v1/templates/${id}/preview`, headers: ws.bearer, payload: { data: { body } } })).json().channels.sms.sms
    expect(await preview('a'.repeat(160))).toMatchObject({ encoding: 'gsm-7', length: 160, segments: 1, perSegment: 160 })
    expect(await preview('a'.repeat(161))).toMatchObject({ encoding: 'gsm-7', segments: 2, perSegment: 153 })
    expect(await preview('好'.repeat(70))).toMatchObject({ encoding: 'ucs-2', segments: 1, perSegment: 70 })
    expect(await preview('好'.repeat(71))).toMatchObject({ encoding: 'ucs-2', segments: 2, perSegment: 67 })
  })

  it('answers 422 naming a variable the person or event does not have', async () => {
    const ws = await newWorkspace(chorus)
    const id = await addTemplate(chorus, ws, LAUNCH)
    const profileId = await identify(chorus, ws, 'u-nameless', { city: '杭州' })
    const res = await chorus.app.inject({ method: 'POST', url: `/api/v1/templates/${id}/preview`, headers: ws.bearer, payload: { profileId, event: EVENT, channels: ['email'] } })
    expect(res.statusCode).toBe(422)
    const error = res.json().error
    expect(error.code).toBe('UndefinedVariable')
    expect(error.message).toContain('{{ profile.name }}')
    expect(error.details).toMatchObject({ field: 'email.subject', variable: 'profile.name' })
    // A default makes it optional.
    await chorus.app.inject({ method: 'PUT', url: `/api/v1/templates/${id}`, headers: ws.bearer, payload: { ...LAUNCH, variants: { inbox: { title: '{{ profile.name | default: "朋友" }}，你好', body: 'b' } } } })
    const ok = await chorus.app.inject({ method: 'POST', url: `/api/v1/templates/${id}/preview`, headers: ws.bearer, payload: { profileId } })
    expect(ok.json().channels.inbox.content.title).toBe('朋友，你好')
  })

  it('escapes trait values in HTML bodies', async () => {
    const ws = await newWorkspace(chorus)
    const id = await addTemplate(chorus, ws, { name: 'x', variants: { email: { subject: 'Hi {{ profile.name }}', html: '<p>Hi {{ profile.name }}</p>' } } })
    const res = await chorus.app.inject({ method: 'POST', url: `/api/v1/templates/${id}/preview`, headers: ws.bearer, payload: { traits: { name: '<script>alert(1)</script>' } } })
    const email = res.json().channels.email
    expect(email.html).toContain('<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>')
    expect(email.content.subject).toBe('Hi <script>alert(1)</script>')
  })

  it('shows the unsubscribe footer a marketing email would get, and none for a transactional one', async () => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    const id = await addTemplate(chorus, ws, { name: 'x', variants: { email: { subject: 's', html: '<p>Hi</p>', text: 'Hi' } } })
    const preview = async (payload: object) => (await chorus.app.inject({ method: 'POST', url: `/api/v1/templates/${id}/preview`, headers: ws.bearer, payload })).json().channels.email
    const marketing = await preview({})
    const link = marketing.html.match(/href="(https:\/\/chorus\.example\.com\/u\/[^"]+)"/)?.[1]
    expect(link).toBeDefined()
    expect(marketing.html).toContain('不想再收到此类邮件？')
    expect(marketing.content.text).toBe(`Hi\n\n退订：${link}`)
    const transactional = await preview({ category: 'transactional' })
    expect(transactional.html).not.toContain('/u/')
    expect(transactional.content.text).toBe('Hi')
  })

  it('needs write permission to change templates and read permission to preview', async () => {
    const viewer = await newWorkspace(chorus, 'viewer')
    const res = await chorus.app.inject({ method: 'POST', url: '/api/v1/templates', headers: viewer.bearer, payload: LAUNCH })
    expect(res.statusCode).toBe(403)
  })
})
