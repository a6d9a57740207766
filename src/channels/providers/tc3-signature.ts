import { createHash, createHmac } from 'node:crypto'

/**
 * Tencent Cloud API 3.0 request signature, TC3-HMAC-SHA256
 * (https://cloud.tencent.com/document/api/382/52071, "签名方法 v3"):
 *
 *   CanonicalRequest = METHOD \n URI \n QUERY \n CanonicalHeaders \n SignedHeaders \n hex(sha256(payload))
 *   StringToSign     = "TC3-HMAC-SHA256" \n timestamp \n date/service/tc3_request \n hex(sha256(CanonicalRequest))
 *   kDate = HMAC("TC3" + SecretKey, date); kService = HMAC(kDate, service); kSigning = HMAC(kService, "tc3_request")
 *   Signature = hex(HMAC(kSigning, StringToSign))
 *
 * `date` is the UTC date of the timestamp. Header names are lower-cased and sorted; values trimmed
 * (the documented example signs `content-type` and `host`).
 */
export interface Tc3Input {
  secretId: string
  secretKey: string
  service: string
  /** The Host header exactly as sent, e.g. `sms.tencentcloudapi.com` or `127.0.0.1:8080`. */
  host: string
  method?: 'POST' | 'GET'
  path?: string
  query?: string
  contentType?: string
  payload: string
  /** Unix seconds. */
  timestamp: number
  /** Extra lower-case headers to sign besides content-type and host. */
  extraSignedHeaders?: Record<string, string>
}

export interface Tc3Signature {
  canonicalRequest: string
  stringToSign: string
  signature: string
  authorization: string
  date: string
}

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex')
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest()

/**
 * @example
 * signTc3({ secretId, secretKey, service: 'sms', host: 'sms.tencentcloudapi.com', payload: body, timestamp: 1551113065 }).authorization
 * // 'TC3-HMAC-SHA256 Credential=<id>/2019-02-25/sms/tc3_request, SignedHeaders=content-type;host, Signature=…'
 */
export function signTc3(input: Tc3Input): Tc3Signature {
  const headers: Record<string, string> = {
    'content-type': input.contentType ?? 'application/json; charset=utf-8',
    host: input.host,
    ...input.extraSignedHeaders,
  }
  const names = Object.keys(headers).map((n) => n.toLowerCase()).sort()
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]!.trim()}\n`).join('')
  const signedHeaders = names.join(';')
  const canonicalRequest = [input.method ?? 'POST', input.path ?? '/', input.query ?? '', canonicalHeaders, signedHeaders, sha256(input.payload)].join('\n')
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10)
  const scope = `${date}/${input.service}/tc3_request`
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256(canonicalRequest)].join('\n')
  const kDate = hmac(`TC3${input.secretKey}`, date)
  const kService = hmac(kDate, input.service)
  const kSigning = hmac(kService, 'tc3_request')
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex')
  const authorization = `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
  return { canonicalRequest, stringToSign, signature, authorization, date }
}
