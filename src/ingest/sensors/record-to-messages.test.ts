import { describe, expect, it } from 'vitest'
import type { IngestMessage } from '../message.ts'
import { sensorsRecordToMessages, sensorsRecordsToMessages, type SensorsConversion } from './record-to-messages.ts'

const receivedAt = Date.UTC(2024, 5, 10, 8, 0, 0)
const ctx = { receivedAt, ip: '203.0.113.7', project: 'shop' }

function onlyMessage(result: SensorsConversion): IngestMessage {
  if (result.kind !== 'ok') throw new Error(`expected ok, got: ${result.reason}`)
  expect(result.messages).toHaveLength(1)
  expect(result.items).toEqual([])
  return result.messages[0] as IngestMessage
}

function reasonOf(result: SensorsConversion): string {
  if (result.kind !== 'Rejected') throw new Error('expected a rejection')
  return result.reason
}

const webTrack = {
  _track_id: 812734562,
  time: receivedAt - 2000,
  type: 'track',
  event: 'ViewProduct',
  distinct_id: 'cookie-18e849',
  lib: { $lib: 'js', $lib_method: 'code', $lib_version: '1.26.7' },
  properties: {
    $lib: 'js',
    $lib_version: '1.26.7',
    $os: 'Mac',
    $os_version: '10.15',
    $screen_width: 1440,
    $screen_height: 900,
    $latest_utm_source: 'Baidu',
    $latest_utm_medium: 'cpc',
    $latest_utm_campaign: 'summer',
    product_id: 12345,
  },
}

describe('sensorsRecordToMessages: events', () => {
  it('turns a Web SDK track record into a track message with a Segment-shaped payload', () => {
    const message = onlyMessage(sensorsRecordToMessages(webTrack, ctx))
    expect(message).toMatchObject({
      type: 'track',
      event: 'ViewProduct',
      userId: null,
      anonymousId: 'cookie-18e849',
      timestamp: receivedAt - 2000,
      receivedAt,
      identifiers: [{ type: 'anonymous_id', value: 'cookie-18e849' }],
      traitOps: [],
      unlink: [],
      channel: 'baidu',
      order: null,
    })
    expect(message.payload).toEqual({
      type: 'track',
      messageId: message.messageId,
      event: 'ViewProduct',
      anonymousId: 'cookie-18e849',
      timestamp: new Date(receivedAt - 2000).toISOString(),
      originalTimestamp: new Date(receivedAt - 2000).toISOString(),
      receivedAt: new Date(receivedAt).toISOString(),
      properties: webTrack.properties,
      context: {
        library: { name: 'sensors/js', version: '1.26.7' },
        ip: '203.0.113.7',
        os: { name: 'Mac', version: '10.15' },
        screen: { width: 1440, height: 900 },
        campaign: { source: 'Baidu', medium: 'cpc', name: 'summer' },
        sensors: { type: 'track', event: 'ViewProduct', project: 'shop', lib: webTrack.lib },
      },
    })
  })

  it('prefers this visit’s $utm_* over the remembered $latest_utm_* for campaign and channel', () => {
    const record = { ...webTrack, properties: { ...webTrack.properties, $utm_source: 'WeChat', $utm_medium: 'social' } }
    const message = onlyMessage(sensorsRecordToMessages(record, ctx))
    expect(message.channel).toBe('wechat')
    expect(message.payload.context).toMatchObject({ campaign: { source: 'WeChat', medium: 'social' } })
  })

  it('derives the channel from the SDK platform when there is no UTM source', () => {
    const channelOf = (lib: string): string | null =>
      onlyMessage(sensorsRecordToMessages({ ...webTrack, lib: { $lib: lib }, properties: {} }, ctx)).channel
    expect(channelOf('js')).toBe('web')
    expect(channelOf('MiniProgram')).toBe('wechat_mini_program')
    expect(channelOf('Android')).toBe('app')
    expect(channelOf('iOS')).toBe('app')
    expect(channelOf('Java')).toBeNull()
  })

  it('uses properties.$ip over the request address, as server SDKs relay the client IP that way', () => {
    const record = { ...webTrack, properties: { $ip: '198.51.100.20' } }
    const message = onlyMessage(sensorsRecordToMessages(record, ctx))
    expect(message.payload.context).toMatchObject({ ip: '198.51.100.20' })
  })

  it('turns $pageview into a page named by its title, else by the URL path', () => {
    const titled = onlyMessage(
      sensorsRecordToMessages({ ...webTrack, event: '$pageview', properties: { $title: '首页', $url: 'https://a.cn/x?y=1' } }, ctx),
    )
    expect([titled.type, titled.event, titled.payload.name, titled.payload.event]).toEqual(['page', '首页', '首页', undefined])
    expect(titled.payload.context).toMatchObject({ page: { url: 'https://a.cn/x?y=1', title: '首页' } })

    const untitled = onlyMessage(
      sensorsRecordToMessages({ ...webTrack, event: '$pageview', properties: { $url: 'https://a.cn/list/shoes?p=2' } }, ctx),
    )
    expect([untitled.type, untitled.event]).toEqual(['page', '/list/shoes'])
  })

  it('turns $AppViewScreen and $MPViewScreen into screens', () => {
    const app = onlyMessage(
      sensorsRecordToMessages({ ...webTrack, event: '$AppViewScreen', properties: { $screen_name: 'com.shop.MainActivity' } }, ctx),
    )
    expect([app.type, app.event]).toEqual(['screen', 'com.shop.MainActivity'])
    const mp = onlyMessage(
      sensorsRecordToMessages({ ...webTrack, event: '$MPViewScreen', properties: { $url_path: 'pages/index/index' } }, ctx),
    )
    expect([mp.type, mp.event, mp.payload.name]).toEqual(['screen', 'pages/index/index', 'pages/index/index'])
  })

  it('corrects client clock skew with _flush_time like Segment’s sentAt rule', () => {
    // The phone's clock runs 1 hour fast: it says the event happened at 10:00:00 and the batch
    // left at 10:00:30; the server received it at 09:00:31 real time.
    const clientTime = receivedAt + 3_600_000 - 31_000
    const record = { ...webTrack, time: clientTime, _flush_time: clientTime + 30_000 }
    const message = onlyMessage(sensorsRecordToMessages(record, ctx))
    expect(message.timestamp).toBe(receivedAt - 30_000)
    expect(message.payload.sentAt).toBe(new Date(clientTime + 30_000).toISOString())
    expect(message.payload.originalTimestamp).toBe(new Date(clientTime).toISOString())
  })

  it('uses the arrival time when the record has no time', () => {
    const { time: _time, ...timeless } = webTrack
    expect(onlyMessage(sensorsRecordToMessages(timeless, ctx)).timestamp).toBe(receivedAt)
  })

  it('gives an SDK resend the same messageId, and records without _track_id fresh ones', () => {
    const first = onlyMessage(sensorsRecordToMessages(webTrack, ctx)).messageId
    const resend = onlyMessage(sensorsRecordToMessages(structuredClone(webTrack), { ...ctx, receivedAt: receivedAt + 60_000 })).messageId
    const other = onlyMessage(sensorsRecordToMessages({ ...webTrack, _track_id: 1 }, ctx)).messageId
    expect(resend).toBe(first)
    expect(other).not.toBe(first)
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)

    const { _track_id: _id, ...untracked } = webTrack
    const a = onlyMessage(sensorsRecordToMessages(untracked, ctx)).messageId
    const b = onlyMessage(sensorsRecordToMessages(untracked, ctx)).messageId
    expect(a).not.toBe(b)
  })

  it('reads the order amount of a paid-order event in minor units', () => {
    const order = (event: string, properties: Record<string, unknown>) =>
      onlyMessage(sensorsRecordToMessages({ ...webTrack, event, properties }, ctx)).order
    expect(order('PayOrder', { order_amount: 19.99 })).toEqual({ amountMinor: 1999, currency: 'CNY' })
    expect(order('Order Completed', { revenue: '25.5', currency: 'usd' })).toEqual({ amountMinor: 2550, currency: 'USD' })
    expect(order('submit_order_paid', { total: 1200, currency: 'JPY' })).toEqual({ amountMinor: 1200, currency: 'JPY' })
    expect(order('pay_order', { total: 88, currency: 'RMB' })).toEqual({ amountMinor: 8800, currency: 'CNY' })
    expect(order('PayOrder', { total: 88, currency: 'coins' })).toBeNull()
    expect(order('ViewProduct', { order_amount: 10 })).toBeNull()
    expect(order('PayOrder', { note: 'no amount' })).toBeNull()
  })
})

describe('sensorsRecordToMessages: identities', () => {
  it('links the anonymous id to the login id on track_signup', () => {
    const record = {
      type: 'track_signup',
      event: '$SignUp',
      distinct_id: '13800000000',
      original_id: 'cookie-18e849',
      time: receivedAt,
      lib: { $lib: 'js' },
      properties: {},
    }
    const message = onlyMessage(sensorsRecordToMessages(record, ctx))
    expect(message).toMatchObject({ type: 'track', event: '$SignUp', userId: '13800000000', anonymousId: 'cookie-18e849' })
    expect(message.identifiers).toEqual([
      { type: 'user_id', value: '13800000000' },
      { type: 'anonymous_id', value: 'cookie-18e849' },
    ])
    expect(message.payload).toMatchObject({ userId: '13800000000', anonymousId: 'cookie-18e849' })
  })

  it('rejects a track_signup that does not say which anonymous id it replaces', () => {
    const result = sensorsRecordToMessages({ type: 'track_signup', event: '$SignUp', distinct_id: 'u1' }, ctx)
    expect(reasonOf(result)).toBe('track_signup needs original_id (the anonymous id before login) to link to distinct_id')
  })

  it('maps ID-Mapping 3.0 identities to typed identifiers', () => {
    const record = {
      type: 'track',
      event: 'Login',
      distinct_id: 'u-77',
      login_id: 'u-77',
      anonymous_id: 'a-1',
      identities: {
        $identity_login_id: 'u-77',
        $identity_anonymous_id: 'a-1',
        $identity_mp_wx8f2a_openid: 'oAbC',
        $identity_mobile: '13800000000',
      },
      lib: { $lib: 'MiniProgram' },
    }
    const message = onlyMessage(sensorsRecordToMessages(record, ctx))
    expect(message.identifiers).toEqual([
      { type: 'user_id', value: 'u-77' },
      { type: 'anonymous_id', value: 'a-1' },
      { type: 'wechat_openid', value: 'oAbC' },
      { type: 'phone', value: '13800000000' },
    ])
    expect([message.userId, message.anonymousId]).toEqual(['u-77', 'a-1'])
  })

  it('treats distinct_id as the login id when $is_login_id says so', () => {
    const record = { type: 'track', event: 'Buy', distinct_id: 'member-9', properties: { $is_login_id: true } }
    const message = onlyMessage(sensorsRecordToMessages(record, ctx))
    expect(message.identifiers).toEqual([{ type: 'user_id', value: 'member-9' }])
    expect([message.userId, message.anonymousId]).toEqual(['member-9', null])
  })

  it('links the listed identities on track_id_bind', () => {
    const record = {
      type: 'track_id_bind',
      event: '$BindID',
      distinct_id: 'u-77',
      identities: { $identity_login_id: 'u-77', $identity_email: 'Li.Lei@Example.cn' },
    }
    const message = onlyMessage(sensorsRecordToMessages(record, ctx))
    expect(message.type).toBe('identify')
    expect(message.identifiers).toEqual([
      { type: 'user_id', value: 'u-77' },
      { type: 'email', value: 'Li.Lei@Example.cn' },
    ])
    expect(message.unlink).toEqual([])
  })

  it('detaches the listed identities on track_id_unbind without linking them again', () => {
    const record = {
      type: 'track_id_unbind',
      event: '$UnbindID',
      distinct_id: 'u-77',
      identities: { $identity_mobile: '13800000000' },
    }
    const message = onlyMessage(sensorsRecordToMessages(record, ctx))
    expect(message.type).toBe('identify')
    expect(message.unlink).toEqual([{ type: 'phone', value: '13800000000' }])
    expect(message.identifiers).toEqual([])
  })

  it('rejects a record that names nobody', () => {
    const result = sensorsRecordToMessages({ type: 'track', event: 'Buy', time: receivedAt, properties: {} }, ctx)
    expect(reasonOf(result)).toBe('track record names nobody: it needs distinct_id, or identities (ID-Mapping 3.0)')
  })
})

describe('sensorsRecordToMessages: profiles and items', () => {
  const profile = (type: string, properties: Record<string, unknown>) =>
    sensorsRecordToMessages({ type, distinct_id: 'u-77', login_id: 'u-77', time: receivedAt, properties }, ctx)

  it('turns each profile_* record into identify with the matching trait operation', () => {
    const cases: Array<[string, Record<string, unknown>, unknown]> = [
      ['profile_set', { $name: '李雷', $is_login_id: true, vip: true }, { op: 'set', traits: { $name: '李雷', vip: true } }],
      ['profile_set_once', { first_channel: 'baidu' }, { op: 'set_once', traits: { first_channel: 'baidu' } }],
      ['profile_increment', { orders: 1, points: -20 }, { op: 'increment', traits: { orders: 1, points: -20 } }],
      ['profile_append', { tags: ['新客', '母婴'] }, { op: 'append', traits: { tags: ['新客', '母婴'] } }],
      ['profile_unset', { vip: true, level: true }, { op: 'unset', keys: ['vip', 'level'] }],
      ['profile_delete', {}, { op: 'delete' }],
    ]
    for (const [type, properties, traitOp] of cases) {
      const message = onlyMessage(profile(type, properties))
      expect(message.type).toBe('identify')
      expect(message.event).toBeNull()
      expect(message.traitOps).toEqual([traitOp])
      expect(message.userId).toBe('u-77')
      expect(message.payload.context).toMatchObject({ sensors: { type } })
      expect(message.payload.properties).toBeUndefined()
    }
    expect(onlyMessage(profile('profile_set', { $name: '李雷', $is_login_id: true })).payload.traits).toEqual({ $name: '李雷' })
    expect(onlyMessage(profile('profile_delete', {})).payload.traits).toBeUndefined()
  })

  it('rejects profile operations whose values do not fit the operation', () => {
    expect(reasonOf(profile('profile_increment', { orders: '1' }))).toBe('profile_increment needs numbers; orders is a string')
    expect(reasonOf(profile('profile_append', { tags: 'vip' }))).toBe('profile_append needs lists; tags is a string')
    expect(reasonOf(profile('profile_unset', {}))).toBe('profile_unset names no properties to remove')
  })

  it('turns item_set and item_delete into item changes without messages', () => {
    const set = sensorsRecordToMessages(
      { type: 'item_set', item_type: 'product', item_id: 'sku-1', time: receivedAt - 5, properties: { price: 99, 品类: '女装' } },
      ctx,
    )
    expect(set).toEqual({
      kind: 'ok',
      messages: [],
      items: [
        { op: 'set', itemType: 'product', itemId: 'sku-1', properties: { price: 99, 品类: '女装' }, timestamp: receivedAt - 5, project: 'shop' },
      ],
    })
    const removed = sensorsRecordToMessages({ type: 'item_delete', item_type: 'product', item_id: 42, project: 'other' }, ctx)
    expect(removed).toEqual({
      kind: 'ok',
      messages: [],
      items: [{ op: 'delete', itemType: 'product', itemId: '42', properties: {}, timestamp: receivedAt, project: 'other' }],
    })
    expect(reasonOf(sensorsRecordToMessages({ type: 'item_set', item_id: 'x' }, ctx))).toBe('item_set needs item_type and item_id')
  })

  it('explains schema problems: unknown type, wrong field types, not an object', () => {
    expect(reasonOf(sensorsRecordToMessages({ type: 'trak', distinct_id: 'a' }, ctx))).toMatch(
      /^type must be one of track, track_signup, profile_set, .*item_delete; got "trak"$/,
    )
    expect(reasonOf(sensorsRecordToMessages({ type: 'track', event: 'x', distinct_id: 'a', time: '1700000000000' }, ctx))).toMatch(
      /^time: /,
    )
    expect(reasonOf(sensorsRecordToMessages('track', ctx))).toBe('a record must be a JSON object; got string')
  })
})

describe('sensorsRecordsToMessages', () => {
  it('converts a whole batch and reports each bad record by index without stopping', () => {
    const result = sensorsRecordsToMessages(
      [webTrack, { type: 'track', event: 'Buy' }, { type: 'item_set', item_type: 'p', item_id: '1' }, 7],
      ctx,
    )
    expect(result.messages.map((m) => m.event)).toEqual(['ViewProduct'])
    expect(result.items.map((i) => i.itemId)).toEqual(['1'])
    expect(result.rejections).toEqual([
      { index: 1, reason: 'track record names nobody: it needs distinct_id, or identities (ID-Mapping 3.0)' },
      { index: 3, reason: 'a record must be a JSON object; got number' },
    ])
  })
})
