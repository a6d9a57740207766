import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendMessage } from '../../src/channels/index.ts'
import { popSignature } from '../../src/channels/providers/aliyun-signature.ts'
import { signTc3 } from '../../src/channels/providers/tc3-signature.ts'
import { DIALECTS } from '../support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../support/chorus.ts'
import { startHttpFake, type FakeReply, type RecordedRequest } from './support/fakes.ts'
import { addProvider, addTemplate, configureChannels, identify, loggedEvents } from './support/setup.ts'

/** Each provider's request, field by field, against a local HTTP server in the vendor's API shape. */
describe.each(DIALECTS)('provider request shapes on %s', (dialect) => {
  let chorus: TestChorus
  let fake: Awaited<ReturnType<typeof startHttpFake>>
  let answer: (r: RecordedRequest) => FakeReply = () => ({ json: {} })
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    fake = await startHttpFake((r) => answer(r))
  })
  afterAll(async () => {
    await fake.close()
    await chorus.close()
  })
  const requestsSince = (n: number) => fake.requests.slice(n)

  const workspaceWith = async (provider: Record<string, unknown>, variants: Record<string, unknown>) => {
    const ws = await newWorkspace(chorus)
    await configureChannels(chorus, ws)
    const providerId = await addProvider(chorus, ws, provider)
    const templateId = await addTemplate(chorus, ws, { name: 't', variants })
    return { ws, providerId, templateId }
  }
  const send = (ws: TestWorkspace, profileId: string, channel: 'sms' | 'wechat' | 'wechat_mini' | 'wecom', templateId: string, key: string) =>
    sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel, templateId, idempotencyKey: key, journeyId: 'jrn_1', nodeId: 'n1' })

  describe('Aliyun SendSms', () => {
    const provider = { kind: 'aliyun_sms', settings: { endpoint: '', accessKeyId: 'LTAI5tTestKeyId', signName: '和声优品', regionId: 'cn-hangzhou' }, secrets: { accessKeySecret: 'aliyun-test-secret' } }
    const sms = { sms: { text: '{{ profile.name }}，您的验证码{{ data.code }}', templateCode: 'SMS_71390007', params: { name: '{{ profile.name }}', code: '{{ data.code }}' } } }

    it('posts the RPC parameters signed with HMAC-SHA1', async () => {
      answer = () => ({ json: { Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'F655A8D5' } })
      const { ws, templateId } = await workspaceWith({ ...provider, settings: { ...provider.settings, endpoint: fake.url } }, sms)
      const profileId = await identify(chorus, ws, 'u-aliyun', { name: '李雷', phone: '+86 153 0000 0001' })
      const n = fake.requests.length
      const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'sms', templateId, idempotencyKey: 'otp:1', data: { code: '8888' } })
      expect(outcome).toMatchObject({ kind: 'Sent', providerMessageId: '900619746936498440^0' })
      const [request] = requestsSince(n)
      expect(request!.method).toBe('POST')
      expect(request!.path).toBe('/')
      expect(request!.headers['content-type']).toContain('application/x-www-form-urlencoded')
      const form = Object.fromEntries(new URLSearchParams(request!.body))
      const { Signature, SignatureNonce, TemplateParam, ...rest } = form
      expect(rest).toEqual({
        AccessKeyId: 'LTAI5tTestKeyId',
        Action: 'SendSms',
        Format: 'JSON',
        OutId: outcome.messageId,
        PhoneNumbers: '15300000001',
        RegionId: 'cn-hangzhou',
        SignName: '和声优品',
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        TemplateCode: 'SMS_71390007',
        Timestamp: new Date(chorus.clock.now()).toISOString().replace('.000Z', 'Z'),
        Version: '2017-05-25',
      })
      expect(JSON.parse(form.TemplateParam!)).toEqual({ name: '李雷', code: '8888' })
      expect(SignatureNonce).toMatch(/^[0-9a-f-]{36}$/)
      expect(Signature).toBe(popSignature('POST', { ...rest, TemplateParam: TemplateParam!, SignatureNonce: SignatureNonce! }, 'aliyun-test-secret'))
    })

    it('reports flow control as retryable and an illegal number as final', async () => {
      const { ws, templateId } = await workspaceWith({ ...provider, settings: { ...provider.settings, endpoint: fake.url } }, sms)
      const profileId = await identify(chorus, ws, 'u-aliyun-2', { name: '李雷', phone: '13000000002' })
      answer = () => ({ json: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发小时级流控Permits:5', RequestId: 'x' } })
      expect(await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'sms', templateId, idempotencyKey: 'otp:2', data: { code: '1' } })).toMatchObject({ kind: 'Failed', retryable: true })
      answer = () => ({ status: 400, json: { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号', RequestId: 'y' } })
      const final = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'sms', templateId, idempotencyKey: 'otp:3', data: { code: '1' } })
      expect(final).toMatchObject({ kind: 'Failed', retryable: false })
      expect(final.kind === 'Failed' && final.reason).toContain('isv.MOBILE_NUMBER_ILLEGAL')
    })
  })

  describe('Tencent Cloud SendSms', () => {
    it('posts the 2021-01-11 body with TC3-HMAC-SHA256 headers', async () => {
      answer = () => ({ json: { Response: { SendStatusSet: [{ SerialNo: '5000:1045710669157053657849499619', PhoneNumber: '+8613711112222', Fee: 1, SessionContext: '', Code: 'Ok', Message: 'send success', IsoCode: 'CN' }], RequestId: 'a0aabda6' } } })
      const { ws, templateId } = await workspaceWith(
        { kind: 'tencent_sms', settings: { endpoint: fake.url, secretId: 'AKIDtestSecretId', smsSdkAppId: '1400006666', signName: '和声优品', region: 'ap-guangzhou' }, secrets: { secretKey: 'tencent-test-secret-key' } },
        { sms: { text: '{{ profile.name }}，验证码{{ data.code }}', templateCode: '449739', params: { '2': '{{ data.code }}', '1': '{{ profile.name }}' } } },
      )
      const profileId = await identify(chorus, ws, 'u-tencent', { name: '韩梅梅', phone: '13711112222' })
      const n = fake.requests.length
      const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'sms', templateId, idempotencyKey: 'tc:1', data: { code: '1234' } })
      expect(outcome).toMatchObject({ kind: 'Sent', providerMessageId: '5000:1045710669157053657849499619' })
      const [request] = requestsSince(n)
      const timestamp = Math.floor(chorus.clock.now() / 1000)
      expect(request!.method).toBe('POST')
      expect(request!.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'x-tc-action': 'SendSms', 'x-tc-version': '2021-01-11', 'x-tc-region': 'ap-guangzhou', 'x-tc-timestamp': String(timestamp) })
      expect(JSON.parse(request!.body)).toEqual({ PhoneNumberSet: ['+8613711112222'], SmsSdkAppId: '1400006666', SignName: '和声优品', TemplateId: '449739', TemplateParamSet: ['韩梅梅', '1234'], SessionContext: outcome.messageId })
      const expected = signTc3({ secretId: 'AKIDtestSecretId', secretKey: 'tencent-test-secret-key', service: 'sms', host: request!.headers.host!, payload: request!.body, timestamp })
      expect(request!.headers.authorization).toBe(expected.authorization)
      expect(request!.headers.authorization).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=AKIDtestSecretId/${new Date(chorus.clock.now()).toISOString().slice(0, 10)}/sms/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`))
    })

    it('reports an API error and a per-number refusal', async () => {
      const { ws, templateId } = await workspaceWith(
        { kind: 'tencent_sms', settings: { endpoint: fake.url, secretId: 'AKIDtestSecretId', smsSdkAppId: '1400006666', signName: '和声' }, secrets: { secretKey: 'tencent-test-secret-key' } },
        { sms: { text: 'x', templateCode: '1', params: {} } },
      )
      const profileId = await identify(chorus, ws, 'u-tencent-2', { phone: '13711113333' })
      answer = () => ({ json: { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'The provided credentials could not be validated.' }, RequestId: 'r' } } })
      expect(await send(ws, profileId, 'sms', templateId, 'tc:2')).toMatchObject({ kind: 'Failed', retryable: false })
      answer = () => ({ json: { Response: { SendStatusSet: [{ SerialNo: '', PhoneNumber: '+8613711113333', Code: 'LimitExceeded.PhoneNumberThirtySecondLimit', Message: '30秒内限制' }], RequestId: 'r' } } })
      expect(await send(ws, profileId, 'sms', templateId, 'tc:3')).toMatchObject({ kind: 'Failed', retryable: true })
    })
    it('refuses named template variables, which cannot carry their position', async () => {
      const { ws, templateId } = await workspaceWith(
        { kind: 'tencent_sms', settings: { endpoint: fake.url, secretId: 'AKIDtestSecretId', smsSdkAppId: '1400006666', signName: '和声' }, secrets: { secretKey: 'tencent-test-secret-key' } },
        { sms: { text: 'x', templateCode: '1', params: { code: '1' } } },
      )
      const profileId = await identify(chorus, ws, 'u-tencent-3', { phone: '13711114444' })
      const n = fake.requests.length
      const outcome = await send(ws, profileId, 'sms', templateId, 'tc:4')
      expect(outcome).toMatchObject({ kind: 'Failed', retryable: false })
      expect(outcome.kind === 'Failed' && outcome.reason).toContain('name them "1", "2"')
      expect(requestsSince(n)).toHaveLength(0)
    })
  })

  describe('WeChat Official Account template message', () => {
    const wechatAnswer = (tokens: string[], sendReplies: Array<Record<string, unknown>>) => {
      let t = 0
      let s = 0
      return (r: RecordedRequest): FakeReply => {
        if (r.path === '/cgi-bin/token') return { json: { access_token: tokens[Math.min(t++, tokens.length - 1)], expires_in: 7200 } }
        return { json: sendReplies[Math.min(s++, sendReplies.length - 1)] }
      }
    }
    const template = { wechat: { templateId: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY', url: 'https://shop.example.com/order/{{ event.properties.order_id }}', data: { thing1: '{{ profile.name }}的订单', character_string2: '{{ event.properties.order_id }}' } } }

    it('fetches the access token once, caches it, and posts template/send with client_msg_id', async () => {
      answer = wechatAnswer(['ACCESS-1'], [{ errcode: 0, errmsg: 'ok', msgid: 200228332 }])
      const { ws, templateId } = await workspaceWith({ kind: 'wechat_template', settings: { baseUrl: fake.url, appId: 'wx520c15f417810387' }, secrets: { appSecret: 'wechat-secret-1' } }, template)
      const profileId = await identify(chorus, ws, 'u-wx', { name: '李雷', wechat_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' })
      const n = fake.requests.length
      const event = { name: 'Order Shipped', properties: { order_id: 'A1001' } }
      const first = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'wechat', templateId, idempotencyKey: 'wx:1', event })
      await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'wechat', templateId, idempotencyKey: 'wx:2', event })
      expect(first).toMatchObject({ kind: 'Sent', providerMessageId: '200228332' })
      const requests = requestsSince(n)
      expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /cgi-bin/token', 'POST /cgi-bin/message/template/send', 'POST /cgi-bin/message/template/send'])
      expect(Object.fromEntries(requests[0]!.query)).toEqual({ grant_type: 'client_credential', appid: 'wx520c15f417810387', secret: 'wechat-secret-1' })
      expect(requests[1]!.query.get('access_token')).toBe('ACCESS-1')
      const body = JSON.parse(requests[1]!.body)
      expect(body).toEqual({
        touser: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
        template_id: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY',
        client_msg_id: createHash('sha256').update('wx:1').digest('hex').slice(0, 32),
        url: expect.stringMatching(/^https:\/\/chorus\.example\.com\/r\/msg_[0-9a-z]+\.c0\.[A-Za-z0-9_-]{22}$/),
        data: { thing1: { value: '李雷的订单' }, character_string2: { value: 'A1001' } },
      })
      // The tracked url leads to the order page with UTM parameters.
      const click = await chorus.app.inject({ method: 'GET', url: new URL(body.url).pathname })
      expect(click.headers.location).toBe('https://shop.example.com/order/A1001?utm_source=chorus%2Fwechat&utm_medium=social&utm_campaign=' + templateId)
      expect((await loggedEvents(chorus, ws, 'Message Clicked'))[0]!.properties).toMatchObject({ channel: 'wechat', messageId: first.messageId })
    })

    it('refreshes an expired token once and resends', async () => {
      answer = wechatAnswer(['OLD', 'NEW'], [{ errcode: 42001, errmsg: 'access_token expired' }, { errcode: 0, errmsg: 'ok', msgid: 7 }])
      const { ws, templateId } = await workspaceWith({ kind: 'wechat_template', settings: { baseUrl: fake.url, appId: 'wx-2' }, secrets: { appSecret: 'wechat-secret-2' } }, template)
      const profileId = await identify(chorus, ws, 'u-wx-2', { name: '李雷', wechat_openid: 'o-2' })
      const n = fake.requests.length
      expect(await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'wechat', templateId, idempotencyKey: 'wx:3', event: { properties: { order_id: 'B' } } })).toMatchObject({ kind: 'Sent', providerMessageId: '7' })
      const requests = requestsSince(n)
      expect(requests.map((r) => r.query.get('access_token') ?? r.path)).toEqual(['/cgi-bin/token', 'OLD', '/cgi-bin/token', 'NEW'])
    })

    it('explains a person who does not follow the account, and does not retry', async () => {
      answer = wechatAnswer(['T'], [{ errcode: 43004, errmsg: 'require subscribe hint' }])
      const { ws, templateId } = await workspaceWith({ kind: 'wechat_template', settings: { baseUrl: fake.url, appId: 'wx-3' }, secrets: { appSecret: 'wechat-secret-3' } }, template)
      const profileId = await identify(chorus, ws, 'u-wx-3', { name: '李雷', wechat_openid: 'o-3' })
      const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'wechat', templateId, idempotencyKey: 'wx:4', event: { properties: { order_id: 'C' } } })
      expect(outcome).toMatchObject({ kind: 'Failed', retryable: false })
      expect(outcome.kind === 'Failed' && outcome.reason).toContain('does not follow the Official Account')
    })
  })

  describe('WeChat mini-program subscribe message', () => {
    const template = { wechat_mini: { templateId: 'TPL-MINI', page: 'pages/order/detail?id={{ event.properties.order_id }}', miniprogramState: 'formal', lang: 'zh_CN', data: { thing1: '{{ event.properties.item }}', amount2: '¥{{ event.properties.total }}', phrase3: '已发货' } } }

    it('posts subscribe/send with page, state, language and typed data', async () => {
      answer = (r) => (r.path === '/cgi-bin/token' ? { json: { access_token: 'MINI-TOKEN', expires_in: 7200 } } : { json: { errcode: 0, errmsg: 'ok' } })
      const { ws, templateId } = await workspaceWith({ kind: 'wechat_subscribe', settings: { baseUrl: fake.url, appId: 'wx-mini', identifierType: 'wechat_mini_openid' }, secrets: { appSecret: 'mini-secret' } }, template)
      const profileId = await identify(chorus, ws, 'u-mini', { name: '李雷' }, { externalIds: [{ id: 'o-mini-1', type: 'wechat_mini_openid', collection: 'users', encoding: 'none' }] })
      const n = fake.requests.length
      const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'wechat_mini', templateId, idempotencyKey: 'mini:1', event: { properties: { order_id: 'M1', item: '活力元气水 12 瓶', total: '59.90' } } })
      expect(outcome.kind).toBe('Sent')
      const send = requestsSince(n).find((r) => r.path === '/cgi-bin/message/subscribe/send')!
      expect(send.query.get('access_token')).toBe('MINI-TOKEN')
      expect(JSON.parse(send.body)).toEqual({
        touser: 'o-mini-1',
        template_id: 'TPL-MINI',
        page: 'pages/order/detail?id=M1',
        miniprogram_state: 'formal',
        lang: 'zh_CN',
        data: { thing1: { value: '活力元气水 12 瓶' }, amount2: { value: '¥59.90' }, phrase3: { value: '已发货' } },
      })
    })

    it('refuses a value over the field limit before calling WeChat, naming the field', async () => {
      answer = (r) => (r.path === '/cgi-bin/token' ? { json: { access_token: 'MINI-TOKEN', expires_in: 7200 } } : { json: { errcode: 0, errmsg: 'ok' } })
      const { ws, templateId } = await workspaceWith({ kind: 'wechat_subscribe', settings: { baseUrl: fake.url, appId: 'wx-mini-2' }, secrets: { appSecret: 'mini-secret' } }, template)
      const profileId = await identify(chorus, ws, 'u-mini-2', { wechat_openid: 'o-mini-2' })
      const n = fake.requests.length
      const outcome = await sendMessage(chorus.ctx, { workspaceId: ws.workspaceId, profileId, channel: 'wechat_mini', templateId, idempotencyKey: 'mini:2', event: { properties: { order_id: 'M2', item: '这是一段超过二十个字符的商品名称用来测试字段长度限制', total: '10' } } })
      expect(outcome).toMatchObject({ kind: 'Failed', retryable: false })
      expect(outcome.kind === 'Failed' && outcome.reason).toContain('thing1 is 26 characters; WeChat allows at most 20')
      expect(requestsSince(n).filter((r) => r.path === '/cgi-bin/message/subscribe/send')).toHaveLength(0)
    })
  })

  describe('WeCom add_msg_template', () => {
    const template = { wecom: { text: '{{ profile.name }}，新品活力元气水上市', sender: '{{ profile.wecom_owner }}', link: { title: '新品上市', url: 'https://shop.example.com/new', desc: '限时八折' } } }

    it('gets a corp token and creates a single-customer task from the member', async () => {
      answer = (r) => (r.path === '/cgi-bin/gettoken' ? { json: { errcode: 0, errmsg: 'ok', access_token: 'CORP-TOKEN', expires_in: 7200 } } : { json: { errcode: 0, errmsg: 'ok', fail_list: [], msgid: 'msgGCAAAXtWyujaWJHDDGi0mAAAA' } })
      const { ws, templateId } = await workspaceWith({ kind: 'wecom_customer', settings: { baseUrl: fake.url, corpId: 'ww-corp' }, secrets: { corpSecret: 'wecom-secret' } }, template)
      const profileId = await identify(chorus, ws, 'u-wecom', { name: '王芳', wecom_owner: 'zhangsan' }, { externalIds: [{ id: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA', type: 'wecom_external_userid', collection: 'users', encoding: 'none' }] })
      const n = fake.requests.length
      const outcome = await send(ws, profileId, 'wecom', templateId, 'wecom:1')
      expect(outcome).toMatchObject({ kind: 'Sent', providerMessageId: 'msgGCAAAXtWyujaWJHDDGi0mAAAA' })
      const [token, task] = requestsSince(n)
      expect(`${token!.method} ${token!.path}`).toBe('GET /cgi-bin/gettoken')
      expect(Object.fromEntries(token!.query)).toEqual({ corpid: 'ww-corp', corpsecret: 'wecom-secret' })
      expect(`${task!.method} ${task!.path}?access_token=${task!.query.get('access_token')}`).toBe('POST /cgi-bin/externalcontact/add_msg_template?access_token=CORP-TOKEN')
      expect(JSON.parse(task!.body)).toEqual({
        chat_type: 'single',
        external_userid: ['woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA'],
        sender: 'zhangsan',
        allow_select: false,
        text: { content: '王芳，新品活力元气水上市' },
        attachments: [{ msgtype: 'link', link: { title: '新品上市', url: expect.stringMatching(/^https:\/\/chorus\.example\.com\/r\//), desc: '限时八折' } }],
      })
    })

    it('reports a customer in fail_list as failed', async () => {
      answer = (r) => (r.path === '/cgi-bin/gettoken' ? { json: { errcode: 0, access_token: 'CORP', expires_in: 7200 } } : { json: { errcode: 0, errmsg: 'ok', fail_list: ['wm-x'], msgid: 'm' } })
      const { ws, templateId } = await workspaceWith({ kind: 'wecom_customer', settings: { baseUrl: fake.url, corpId: 'ww-corp-2', sender: 'lisi' }, secrets: { corpSecret: 'wecom-secret' } }, { wecom: { text: 'hi' } })
      const profileId = await identify(chorus, ws, 'u-wecom-2', {}, { externalIds: [{ id: 'wm-x', type: 'wecom_external_userid', collection: 'users', encoding: 'none' }] })
      const outcome = await send(ws, profileId, 'wecom', templateId, 'wecom:2')
      expect(outcome).toMatchObject({ kind: 'Failed', retryable: false })
    })
  })

  it('records a Message Sent event per provider with the provider and its message id', async () => {
    answer = () => ({ json: { Code: 'OK', Message: 'OK', BizId: 'biz-evt', RequestId: 'r' } })
    const { ws, templateId } = await workspaceWith({ kind: 'aliyun_sms', settings: { endpoint: fake.url, accessKeyId: 'k', signName: '和声' }, secrets: { accessKeySecret: 's' } }, { sms: { text: 'hi', templateCode: 'SMS_1', params: {} } })
    const profileId = await identify(chorus, ws, 'u-evt', { phone: '13900000000' })
    const outcome = await send(ws, profileId, 'sms', templateId, 'evt:1')
    expect((await loggedEvents(chorus, ws, 'Message Sent')).map((e) => e.properties)).toEqual([
      { messageId: outcome.messageId, channel: 'sms', journeyId: 'jrn_1', nodeId: 'n1', templateId, campaign: 'jrn_1', provider: 'aliyun_sms', providerMessageId: 'biz-evt' },
    ])
  })
})
