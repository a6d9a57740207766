import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodeSensorsPayload } from './decode-payload.ts'
import {
  androidFormBody,
  jsBase64Encode,
  jsImageUrl,
  jsSendData,
  miniProgramBatchBody,
  miniProgramGzipBody,
  queryOf,
} from './sdk-encoders.fixture.ts'

const webRecord = {
  _track_id: 812734562,
  time: 1718000000000,
  type: 'track',
  distinct_id: '18e84929a117c0-0147a34acc60ec',
  lib: { $lib: 'js', $lib_method: 'code', $lib_version: '1.26.7' },
  properties: { $title: '夏季新品 — 首页', $url: 'https://shop.example.cn/?q=连衣裙', $lib: 'js' },
  event: '$pageview',
}

const androidRecords = [
  {
    _track_id: -1203045,
    time: 1718000001000,
    type: 'track',
    distinct_id: '2a3d2f37563cb18a',
    anonymous_id: '2a3d2f37563cb18a',
    event: 'AddToCart',
    identities: { $identity_android_id: '2a3d2f37563cb18a' },
    lib: { $lib: 'Android', $lib_version: '6.7.9', $app_version: '3.1.0' },
    properties: { $os: 'Android', $app_version: '3.1.0', sku: 'A-1' },
    _flush_time: 1718000005000,
  },
  {
    _track_id: 99,
    time: 1718000002000,
    type: 'profile_set',
    distinct_id: '2a3d2f37563cb18a',
    lib: { $lib: 'Android' },
    properties: { 城市: '杭州' },
    _flush_time: 1718000005000,
  },
]

describe('decodeSensorsPayload', () => {
  it('reads one record from a Web SDK image request (GET /sa.gif?data=…&ext=crc=…)', () => {
    const url = jsImageUrl('https://collector.example/sa.gif?project=shop&token=t0k', webRecord)
    const result = decodeSensorsPayload({ method: 'GET', query: queryOf(url), body: undefined })
    expect(result).toEqual({ kind: 'ok', records: [webRecord], dryRun: false, project: 'shop', token: 't0k' })
  })

  it('reads a gzip data_list from an Android SDK form POST (gzip=1, crc)', () => {
    const result = decodeSensorsPayload({
      method: 'POST',
      query: { project: 'app' },
      contentType: 'application/x-www-form-urlencoded',
      body: androidFormBody(androidRecords),
    })
    expect(result).toEqual({ kind: 'ok', records: androidRecords, dryRun: false, project: 'app' })
  })

  it('reports Dry-Run: true (debug-only mode) so the route validates without storing', () => {
    const result = decodeSensorsPayload({
      method: 'POST',
      query: {},
      contentType: 'application/x-www-form-urlencoded',
      body: androidFormBody(androidRecords),
      headers: { 'Dry-Run': 'true' },
    })
    expect(result.kind === 'ok' && result.dryRun).toBe(true)
  })

  it('reads a Web SDK beacon upload: the data=…&ext=… form text sent as text/plain', () => {
    const result = decodeSensorsPayload({
      method: 'POST',
      query: {},
      contentType: 'text/plain;charset=UTF-8',
      body: Buffer.from(jsSendData(webRecord)),
    })
    expect(result).toEqual({ kind: 'ok', records: [webRecord], dryRun: false })
  })

  it('reads a raw base64 text/plain body', () => {
    const result = decodeSensorsPayload({
      method: 'POST',
      query: {},
      contentType: 'text/plain',
      body: jsBase64Encode(JSON.stringify([webRecord, webRecord])),
    })
    expect(result.kind === 'ok' && result.records).toEqual([webRecord, webRecord])
  })

  it('reads a WeChat mini program batch, whose form text arrives labelled application/json', () => {
    const records = [
      { ...webRecord, event: '$MPViewScreen', lib: { $lib: 'MiniProgram' } },
      { ...webRecord, event: '$MPClick', lib: { $lib: 'MiniProgram' } },
    ]
    const result = decodeSensorsPayload({
      method: 'POST',
      query: {},
      contentType: 'application/json',
      body: miniProgramBatchBody(records),
    })
    expect(result.kind === 'ok' && result.records).toEqual(records)
  })

  it('reads a mini program batch compressed by the gzip plugin', () => {
    const result = decodeSensorsPayload({
      method: 'POST',
      query: {},
      contentType: 'application/json',
      body: miniProgramGzipBody(androidRecords),
    })
    expect(result.kind === 'ok' && result.records).toEqual(androidRecords)
  })

  it('accepts URL-safe base64 without padding, and a value percent-encoded twice', () => {
    const json = JSON.stringify({ type: 'track', event: '购买?', distinct_id: 'x>y' })
    const urlSafe = Buffer.from(json).toString('base64url')
    const twice = encodeURIComponent(encodeURIComponent(Buffer.from(json).toString('base64')))
    for (const data of [urlSafe, decodeURIComponent(twice)]) {
      const result = decodeSensorsPayload({ method: 'GET', query: { data }, body: undefined })
      expect(result.kind === 'ok' && result.records).toEqual([JSON.parse(json)])
    }
  })

  it('restores + signs that a form decoder turned into spaces', () => {
    const base64 = Buffer.from(JSON.stringify({ type: 'track', event: '>>>?', distinct_id: '~~~' })).toString('base64')
    expect(base64).toContain('+')
    const result = decodeSensorsPayload({ method: 'GET', query: { data: base64.replace(/\+/g, ' ') }, body: undefined })
    expect(result.kind).toBe('ok')
  })

  it('takes fields from a body a form plugin already parsed', () => {
    const data = jsBase64Encode(JSON.stringify(webRecord))
    const result = decodeSensorsPayload({ method: 'POST', query: {}, body: { data, ext: 'crc=1' } })
    expect(result.kind === 'ok' && result.records).toEqual([webRecord])
  })

  it('inflates gzip data even when the gzip flag was lost on the way', () => {
    const data = gzipSync(JSON.stringify(androidRecords)).toString('base64')
    const result = decodeSensorsPayload({ method: 'POST', query: {}, body: `data_list=${encodeURIComponent(data)}` })
    expect(result.kind === 'ok' && result.records).toEqual(androidRecords)
  })

  it('refuses broken base64 and names the parameter and the bad character', () => {
    const result = decodeSensorsPayload({ method: 'GET', query: { data: 'eyJ0eXBlIjoi!dHJhY2sifQ' }, body: undefined })
    expect(result).toEqual({
      kind: 'BadRequest',
      message: 'data is not valid base64: it contains "!", which is not a base64 character.',
    })
  })

  it('refuses gzip=1 data that is not gzip, and gzip data cut short', () => {
    const notGzip = decodeSensorsPayload({
      method: 'POST',
      query: {},
      body: `gzip=1&data_list=${encodeURIComponent(jsBase64Encode('[]'))}`,
    })
    expect(notGzip.kind).toBe('BadRequest')
    expect(notGzip.kind === 'BadRequest' && notGzip.message).toMatch(/data_list is marked gzip=1 but is not gzip data/)

    const zipped = gzipSync(JSON.stringify(androidRecords))
    const truncated = zipped.subarray(0, zipped.length - 12).toString('base64')
    const cut = decodeSensorsPayload({ method: 'POST', query: {}, body: `gzip=1&data_list=${encodeURIComponent(truncated)}` })
    expect(cut.kind === 'BadRequest' && cut.message).toMatch(/could not be decompressed .*cut short/)
  })

  it('refuses base64 that does not hold JSON, quoting the start of the text', () => {
    const result = decodeSensorsPayload({
      method: 'GET',
      query: { data: jsBase64Encode('{"type":"track",') },
      body: undefined,
    })
    expect(result.kind).toBe('BadRequest')
    expect(result.kind === 'BadRequest' && result.message).toMatch(/^data is not valid JSON \(.+\); it starts with "\{\\"type\\":\\"track\\","\.$/)
  })

  it('refuses encrypted uploads (gzip=9 and gzip=13) and says how to turn encryption off', () => {
    for (const flag of ['9', '13']) {
      const result = decodeSensorsPayload({
        method: 'POST',
        query: {},
        contentType: 'application/x-www-form-urlencoded',
        body: androidFormBody([{ ekey: 'k', pkv: 1, payloads: ['x'] }], flag),
      })
      expect(result.kind).toBe('BadRequest')
      const message = result.kind === 'BadRequest' ? result.message : ''
      expect(message).toContain(`gzip=${flag}`)
      expect(message).toContain('encrypted')
      expect(message).toContain('enableTransportEncrypt()')
      expect(message).toContain('enableEncrypt = NO')
    }
  })

  it('recognises encrypted records by their shape when no gzip flag says so', () => {
    const body = miniProgramBatchBody([{ ekey: 'abc', pkv: 3, payloads: ['ciphertext'] }])
    const result = decodeSensorsPayload({ method: 'POST', query: {}, contentType: 'application/json', body })
    expect(result.kind === 'BadRequest' && result.message).toMatch(/ekey\/pkv\/payloads: the payload is encrypted/)
  })

  it('explains where the data goes when a request carries none', () => {
    const get = decodeSensorsPayload({ method: 'GET', query: { project: 'shop' }, body: undefined })
    expect(get).toEqual({
      kind: 'BadRequest',
      message: 'No Sensors data found: a GET request carries one record in the data query parameter, as base64-encoded JSON.',
    })
    const post = decodeSensorsPayload({ method: 'POST', query: {}, body: Buffer.alloc(0) })
    expect(post.kind === 'BadRequest' && post.message).toMatch(/data \(one record\) or data_list \(a batch\)/)
  })

  it('refuses an unknown gzip value, a multipart body, and JSON that is not a record', () => {
    const unknownFlag = decodeSensorsPayload({ method: 'GET', query: { data: 'e30=', gzip: '5' }, body: undefined })
    expect(unknownFlag.kind === 'BadRequest' && unknownFlag.message).toMatch(/^gzip=5 is not a known encoding/)

    const multipart = decodeSensorsPayload({
      method: 'POST',
      query: {},
      contentType: 'multipart/form-data; boundary=x',
      body: '--x\r\n',
    })
    expect(multipart.kind === 'BadRequest' && multipart.message).toMatch(/multipart bodies are not part of the Sensors protocol/)

    const scalar = decodeSensorsPayload({ method: 'GET', query: { data: jsBase64Encode('42') }, body: undefined })
    expect(scalar.kind === 'BadRequest' && scalar.message).toBe(
      'data decodes to number; it must be a JSON object (one record) or an array of records.',
    )
  })

  it('caps how far gzip data may inflate', () => {
    const big = [{ type: 'track', event: 'x', distinct_id: 'a', properties: { pad: 'a'.repeat(100_000) } }]
    const result = decodeSensorsPayload(
      { method: 'POST', query: {}, body: androidFormBody(big) },
      { maxDecodedBytes: 10_000 },
    )
    expect(result.kind === 'BadRequest' && result.message).toBe(
      'data_list inflates to more than 10000 bytes; send smaller batches.',
    )
  })
})
