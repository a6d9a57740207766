import {
  base64ParamToBytes,
  gunzipPayload,
  looksGzipped,
  parseJsonBytes,
  parseJsonText,
  type DecodeStep,
} from './payload-encoding.ts'
import { collectSensorsParams, type RequestBody } from './request-params.ts'

/** What a route handler hands over: the request as Fastify parsed it (body as raw bytes/text). */
export interface SensorsRequest {
  method: string
  query: Record<string, string | string[] | undefined>
  contentType?: string | undefined
  body: RequestBody
  /** Request headers; only `Dry-Run` is read (any letter case). */
  headers?: Record<string, string | string[] | undefined>
}

export type SensorsDecodeResult =
  | { kind: 'ok'; records: unknown[]; dryRun: boolean; project?: string; token?: string }
  | { kind: 'BadRequest'; message: string }

export interface SensorsDecodeOptions {
  /** Upper bound on the decoded JSON size of one request, in bytes (default 16 MiB). */
  maxDecodedBytes?: number
}

const DEFAULT_MAX_DECODED_BYTES = 16 * 1024 * 1024

/**
 * Why encrypted uploads are refused, and how to stop sending them. `gzip=9` is the SDKs' event
 * encryption (RSA/AES-wrapped `ekey` + `payloads`), `gzip=13` their transport encryption; both
 * need the Sensors server's private key, which Chorus does not hold.
 */
export function encryptedPayloadMessage(detail: string): string {
  return (
    `${detail}: the payload is encrypted, and Chorus does not accept encrypted Sensors data. ` +
    'Turn encryption off in the SDK and send again — Android: remove enableEncrypt(true) and ' +
    'enableTransportEncrypt() from SAConfigOptions; iOS: set enableEncrypt = NO on SAConfigOptions; ' +
    'Web and mini programs: stop registering the encryption plugin. Use HTTPS to protect data in transit.'
  )
}

/**
 * Decode one Sensors Data tracking request into its raw records (not yet validated).
 *
 * Reads `data` (one record) and `data_list` (a batch) from the query string or the body (form,
 * text/plain, or a mini program's `application/json`-labelled form text); undoes base64 (standard,
 * URL-safe or still percent-encoded) and, with `gzip=1` or a gzip header, gzip. `gzip=9` / `13`
 * (encrypted) is refused with instructions. `crc` / `ext=crc=…` are not checked: they exist to
 * catch truncated uploads, which the base64, gzip (its own CRC-32 and length trailer, RFC 1952)
 * and JSON layers already reject, while a strict check would drop data from SDK builds that hash
 * differently.
 *
 * `dryRun` is true when the request carries `Dry-Run: true`, the header the Android and iOS SDKs
 * set in debug-only mode: validate, answer, store nothing.
 *
 * @example
 * const result = decodeSensorsPayload({
 *   method: 'GET',
 *   query: { project: 'shop', data: 'eyJ0eXBlIjoidHJhY2sifQ==' },
 *   body: undefined,
 * })
 * // { kind: 'ok', records: [{ type: 'track' }], dryRun: false, project: 'shop' }
 */
export function decodeSensorsPayload(
  input: SensorsRequest,
  options: SensorsDecodeOptions = {},
): SensorsDecodeResult {
  const maxBytes = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES
  const collected = collectSensorsParams(input.query, input.body, input.contentType)
  if (collected.kind !== 'ok') return collected
  const { fields, rawBody } = collected.value

  const gzipFlag = (fields.gzip ?? '').trim()
  if (gzipFlag === '9' || gzipFlag === '13') {
    return { kind: 'BadRequest', message: encryptedPayloadMessage(`gzip=${gzipFlag}`) }
  }
  if (gzipFlag !== '' && gzipFlag !== '0' && gzipFlag !== '1') {
    return {
      kind: 'BadRequest',
      message: `gzip=${gzipFlag} is not a known encoding; use gzip=1 for gzip-compressed data or leave it out for plain base64.`,
    }
  }
  const gzipped = gzipFlag === '1'

  const sources: Array<{ name: string; decode: () => DecodeStep<unknown> }> = []
  for (const name of ['data_list', 'data'] as const) {
    const value = fields[name]
    if (value !== undefined) sources.push({ name, decode: () => decodeParam(value, name, gzipped, maxBytes) })
  }
  if (rawBody !== undefined) {
    const name = 'the request body'
    sources.push({
      name,
      decode: () =>
        rawBody.encoding === 'json'
          ? parseJsonText(rawBody.text, name)
          : decodeParam(rawBody.text, name, gzipped, maxBytes),
    })
  }
  if (sources.length === 0) {
    const where =
      input.method.toUpperCase() === 'GET'
        ? 'a GET request carries one record in the data query parameter'
        : 'a POST carries data (one record) or data_list (a batch) in its form or text body'
    return {
      kind: 'BadRequest',
      message: `No Sensors data found: ${where}, as base64-encoded JSON.`,
    }
  }

  const records: unknown[] = []
  for (const source of sources) {
    const decoded = source.decode()
    if (decoded.kind !== 'ok') return decoded
    const value = decoded.value
    if (Array.isArray(value)) records.push(...value)
    else if (value !== null && typeof value === 'object') records.push(value)
    else {
      return {
        kind: 'BadRequest',
        message: `${source.name} decodes to ${value === null ? 'null' : typeof value}; it must be a JSON object (one record) or an array of records.`,
      }
    }
  }

  if (records.some(isEncryptedEnvelope)) {
    return { kind: 'BadRequest', message: encryptedPayloadMessage('The records hold ekey/pkv/payloads') }
  }

  const result: SensorsDecodeResult = { kind: 'ok', records, dryRun: isDryRun(input.headers) }
  if (fields.project) result.project = fields.project
  if (fields.token) result.token = fields.token
  return result
}

function decodeParam(value: string, name: string, gzipped: boolean, maxBytes: number): DecodeStep<unknown> {
  const bytes = base64ParamToBytes(value, name)
  if (bytes.kind !== 'ok') return bytes
  let json = bytes.value
  // A gzip header without gzip=1 happens when a proxy or custom sender drops the flag;
  // JSON text can never begin with byte 0x1f, so inflating it is safe.
  if (gzipped || looksGzipped(json)) {
    const inflated = gunzipPayload(json, name, maxBytes)
    if (inflated.kind !== 'ok') return inflated
    json = inflated.value
  } else if (json.length > maxBytes) {
    return { kind: 'BadRequest', message: `${name} is larger than ${maxBytes} bytes; send smaller batches.` }
  }
  return parseJsonBytes(json, name)
}

/**
 * The encryption plugins replace records with `{ ekey, pkv, payloads }` (mini program / web) —
 * sometimes without any gzip flag, so the shape is checked too.
 */
function isEncryptedEnvelope(record: unknown): boolean {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return false
  const keys = record as Record<string, unknown>
  return keys.type === undefined && ('payloads' in keys || 'payload' in keys) && ('ekey' in keys || 'pkv' in keys)
}

function isDryRun(headers: SensorsRequest['headers']): boolean {
  if (headers === undefined) return false
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'dry-run') continue
    const first = Array.isArray(value) ? value[0] : value
    return typeof first === 'string' && first.trim().toLowerCase() === 'true'
  }
  return false
}
