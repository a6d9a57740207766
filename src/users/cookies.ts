/**
 * Cookie headers, read and written per RFC 6265 §4 (Set-Cookie syntax) and §5.4 (the Cookie
 * header). Values Chorus sets are URL-safe base64, so no quoting or encoding is needed.
 */

/** Parses a `Cookie` header into name → value; the first occurrence of a name wins (§5.4). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  if (!header) return cookies
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq <= 0) continue
    const name = pair.slice(0, eq).trim()
    let value = pair.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    if (!cookies.has(name)) cookies.set(name, value)
  }
  return cookies
}

export interface CookieOptions {
  maxAgeSeconds?: number
  secure: boolean
  /** Lax keeps the cookie off cross-site POSTs and sub-requests while top-level links still work. */
  sameSite?: 'Lax' | 'Strict'
  path?: string
  /** Default true: scripts cannot read the cookie. Only a cookie that holds no secret may be readable. */
  httpOnly?: boolean
}

/**
 * A `Set-Cookie` value; HttpOnly (JavaScript cannot read it) unless told otherwise.
 *
 * @example sessionCookie('chorus_session', token, { secure: true, maxAgeSeconds: 3600 })
 * // 'chorus_session=…; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure'
 */
export function sessionCookie(name: string, value: string, options: CookieOptions): string {
  if (!/^[\w!#$%&'*+.^`|~-]+$/.test(name)) throw new Error(`invalid cookie name ${JSON.stringify(name)}`)
  if (!/^[\w!#$%&'()*+./:<=>?@[\]^`{|}~-]*$/.test(value)) throw new Error('cookie value must be URL-safe')
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`]
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`)
  if (options.httpOnly !== false) parts.push('HttpOnly')
  parts.push(`SameSite=${options.sameSite ?? 'Lax'}`)
  if (options.secure) parts.push('Secure')
  return parts.join('; ')
}
