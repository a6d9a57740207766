import { gunzipSync, gzipSync } from 'node:zlib'
import type { WireBatch } from './generator.ts'
import type { SensorsRecord } from './sensors-records.ts'

/** An HTTP request ready for `fetch`. */
export interface HttpRequest {
  method: 'POST'
  url: string
  headers: Record<string, string>
  body: string
}

export interface WireTarget {
  /** Chorus's base URL, e.g. `http://127.0.0.1:8080`; a path prefix is kept. */
  baseUrl: string
  writeKey: string
  /** Sensors `project=` (the workspace name). */
  sensorsProject: string
  /** gzip the Sensors `data_list` (`gzip=1`, the mini-program gzip plugin) or not (`gzip=0`). */
  sensorsGzip: boolean
}

function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`
}

/**
 * The request an SDK would make for a batch, stamped at `sentAtMs` the way the SDKs stamp it at
 * send time: analytics-node puts `sentAt` on the Segment envelope (the server removes clock skew
 * with it, so historical timestamps stay historical); the Sensors mini-program SDK sets
 * `_flush_time` on every record. Everything else is the batch as generated, so a retry carries the
 * same message ids and `_track_id`s and the server's dedupe drops copies.
 *
 * @example
 * toHttpRequest({ api: 'segment', day: 0, body: { batch } }, target, Date.now()).url // '…/v1/batch'
 */
export function toHttpRequest(batch: WireBatch, target: WireTarget, sentAtMs: number): HttpRequest {
  if (batch.api === 'segment') {
    // analytics-node: Basic auth with the write key as user name and an empty password
    // (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#authentication).
    return {
      method: 'POST',
      url: joinUrl(target.baseUrl, '/v1/batch'),
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${target.writeKey}:`).toString('base64')}`,
        'user-agent': 'analytics-node-next/latest',
      },
      body: JSON.stringify({ batch: batch.body.batch, writeKey: target.writeKey, sentAt: new Date(sentAtMs).toISOString() }),
    }
  }
  const records = batch.body.map((record) => ({ ...record, _flush_time: sentAtMs }))
  const json = Buffer.from(JSON.stringify(records), 'utf8')
  const data = (target.sensorsGzip ? gzipSync(json) : json).toString('base64')
  const query = `project=${encodeURIComponent(target.sensorsProject)}&token=${encodeURIComponent(target.writeKey)}`
  return {
    method: 'POST',
    url: joinUrl(target.baseUrl, `/sa?${query}`),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `data_list=${encodeURIComponent(data)}&gzip=${target.sensorsGzip ? 1 : 0}`,
  }
}

/**
 * Reads a Sensors `data_list` body back into records (base64, then gunzip when `gzip=1`). Throws
 * with the failing layer named, for stand-in servers and tests.
 *
 * @example decodeSensorsBody('data_list=W3t9XQ%3D%3D&gzip=0') // [{}]
 */
export function decodeSensorsBody(body: string): SensorsRecord[] {
  const form = new URLSearchParams(body)
  const data = form.get('data_list')
  if (data === null) throw new Error('Sensors body has no data_list field')
  let bytes = Buffer.from(data, 'base64')
  if (form.get('gzip') === '1') bytes = gunzipSync(bytes)
  const parsed: unknown = JSON.parse(bytes.toString('utf8'))
  if (!Array.isArray(parsed)) throw new Error('Sensors data_list must decode to a JSON array')
  return parsed as SensorsRecord[]
}
