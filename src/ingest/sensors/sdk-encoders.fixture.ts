import { gzipSync } from 'node:zlib'

/**
 * Test fixtures: the exact encodings the Sensors SDKs put on the wire, written the way each
 * SDK writes them, so the decoder is tested against real uploads and not against itself.
 */

/** sa-sdk-javascript / sa-sdk-miniprogram `base64Encode`: UTF-8 bytes via the percent-escape trick, then btoa. */
export function jsBase64Encode(data: string): string {
  return btoa(
    encodeURIComponent(data).replace(/%([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number(`0x${hex}`))),
  )
}

/** sa-sdk-javascript `hashCode` — the same 32-bit hash as Java's `String.hashCode`, which Android uses for `crc`. */
export function jsHashCode(text: string): number {
  let hash = 0
  for (let i = 0; i < text.length; i++) {
    hash = (hash << 5) - hash + text.charCodeAt(i)
    hash = hash & hash
  }
  return hash
}

/** Web SDK, image mode: `dataSend.getSendUrl(server_url, JSON.stringify(record))`. */
export function jsImageUrl(serverUrl: string, record: unknown): string {
  const base64Data = jsBase64Encode(JSON.stringify(record))
  const crc = `crc=${jsHashCode(base64Data)}`
  const separator = serverUrl.includes('?') ? '&' : '?'
  return `${serverUrl}${separator}data=${encodeURIComponent(base64Data)}&ext=${encodeURIComponent(crc)}`
}

/** Web SDK, ajax and beacon modes: `dataSend.getSendData(JSON.stringify(record))`. */
export function jsSendData(record: unknown): string {
  const base64Data = jsBase64Encode(JSON.stringify(record))
  return `data=${encodeURIComponent(base64Data)}&ext=${encodeURIComponent(`crc=${jsHashCode(base64Data)}`)}`
}

/** WeChat mini program batch send: the wx.request body string. */
export function miniProgramBatchBody(records: unknown[]): string {
  return `data_list=${encodeURIComponent(jsBase64Encode(JSON.stringify(records)))}`
}

/** WeChat mini program with the gzip plugin: pako gzip, base64 of the bytes, then `&gzip=1`. */
export function miniProgramGzipBody(records: unknown[]): string {
  const zipped = gzipSync(Buffer.from(JSON.stringify(records), 'utf8'))
  return `data_list=${encodeURIComponent(zipped.toString('base64'))}&gzip=1`
}

/**
 * Android `AnalyticsMessages.sendHttpRequest`: `encodeData` gzips the JSON array and base64s it
 * (Base64Coder, no line breaks); `Uri.Builder.appendQueryParameter` percent-encodes every
 * character outside `A-Z a-z 0-9 _ - ! . ~ ' ( ) *` — the same set `encodeURIComponent` leaves.
 */
export function androidFormBody(records: unknown[], gzipFlag = '1'): Buffer {
  const data = gzipSync(Buffer.from(JSON.stringify(records), 'utf8')).toString('base64')
  const query = `crc=${jsHashCode(data)}&gzip=${gzipFlag}&data_list=${encodeURIComponent(data)}`
  return Buffer.from(query, 'utf8')
}

/** Query parameters as a route sees them (first value wins), from a full URL. */
export function queryOf(url: string): Record<string, string> {
  const params: Record<string, string> = {}
  for (const [key, value] of new URL(url, 'http://collector.test').searchParams) {
    if (!(key in params)) params[key] = value
  }
  return params
}
