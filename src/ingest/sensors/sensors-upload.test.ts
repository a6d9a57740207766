import { describe, expect, it } from 'vitest'
import { decodeSensorsPayload, sensorsRecordsToMessages } from './index.ts'
import { androidFormBody, jsImageUrl, miniProgramBatchBody, queryOf } from './sdk-encoders.fixture.ts'

const receivedAt = Date.UTC(2024, 5, 10, 8, 0, 0)

describe('a Sensors upload from decode to messages', () => {
  it('turns a Web SDK image request into one page message for the request’s project', () => {
    const record = {
      _track_id: 5150,
      time: receivedAt - 1000,
      type: 'track',
      event: '$pageview',
      distinct_id: '18e84929a117c0',
      identities: { $identity_cookie_id: '18e84929a117c0' },
      lib: { $lib: 'js', $lib_version: '1.26.7' },
      properties: { $title: '会员中心', $url: 'https://shop.example.cn/member' },
    }
    const decoded = decodeSensorsPayload({
      method: 'GET',
      query: queryOf(jsImageUrl('/sa.gif?project=shop', record)),
      body: undefined,
    })
    if (decoded.kind !== 'ok') throw new Error(decoded.message)
    const { messages, items, rejections } = sensorsRecordsToMessages(decoded.records, {
      receivedAt,
      ip: '203.0.113.7',
      project: decoded.project,
    })
    expect(rejections).toEqual([])
    expect(items).toEqual([])
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({
      type: 'page',
      event: '会员中心',
      anonymousId: '18e84929a117c0',
      channel: 'web',
      identifiers: [{ type: 'anonymous_id', value: '18e84929a117c0' }],
    })
    expect(messages[0]?.payload.context).toMatchObject({ sensors: { project: 'shop' }, ip: '203.0.113.7' })
  })

  it('turns an Android batch into messages with skew-corrected times', () => {
    const flush = receivedAt + 120_000 // the phone's clock is two minutes fast
    const records = [
      { _track_id: 1, time: flush - 10_000, _flush_time: flush, type: 'track', event: '$AppStart', distinct_id: 'd1', lib: { $lib: 'Android' } },
      { _track_id: 2, time: flush - 5_000, _flush_time: flush, type: 'profile_increment', distinct_id: 'd1', properties: { launches: 1 } },
    ]
    const decoded = decodeSensorsPayload({ method: 'POST', query: {}, body: androidFormBody(records) })
    if (decoded.kind !== 'ok') throw new Error(decoded.message)
    const { messages } = sensorsRecordsToMessages(decoded.records, { receivedAt })
    expect(messages.map((m) => [m.type, m.timestamp])).toEqual([
      ['track', receivedAt - 10_000],
      ['identify', receivedAt - 5_000],
    ])
    expect(messages[1]?.traitOps).toEqual([{ op: 'increment', traits: { launches: 1 } }])
  })

  it('keeps good records of a mini program batch and reports the bad one', () => {
    const decoded = decodeSensorsPayload({
      method: 'POST',
      query: {},
      contentType: 'application/json',
      body: miniProgramBatchBody([
        { type: 'track', event: '$MPLaunch', distinct_id: 'mp-1', lib: { $lib: 'MiniProgram' } },
        { type: 'track', event: '$MPShow', lib: { $lib: 'MiniProgram' } },
      ]),
    })
    if (decoded.kind !== 'ok') throw new Error(decoded.message)
    const result = sensorsRecordsToMessages(decoded.records, { receivedAt })
    expect(result.messages.map((m) => [m.event, m.channel])).toEqual([['$MPLaunch', 'wechat_mini_program']])
    expect(result.rejections).toEqual([
      { index: 1, reason: 'track record names nobody: it needs distinct_id, or identities (ID-Mapping 3.0)' },
    ])
  })
})
