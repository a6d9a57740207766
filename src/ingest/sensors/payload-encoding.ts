import { gunzipSync } from 'node:zlib'

/**
 * The byte-level layers of a Sensors Data (神策) upload: every SDK sends JSON as UTF-8, optionally
 * gzip-compressed (`gzip=1`), then base64, then percent-encoded into a query string or form body.
 * These functions peel one layer each and say precisely which layer was broken, because the
 * person reading the error is debugging an SDK integration, not our parser.
 */
export type DecodeStep<T> = { kind: 'ok'; value: T } | { kind: 'BadRequest'; message: string }

const ok = <T>(value: T): DecodeStep<T> => ({ kind: 'ok', value })
const bad = <T>(message: string): DecodeStep<T> => ({ kind: 'BadRequest', message })

const BASE64_BODY = /^[A-Za-z0-9+/]*$/
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/

/**
 * Base64 text of a `data` / `data_list` parameter back to bytes.
 *
 * Tolerates what real clients and proxies do to the value on the way:
 * - percent escapes left in (the value was encoded twice, e.g. `encodeURIComponent` by the SDK
 *   and again by a form encoder) — base64 never contains `%`, so one is undone;
 * - line breaks (Java/Android MIME-style encoders wrap at 76 columns, RFC 2045 §6.8);
 * - spaces where `+` was sent unescaped (form decoding reads `+` as a space);
 * - the URL-safe alphabet `-` `_` (RFC 4648 §5) and missing `=` padding.
 * Anything else outside the base64 alphabet is an error, never silently skipped the way
 * `Buffer.from(text, 'base64')` would.
 *
 * @example
 * base64ParamToBytes('eyJhIjoxfQ==', 'data') // { kind: 'ok', value: <Buffer 7b 22 61 22 3a 31 7d> }
 */
export function base64ParamToBytes(raw: string, name: string): DecodeStep<Buffer> {
  let text = raw
  if (PERCENT_ESCAPE.test(text)) {
    try {
      text = decodeURIComponent(text)
    } catch {
      return bad(`${name} holds a broken percent escape; encode the base64 text with encodeURIComponent.`)
    }
  }
  text = text.replace(/[\r\n\t]/g, '').replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/')
  const body = text.replace(/=+$/, '')
  const padding = text.length - body.length
  if (body.length === 0) {
    return bad(`${name} is empty; it must hold base64-encoded JSON.`)
  }
  if (!BASE64_BODY.test(body) || padding > 2 || body.length % 4 === 1) {
    const offending = body.match(/[^A-Za-z0-9+/]/)?.[0]
    const detail = offending
      ? `it contains ${JSON.stringify(offending)}, which is not a base64 character`
      : 'its length is not a valid base64 length (was it cut short?)'
    return bad(`${name} is not valid base64: ${detail}.`)
  }
  return ok(Buffer.from(body, 'base64'))
}

/** True when the bytes start with the gzip magic number (RFC 1952 §2.3.1: ID1=0x1f, ID2=0x8b). */
export function looksGzipped(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

/**
 * Inflate a `gzip=1` payload, capped at `maxBytes` of output so a small request cannot expand
 * into gigabytes (a "zip bomb").
 */
export function gunzipPayload(bytes: Buffer, name: string, maxBytes: number): DecodeStep<Buffer> {
  if (!looksGzipped(bytes)) {
    return bad(
      `${name} is marked gzip=1 but is not gzip data (no gzip header after base64 decoding); ` +
        'send gzip=1 only with gzip-compressed data, or leave gzip out for plain base64 JSON.',
    )
  }
  try {
    return ok(gunzipSync(bytes, { maxOutputLength: maxBytes }))
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      return bad(`${name} inflates to more than ${maxBytes} bytes; send smaller batches.`)
    }
    const reason = error instanceof Error ? error.message : String(error)
    return bad(`${name} is marked gzip=1 but could not be decompressed (${reason}); the data was probably cut short.`)
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** Decoded bytes to a JSON value; a byte-order mark is skipped, invalid UTF-8 is an error. */
export function parseJsonBytes(bytes: Uint8Array, name: string): DecodeStep<unknown> {
  let text: string
  try {
    text = UTF8.decode(bytes)
  } catch {
    return bad(`${name} does not decode to UTF-8 text; JSON must be UTF-8 encoded before base64.`)
  }
  return parseJsonText(text, name)
}

/** JSON text to a value, with the parser's own explanation when it fails. */
export function parseJsonText(text: string, name: string): DecodeStep<unknown> {
  try {
    return ok(JSON.parse(text) as unknown)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    const preview = text.length > 60 ? `${text.slice(0, 60)}…` : text
    return bad(`${name} is not valid JSON (${reason}); it starts with ${JSON.stringify(preview)}.`)
  }
}
