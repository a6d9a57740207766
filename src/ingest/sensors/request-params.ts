import type { DecodeStep } from './payload-encoding.ts'

/**
 * The parameters of a Sensors upload, wherever the SDK put them:
 *
 * - Web (`sa-sdk-javascript`), image mode: `GET /sa.gif?data=<b64>&ext=crc%3D<hash>`;
 *   ajax mode: the same `data=…&ext=…` as an `application/x-www-form-urlencoded` POST body;
 *   beacon mode: that text as a `text/plain;charset=UTF-8` body (what `navigator.sendBeacon`
 *   sends for a string); batch mode: `data_list=<b64>` in a POST body.
 * - WeChat mini program (`sa-sdk-miniprogram`): `wx.request` POST whose body is the string
 *   `data_list=<b64>` (plus `&gzip=1` with the gzip plugin) while the content type stays
 *   `application/json`, wx.request's default — so the body is read by its text, not its header.
 * - Android / iOS: `crc=<hash>&gzip=1&data_list=<b64 of gzip>` as a form POST.
 * - Custom senders: a raw base64 body, or raw JSON.
 *
 * Query parameters (`project`, `token`, and `data` for GET) come first; body fields override.
 */
export interface CollectedParams {
  fields: Record<string, string>
  /** A body that is not a form: base64 text or JSON, sent on its own. */
  rawBody?: { encoding: 'base64' | 'json'; text: string }
}

const FORM_FIELD = /(?:^|&)(?:data|data_list|gzip|crc|ext|project|token|instant_event|sink_name)=/

export type RequestBody = Buffer | string | Record<string, unknown> | undefined

/**
 * @example
 * collectSensorsParams({ project: 'shop' }, 'data_list=eyJ9&gzip=1', 'application/x-www-form-urlencoded')
 * // { kind: 'ok', value: { fields: { project: 'shop', data_list: 'eyJ9', gzip: '1' } } }
 */
export function collectSensorsParams(
  query: Record<string, string | string[] | undefined>,
  body: RequestBody,
  contentType: string | undefined,
): DecodeStep<CollectedParams> {
  const fields: Record<string, string> = {}
  for (const [key, value] of Object.entries(query)) {
    const first = Array.isArray(value) ? value[0] : value
    if (typeof first === 'string') fields[key] = first
  }

  if (body == null) return { kind: 'ok', value: { fields } }

  if (!Buffer.isBuffer(body) && typeof body === 'object') {
    // Already parsed by a form-body plugin: take its string fields as they are.
    for (const [key, value] of Object.entries(body)) {
      const first = Array.isArray(value) ? value[0] : value
      if (typeof first === 'string') fields[key] = first
    }
    return { kind: 'ok', value: { fields } }
  }

  if (contentType !== undefined && /^\s*multipart\//i.test(contentType)) {
    return {
      kind: 'BadRequest',
      message:
        'multipart bodies are not part of the Sensors protocol; send data / data_list as ' +
        'application/x-www-form-urlencoded or text/plain.',
    }
  }

  const text = (Buffer.isBuffer(body) ? body.toString('utf8') : body).trim()
  if (text.length === 0) return { kind: 'ok', value: { fields } }

  if (FORM_FIELD.test(text)) {
    const seen = new Set<string>()
    for (const [key, value] of new URLSearchParams(text)) {
      // The first occurrence in the body wins, as with query parameters.
      if (seen.has(key)) continue
      seen.add(key)
      fields[key] = value
    }
    return { kind: 'ok', value: { fields } }
  }
  const encoding = text.startsWith('{') || text.startsWith('[') ? 'json' : 'base64'
  return { kind: 'ok', value: { fields, rawBody: { encoding, text } } }
}
