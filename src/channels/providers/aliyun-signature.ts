import { createHmac } from 'node:crypto'

/**
 * Aliyun's POP (RPC style) request signature, SignatureVersion 1.0 with HMAC-SHA1, as documented
 * for Dysmsapi ("HTTP协议及签名", https://help.aliyun.com/document_detail/101343.html):
 *
 * 1. percent-encode every parameter name and value (UTF-8; `+` → `%20`, `*` → `%2A`, `%7E` → `~`,
 *    i.e. RFC 3986 unreserved characters stay as they are);
 * 2. sort the pairs by encoded name and join them `name=value&…` (the canonicalised query string);
 * 3. StringToSign = `METHOD&%2F&` + percentEncode(canonicalised query string);
 * 4. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
 */
export function popPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

export function popStringToSign(method: 'GET' | 'POST', params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .map((name) => [popPercentEncode(name), popPercentEncode(params[name]!)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
  return `${method}&${popPercentEncode('/')}&${popPercentEncode(canonical)}`
}

/**
 * @example
 * popSignature('GET', { AccessKeyId: 'testId', Action: 'SendSms', … }, 'testSecret') // 'zJDF+Lrzhj/ThnlvIToysFRq6t4='
 */
export function popSignature(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(popStringToSign(method, params), 'utf8').digest('base64')
}
